"""How sure is a link? Evidence per link, and a calibrated confidence.

Every link the selection proposes is described by a few measurements:

* ``score`` and ``own``: its final score (similarity plus neighbourhood and order
  bonuses) and the similarity of its own words;
* ``margin_a`` / ``margin_b``: how far it beats the best *other* candidate of each of
  its sentences in that source (margin scoring, as in LASER and bertalign: a link
  must beat the alternatives, and a hub that matches everything beats none by much);
* ``words``: content words the two sentences share;
* ``split``: one of its sentences has two or more links into the other source;
* ``agree`` / ``disagree``: over the third sources where both sentences have a
  partner, in how many the partners are the same sentence, and in how many not
  (N-way consistency);
* ``titles``, ``title_body``: whether the sentences are bare lines (a headline, a
  caption, a teaser: a whole line without sentence punctuation), and whether only
  one of them is;
* ``parallel``: the two sources run in parallel (a translation, a revision).

The confidence is a logistic model over these, fitted on evaluation cases with gold
links (see ``benchmarks/fit_confidence.py`` and the README for how and on what); it
is the measured probability that the link is a true counterpart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reader.core.model import Source

FEATURES = ("score", "own", "margin_a", "margin_b", "words", "split", "agree", "disagree",
            "titles", "title_body", "parallel")

_END = frozenset(".!?…:;\"'”’»)]")


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


def bare_lines(src: Source) -> np.ndarray:
    """Per sentence: is it a whole line with no sentence punctuation at its end (a
    headline, a caption, a byline, a teaser)? Structural, so no word list is needed."""
    text = src.text
    out = np.zeros(len(src), dtype=bool)
    for k, (s, e) in enumerate(src.sentences):
        starts_line = s == 0 or text[s - 1] == "\n"
        ends_line = e >= len(text) or text[e] == "\n"
        out[k] = starts_line and ends_line and text[e - 1] not in _END
    return out


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


def features(pairs: Sequence[PairEvidence], bare: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The feature matrix (rows: links, columns: :data:`FEATURES`) of each pair."""
    partners: dict[tuple[int, int, int], set[int]] = {}
    for p in pairs:
        for i, j in zip(p.i.tolist(), p.j.tolist()):
            partners.setdefault((p.a, i, p.b), set()).add(j)
            partners.setdefault((p.b, j, p.a), set()).add(i)
    n = len(bare)
    out = []
    for p in pairs:
        rows = np.zeros((len(p.i), len(FEATURES)))
        if len(p.i) == 0:
            out.append(rows)
            continue
        agree = np.zeros(len(p.i))
        disagree = np.zeros(len(p.i))
        split = np.zeros(len(p.i))
        for k, (i, j) in enumerate(zip(p.i.tolist(), p.j.tolist())):
            if len(partners[(p.a, i, p.b)]) > 1 or len(partners[(p.b, j, p.a)]) > 1:
                split[k] = 1.0
            for x in range(n):
                if x == p.a or x == p.b:
                    continue
                pi = partners.get((p.a, i, x))
                pj = partners.get((p.b, j, x))
                if pi and pj:
                    if pi.isdisjoint(pj):
                        disagree[k] += 1
                    else:
                        agree[k] += 1
        ta = bare[p.a][p.i].astype(float)
        tb = bare[p.b][p.j].astype(float)
        rows[:, 0] = np.minimum(p.score, 1.5)
        rows[:, 1] = p.own
        rows[:, 2] = np.clip(p.margin_a, -1.0, 1.0)
        rows[:, 3] = np.clip(p.margin_b, -1.0, 1.0)
        rows[:, 4] = np.minimum(p.words, 6) / 6
        rows[:, 5] = split
        rows[:, 6] = np.minimum(agree, 3)
        rows[:, 7] = np.minimum(disagree, 3)
        rows[:, 8] = ta + tb
        rows[:, 9] = np.abs(ta - tb)
        rows[:, 10] = float(p.parallel)
        out.append(rows)
    return out


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
