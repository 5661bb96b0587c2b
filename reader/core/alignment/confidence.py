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
  whether only one of them is (see :mod:`reader.core.text.roles`; page furniture never
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

FEATURES = (
    "score",
    "own",
    "margin_low",
    "margin_high",
    "words",
    "split",
    "headlines",
    "headline_body",
    "parallel",
    "chosen",
)
NWAY_FEATURES = ("first", "agree", "agree_strong")


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
    i: np.ndarray  # sentence of a
    j: np.ndarray  # sentence of b
    score: np.ndarray
    own: np.ndarray
    margin_a: np.ndarray
    margin_b: np.ndarray
    words: np.ndarray
    parallel: bool
    chosen: np.ndarray  # 1.0 where the selection took the pair, 0.0 for another candidate
    cross: bool = False  # sources in different languages: scored by sentence vectors
    # (score: margin of cosines; own: cosine; words: names, numbers)


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
        split = np.array(
            [
                partners[(p.a, i, p.b)] > 1 or partners[(p.b, j, p.a)] > 1
                for i, j in zip(p.i.tolist(), p.j.tolist())
            ],
            dtype=float,
        )
        ta = headline[p.a][p.i].astype(float)
        tb = headline[p.b][p.j].astype(float)
        # across languages the score is a margin around 1 (see reader.core.alignment.crosslang):
        # centred on 0, so that one clip serves both
        rows[:, 0] = np.clip(p.score - 1.0, -1.0, 1.0) if p.cross else np.minimum(p.score, 1.5)
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


#: a sentence in a third source agrees through its most confident links only: with
#: hundreds of versions of one story, every pair of its links would be quadratic in
#: the number of sources (with five sources a sentence rarely has more than eight)
AGREEMENT_PARTNERS = 48


def _scatter(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A fixed pseudo-random order of the pairs (x, y) (a multiplicative hash)."""
    h = (x.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ y.astype(np.uint64)
    return h * np.uint64(0xBF58476D1CE4E5B9)


def agreement(pairs: Sequence[PairEvidence], first: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The second-stage features (:data:`NWAY_FEATURES`) of every link: its first-stage
    confidence (as a logit), and how strongly the third sources agree with it: in a
    third source, a sentence linked to both of its sentences agrees by the weaker of
    those two links (the best such sentence counts); ``agree`` sums that over the third
    sources, ``agree_strong`` counts those where it is at least 0.5. Only each
    sentence's :data:`AGREEMENT_PARTNERS` most confident links count.

    Vectorised: every link is looked at from both ends; the links that arrive at one
    sentence from two different sentences are the paths through it."""
    sizes = [len(p.i) for p in pairs]
    if not sum(sizes):
        return [np.zeros((0, len(NWAY_FEATURES))) for _ in pairs]
    width = 1 + max(int(max(p.i.max(initial=0), p.j.max(initial=0))) for p in pairs)
    sa = np.concatenate([np.full(len(p.i), p.a) for p in pairs])
    sb = np.concatenate([np.full(len(p.j), p.b) for p in pairs])
    na = sa * width + np.concatenate([p.i for p in pairs])  # sentence ids, all sources
    nb = sb * width + np.concatenate([p.j for p in pairs])
    conf = np.concatenate(list(first))
    keys = na * (width * (1 + max(sb.max(), sa.max()))) + nb
    order = np.argsort(keys)
    keys_sorted = keys[order]
    # both directions: (from, to, confidence)
    src = np.concatenate([na, nb])
    dst = np.concatenate([nb, na])
    c = np.concatenate([conf, conf])
    # at each sentence, its most confident links first (only those bridge); ties (many
    # near-copies) in an order scattered over the sources, so that every pair of sources
    # gets its share of third sentences
    by = np.lexsort((_scatter(src, dst), -c, dst))
    src, dst, c = src[by], dst[by], c[by]
    starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
    degree = np.diff(np.r_[starts, len(dst)])
    keep = np.arange(len(dst)) - np.repeat(starts, degree) < AGREEMENT_PARTNERS
    src, dst, c = src[keep], dst[keep], c[keep]
    starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(dst)]))
    found_link, found_third, found_value = [], [], []
    span = width * (1 + max(sb.max(), sa.max()))
    for d in range(1, int(np.diff(np.r_[starts, len(dst)]).max())):
        x = np.flatnonzero(group[d:] == group[:-d])
        if len(x) == 0:
            break
        u, v = src[x], src[x + d]
        su, sv = u // width, v // width
        ok = su != sv
        u, v, su, sv, val = u[ok], v[ok], su[ok], sv[ok], np.minimum(c[x][ok], c[x + d][ok])
        third = dst[x][ok] // width
        lo = np.where(su < sv, u, v)
        hi = np.where(su < sv, v, u)
        want = lo * span + hi
        pos = np.minimum(np.searchsorted(keys_sorted, want), len(keys_sorted) - 1)
        hit = keys_sorted[pos] == want
        found_link.append(order[pos[hit]])
        found_third.append(third[hit])
        found_value.append(val[hit])
    agree = np.zeros(len(na))
    strong = np.zeros(len(na))
    li, t, value = (
        np.concatenate(x) if x else np.zeros(0, dtype=np.int64)
        for x in (found_link, found_third, found_value)
    )
    if len(li):
        # the best path through each third source, then summed over the sources
        by_key = np.lexsort((t, li))
        li, t, value = li[by_key], t[by_key], value[by_key]
        starts = np.flatnonzero(np.r_[True, (li[1:] != li[:-1]) | (t[1:] != t[:-1])])
        best = np.maximum.reduceat(value, starts)
        np.add.at(agree, li[starts], best)
        np.add.at(strong, li[starts], best >= 0.5)
    rows = np.column_stack(
        [np.log(np.clip(conf, 1e-4, 1 - 1e-4) / np.clip(1 - conf, 1e-4, 1)), agree, strong]
    )
    return np.split(rows, np.cumsum(sizes)[:-1])
