"""How sure is a link? Evidence per link, and a calibrated confidence.

Every link the selection proposes is described by a few measurements:

* ``score`` and ``own``: its final score (similarity plus neighbourhood and order
  bonuses) and the similarity of its own words;
* ``margin_low`` / ``margin_high``: how far it beats the best *other* candidate of each
  of its sentences in that source, the smaller and the larger of the two (margin
  scoring, as in LASER and bertalign: a link must beat the alternatives, and a hub
  that matches everything beats none by much);
* ``words``: content words the two sentences share;
* ``split``: one of its sentences has two or more links into the other source;
* ``headlines``, ``headline_body``: how many of the two sentences are headlines, and
  whether only one of them is (see :mod:`reader.core.layout`; page furniture never
  gets this far);
* ``parallel``: the two sources run in parallel (a translation, a revision).

A first logistic model over these gives each link a confidence; a second one
revises it with the agreement of the other sources (N-way consistency): over the
third sources where both sentences have partners, do the partners coincide (a
sentence of C linked to both), or do both sentences link elsewhere? Both models are
fitted on evaluation cases with gold links (see ``benchmarks/fit_confidence.py`` and
the README for how and on what); the result is the measured probability that the
link is a true counterpart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


FEATURES = ("score", "own", "margin_low", "margin_high", "words", "split",
            "headlines", "headline_body", "parallel", "chosen")
NWAY_FEATURES = ("first", "agree", "agree_strong", "disagree")

@dataclass(frozen=True)
class Calibration:
    """A logistic model: confidence = 1 / (1 + exp(-(intercept + coef · features)))."""

    coef: tuple[float, ...]
    intercept: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if len(x) == 0:
            return np.zeros(0)
        z = self.intercept + x @ np.asarray(self.coef)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass
class PairEvidence:
    """The links of one pair of sources with what :func:`features` needs about them."""

    a: int
    b: int
    i: np.ndarray         # sentence of a
    j: np.ndarray         # sentence of b
    score: np.ndarray
    own: np.ndarray
    margin_a: np.ndarray
    margin_b: np.ndarray
    words: np.ndarray
    parallel: bool
    chosen: np.ndarray    # 1.0 where the selection took the pair, 0.0 for another candidate


def features(pairs: Sequence[PairEvidence], headline: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The first-stage feature matrix (rows: links, columns: :data:`FEATURES`) of each
    pair: the evidence of the link itself."""
    partners: dict[tuple[int, int, int], int] = {}
    for p in pairs:
        for i, j in zip(p.i.tolist(), p.j.tolist()):
            partners[(p.a, i, p.b)] = partners.get((p.a, i, p.b), 0) + 1
            partners[(p.b, j, p.a)] = partners.get((p.b, j, p.a), 0) + 1
    out = []
    for p in pairs:
        rows = np.zeros((len(p.i), len(FEATURES)))
        if len(p.i) == 0:
            out.append(rows)
            continue
        split = np.array([partners[(p.a, i, p.b)] > 1 or partners[(p.b, j, p.a)] > 1
                          for i, j in zip(p.i.tolist(), p.j.tolist())], dtype=float)
        ta = headline[p.a][p.i].astype(float)
        tb = headline[p.b][p.j].astype(float)
        rows[:, 0] = np.minimum(p.score, 1.5)
        rows[:, 1] = p.own
        # the smaller and the larger margin, so that the result does not depend on
        # which source is called a
        rows[:, 2] = np.clip(np.minimum(p.margin_a, p.margin_b), -1.0, 1.0)
        rows[:, 3] = np.clip(np.maximum(p.margin_a, p.margin_b), -1.0, 1.0)
        rows[:, 4] = np.minimum(p.words, 6) / 6
        rows[:, 5] = split
        rows[:, 6] = ta + tb
        rows[:, 7] = np.abs(ta - tb)
        rows[:, 8] = float(p.parallel)
        rows[:, 9] = p.chosen
        out.append(rows)
    return out


def agreement(pairs: Sequence[PairEvidence], first: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The second-stage features (:data:`NWAY_FEATURES`) of every link: its first-stage
    confidence (as a logit), and over the third sources where both its sentences have
    partners, how strongly they agree (a sentence partnered by both: the weaker of the
    two links, best over such sentences) or disagree (partners, but none in common: the
    weaker of the two sentences' best links), summed over the third sources."""
    links: dict[tuple[int, int, int], dict[int, float]] = {}
    n = 0
    for p, conf in zip(pairs, first):
        n = max(n, p.a + 1, p.b + 1)
        for i, j, c in zip(p.i.tolist(), p.j.tolist(), conf.tolist()):
            links.setdefault((p.a, i, p.b), {})[j] = c
            links.setdefault((p.b, j, p.a), {})[i] = c
    out = []
    for p, conf in zip(pairs, first):
        rows = np.zeros((len(p.i), len(NWAY_FEATURES)))
        rows[:, 0] = np.log(np.clip(conf, 1e-4, 1 - 1e-4) / np.clip(1 - conf, 1e-4, 1))
        for k, (i, j) in enumerate(zip(p.i.tolist(), p.j.tolist())):
            agree = disagree = strong = 0.0
            for x in range(n):
                if x == p.a or x == p.b:
                    continue
                pi = links.get((p.a, i, x))
                pj = links.get((p.b, j, x))
                if not pi or not pj:
                    continue
                common = pi.keys() & pj.keys()
                if common:
                    best = max(min(pi[y], pj[y]) for y in common)
                    agree += best
                    strong += best >= 0.5
                else:
                    disagree += min(max(pi.values()), max(pj.values()))
            rows[k, 1] = agree
            rows[k, 2] = strong
            rows[k, 3] = disagree
        out.append(rows)
    return out
