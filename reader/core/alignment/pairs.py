"""Links between the sentences of two sources.

Candidate pairs live in NumPy arrays sorted by the key ``i * n_b + j``, so that a
neighbour lookup is a ``searchsorted`` and no step loops over pairs in Python
(except the few one-sided links that need a merge test).

Steps: candidates (sparse product over informative terms, best ``top_k`` of every
sentence in both directions) → similarity over all terms → neighbourhood bonus →
order chain of confident anchors, with every pair in a small gap between two
anchors added as a candidate → order bonus / crossing filter → selection of each
sentence's best counterpart, with n-1 merges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy import sparse

from reader.core.alignment.candidates import sorted_unique
from reader.core.alignment.features import Features
from reader.core.alignment.params import Settings

_SAME_TEXT = 0.8  # rewrites: sentences sharing fewer than settings.min_shared_words
# content words are no counterparts unless they are nearly the same text


@dataclass
class Candidates:
    """Pairs (i of source a, j of source b) sorted by key, with their similarity.

    ``sim`` is the similarity of the two sentences' own content (weighted Dice of their
    terms; across languages the cosine of their vectors); ``base``, where given, is the
    score the selection starts from instead (across languages the margin of the cosine
    over each sentence's nearest neighbours, see :mod:`reader.core.alignment.crosslang`)."""

    i: np.ndarray
    j: np.ndarray
    sim: np.ndarray
    n_b: int
    words: np.ndarray  # content words shared (across languages: names and numbers)
    base: np.ndarray | None = None

    @property
    def keys(self) -> np.ndarray:
        return self.i * self.n_b + self.j

    @property
    def score(self) -> np.ndarray:
        """The score the selection starts from."""
        return self.sim if self.base is None else self.base

    def take(self, idx: np.ndarray) -> Candidates:
        """The candidates at ``idx`` (an index array or a mask)."""
        return Candidates(
            self.i[idx],
            self.j[idx],
            self.sim[idx],
            self.n_b,
            self.words[idx],
            None if self.base is None else self.base[idx],
        )

    def merged(self, other: Candidates) -> Candidates:
        """These candidates and ``other`` (pairs not among these), sorted by key."""
        order = np.argsort(np.concatenate([self.keys, other.keys]), kind="stable")
        base = None
        if self.base is not None or other.base is not None:
            base = np.concatenate([self.score, other.score])[order]
        i, j, sim = (
            np.concatenate([x, y])[order]
            for x, y in ((self.i, other.i), (self.j, other.j), (self.sim, other.sim))
        )
        return Candidates(
            i,
            j,
            sim,
            self.n_b,
            np.concatenate([self.words, other.words])[order],
            base,
        )

    def lookup(self, values: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """``values`` at pairs (i, j), 0 where the pair is not a candidate."""
        keys = self.keys
        if len(keys) == 0:
            return np.zeros(len(i))
        valid = (i >= 0) & (j >= 0) & (j < self.n_b)
        want = i * self.n_b + j
        pos = np.minimum(np.searchsorted(keys, want), len(keys) - 1)
        hit = valid & (keys[pos] == want)
        return np.where(hit, values[pos], 0.0)


def margins(
    cand_i: np.ndarray,
    cand_j: np.ndarray,
    cand_f: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    f: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For links (i, j) scoring f: f minus the best score of another candidate of i
    (margin_a), and of j (margin_b). Vectorised: the two best candidates of every
    sentence are found with one sort."""
    return (_margin(cand_i, cand_j, cand_f, i, j, f), _margin(cand_j, cand_i, cand_f, j, i, f))


def hub_corrected(i: np.ndarray, j: np.ndarray, f: np.ndarray, k: int, weight: float) -> np.ndarray:
    """Scores with each sentence's hubness taken off (CSLS, as in cross-lingual word
    retrieval): ``f - weight * (h_i + h_j) / 2``, where ``h`` is the mean of a
    sentence's ``k`` best scores. A headline or a lead that shares the story's names
    with every sentence scores high with all of them; corrected, it beats none."""
    if len(f) == 0 or weight == 0:
        return f
    return f - weight * (_top_mean(i, f, k) + _top_mean(j, f, k)) / 2


def _top_mean(group: np.ndarray, vals: np.ndarray, k: int) -> np.ndarray:
    """Per entry: the mean of the ``k`` best values of its group (missing ones count 0)."""
    order = np.lexsort((-vals, group))
    g, v = group[order], vals[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    top = np.where(rank < k, v, 0.0)
    sums = np.add.reduceat(top, starts)
    per = np.zeros(int(g.max()) + 1)
    per[g[starts]] = sums / k
    return per[group]


#: fewer entries than this: margins and best pairs by one sort (fewer numpy calls), more:
#: by reductions (no sort); the two pick the same (tests/test_margins.py)
_SORT_BELOW = 4096


def _margin(
    group: np.ndarray,
    other: np.ndarray,
    vals: np.ndarray,
    g: np.ndarray,
    o: np.ndarray,
    f: np.ndarray,
) -> np.ndarray:
    if len(g) == 0:
        return np.zeros(0)
    if len(group) == 0:
        return f.copy()
    n = int(max(group.max(), g.max())) + 1
    if len(group) < _SORT_BELOW:
        return _margin_by_sort(group, other, vals, g, o, f, n)
    first = _first_per(group, other, vals, n, np.arange(len(group)))
    has = first >= 0
    rest = np.ones(len(group), dtype=bool)
    rest[first[has]] = False
    second = _first_per(group, other, vals, n, np.flatnonzero(rest))
    more = second >= 0
    best = (np.flatnonzero(has), vals[first[has]], other[first[has]])
    return _less_alternative(f, g, o, n, best, (np.flatnonzero(more), vals[second[more]]))


def _margin_by_sort(
    group: np.ndarray,
    other: np.ndarray,
    vals: np.ndarray,
    g: np.ndarray,
    o: np.ndarray,
    f: np.ndarray,
    n: int,
) -> np.ndarray:
    order = np.lexsort((other, -vals, group))
    gs, os_, vs = group[order], other[order], vals[order]
    first = np.ones(len(gs), dtype=bool)
    first[1:] = gs[1:] != gs[:-1]
    idx1 = np.flatnonzero(first)
    second = np.zeros(len(gs), dtype=bool)
    second[1:] = first[:-1] & ~first[1:]
    idx2 = np.flatnonzero(second)
    best = (gs[idx1], vs[idx1], os_[idx1])
    return _less_alternative(f, g, o, n, best, (gs[idx2], vs[idx2]))


def _less_alternative(
    f: np.ndarray,
    g: np.ndarray,
    o: np.ndarray,
    n: int,
    best: tuple[np.ndarray, np.ndarray, np.ndarray],
    second: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """``f`` less each pair's best alternative in its group ``g``: the group's best
    value, or its second best where the pair (other ``o``) is the best one. ``best``:
    the groups that have one, its value and its other; ``second``: the groups that have
    one, its value. Of ``n`` groups."""
    groups, values, others = best
    best_v = np.full(n, -1.0)
    best_o = np.full(n, -1, dtype=np.int64)
    best_v[groups] = values
    best_o[groups] = others
    second_v = np.zeros(n)
    second_v[second[0]] = second[1]
    alt = np.where(best_o[g] == o, second_v[g], np.maximum(best_v[g], 0.0))
    return f - alt


def _first_per(
    group: np.ndarray, other: np.ndarray, vals: np.ndarray, n: int, idx: np.ndarray
) -> np.ndarray:
    """For each group (0 to n-1): which of the entries ``idx`` comes first by highest
    value, then smallest ``other``, then position (the order of a stable sort by
    ``(group, -vals, other)``), or -1. Without a sort: three reductions per group."""
    out = np.full(n, -1, dtype=np.int64)
    if len(idx) == 0:
        return out
    top = np.full(n, -np.inf)
    np.maximum.at(top, group[idx], vals[idx])
    idx = idx[vals[idx] == top[group[idx]]]
    least = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(least, group[idx], other[idx])
    idx = idx[other[idx] == least[group[idx]]]
    pos = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(pos, group[idx], idx)
    found = pos < np.iinfo(np.int64).max
    out[found] = pos[found]
    return out


def similarity(
    feats: Features, a: int, b: int, i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Dice over all terms of the sentence pairs (i of a, j of b), and the
    number of content words they share."""
    if len(i) == 0:
        return np.zeros(0), np.zeros(0)
    ma, mb = feats.matrices[a], feats.matrices[b]
    both = ma[i].multiply(mb[j])
    shared = np.asarray(both @ feats.weights).ravel()
    sim = 2 * shared / (feats.row_weight[a][i] + feats.row_weight[b][j] + 1e-9)
    return sim, np.asarray(both @ feats.content).ravel()


def _candidates(feats: Features, a: int, b: int, i: np.ndarray, j: np.ndarray) -> Candidates:
    """Candidates (i of a, j of b) with their similarity; boilerplate and page furniture
    never (see :mod:`reader.core.text.roles`)."""
    n_b = feats.matrices[b].shape[0]
    keys = sorted_unique(i * n_b + j)
    i, j = keys // n_b, keys % n_b
    keep = ~(feats.boiler[a][i] | feats.boiler[b][j])
    i, j = i[keep], j[keep]
    sim, words = similarity(feats, a, b, i, j)
    return Candidates(i, j, sim, n_b, words)


class PairScorer(Protocol):
    """What linking two sources needs beyond their first candidates: their sizes, the
    scores of pairs added later (gap filling) and whether a merge helps. Words
    (:class:`LexicalScorer`) within one language, sentence vectors across languages
    (:class:`reader.core.alignment.crosslang.VectorScorer`)."""

    n_a: int
    n_b: int

    def candidates(self, i: np.ndarray, j: np.ndarray) -> Candidates:
        """The pairs (i of a, j of b), keys unique and sorted, scored."""
        ...

    def merge_gain(self, side: int, group: list[int], extra: int, j: int) -> float:
        """How much better sentence j of the other source matches the sentences
        ``group`` of source a (``side`` 0) or b (1) with ``extra`` than without it."""
        ...


class LexicalScorer:
    """Scores by shared terms (weighted Dice): sources in one language."""

    def __init__(self, feats: Features, a: int, b: int) -> None:
        self.feats, self.a, self.b = feats, a, b
        self.n_a = feats.matrices[a].shape[0]
        self.n_b = feats.matrices[b].shape[0]

    def candidates(self, i: np.ndarray, j: np.ndarray) -> Candidates:
        return _candidates(self.feats, self.a, self.b, i, j)

    def merge_gain(self, side: int, group: list[int], extra: int, j: int) -> float:
        src, other = (self.a, self.b) if side == 0 else (self.b, self.a)
        return merge_gain(self.feats, src, group, extra, other, j)


def with_context(c: Candidates, weight: float) -> np.ndarray:
    """Similarity plus a bonus when the neighbours (previous with previous, next with
    next, allowing one skipped sentence) also match."""
    d, i, j = c.score, c.i, c.j

    def at(di: int, dj: int) -> np.ndarray:
        return c.lookup(d, i + di, j + dj)

    prev = np.maximum.reduce([at(-1, -1), 0.8 * at(-2, -1), 0.8 * at(-1, -2)])
    nxt = np.maximum.reduce([at(1, 1), 0.8 * at(2, 1), 0.8 * at(1, 2)])
    return d + weight * np.minimum(d + 0.25, (prev + nxt) / 2)


def _best_per(group: np.ndarray, other: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Index of the highest-scoring entry of each group (ties: smaller ``other``), by
    group."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(group) < _SORT_BELOW:
        order = np.lexsort((other, -score, group))
        g = group[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = g[1:] != g[:-1]
        return order[first]
    best = _first_per(group, other, score, int(group.max()) + 1, np.arange(len(group)))
    return best[best >= 0]


def _heaviest_chain(anchors: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The heaviest subsequence of anchors increasing in both i and j (Fenwick tree)."""
    if not anchors:
        return []
    anchors = sorted(anchors)
    js = sorted({j for _, j, _ in anchors})
    rank = {j: r + 1 for r, j in enumerate(js)}
    size = len(js)
    tree_w = [0.0] * (size + 1)  # best chain weight ending at a j-rank <= r
    tree_k = [-1] * (size + 1)
    back = [-1] * len(anchors)
    total = [0.0] * len(anchors)
    for k, (_i, j, w) in enumerate(anchors):
        r = rank[j] - 1
        best_w, best_k = 0.0, -1
        while r > 0:
            if tree_w[r] > best_w:
                best_w, best_k = tree_w[r], tree_k[r]
            r -= r & -r
        total[k] = best_w + w
        back[k] = best_k
        r = rank[j]
        while r <= size:
            if total[k] > tree_w[r]:
                tree_w[r], tree_k[r] = total[k], k
            r += r & -r
    k = max(range(len(anchors)), key=total.__getitem__)
    chain = []
    while k != -1:
        chain.append((anchors[k][0], anchors[k][1]))
        k = back[k]
    chain.reverse()  # mutual bests: i and j are each unique, so strictly increasing
    return chain


def mutual_best(c: Candidates, f: np.ndarray) -> np.ndarray:
    """Indexes of the candidates that are the best of both their sentences."""
    return np.intersect1d(_best_per(c.i, c.j, f), _best_per(c.j, c.i, f))


def anchor_chain(
    c: Candidates, f: np.ndarray, mutual: np.ndarray, strong: float
) -> tuple[list[tuple[int, int]], int]:
    """The order of the two texts: the heaviest chain of strong mutual-best pairs
    (score >= ``strong``) increasing in i and j, and how many strong pairs there are,
    on the chain or not."""
    m = mutual[f[mutual] >= strong]
    chain = _heaviest_chain(list(zip(c.i[m].tolist(), c.j[m].tolist(), f[m].tolist())))
    return chain, len(m)


def extend_chain(
    c: Candidates,
    f: np.ndarray,
    mutual: np.ndarray,
    chain: list[tuple[int, int]],
    strong: float,
    weak: float,
) -> list[tuple[int, int]]:
    """``chain`` with the weaker mutual-best pairs (``weak`` <= score < ``strong``) that
    fall inside one of its gaps, in order."""
    if len(chain) < 2:
        return chain
    m = mutual[(f[mutual] >= weak) & (f[mutual] < strong)]
    ci = np.array([x for x, _ in chain])
    cj = np.array([y for _, y in chain])
    wi, wj, wf = c.i[m], c.j[m], f[m]
    k = np.searchsorted(ci, wi)  # anchor k-1 before, anchor k after
    inside = (k > 0) & (k < len(ci))
    kk = np.clip(k, 1, len(ci) - 1)
    inside &= (cj[kk - 1] < wj) & (wj < cj[kk])
    extra = list(zip(wi[inside].tolist(), wj[inside].tolist(), wf[inside].tolist()))
    if not extra:
        return chain
    # strong anchors weigh more than any number of weak ones between two of them
    score = dict(zip(zip(c.i[mutual].tolist(), c.j[mutual].tolist()), f[mutual].tolist()))
    heavy = [(i, j, 1000.0 + score[(i, j)]) for i, j in chain]
    return _heaviest_chain(heavy + extra)


def gap_candidates(
    scorer: PairScorer, c: Candidates, chain: list[tuple[int, int]], gap_max: int
) -> Candidates:
    """``c`` plus every pair inside a small gap between consecutive anchors, the two
    ends of the texts counting as anchors (so the last verses of a book, after its
    last anchor, are paired too); only the pairs not scored yet are scored."""
    gi: list[int] = []
    gj: list[int] = []
    n_a, n_b = scorer.n_a, c.n_b
    ends = [(-1, -1), *chain, (n_a, n_b)]
    for (i1, j1), (i2, j2) in zip(ends, ends[1:]):
        if i2 - i1 + j2 - j1 > 1 and i2 - i1 <= gap_max and j2 - j1 <= gap_max:
            for i in range(max(i1, 0), min(i2, n_a - 1) + 1):
                lo, hi = max(j1, 0), min(j2, n_b - 1)
                gi.extend([i] * (hi - lo + 1))
                gj.extend(range(lo, hi + 1))
    if not gi:
        return c
    keys = sorted_unique(np.array(gi, dtype=np.int64) * c.n_b + np.array(gj, dtype=np.int64))
    keys = keys[~np.isin(keys, c.keys, assume_unique=True)]
    if len(keys) == 0:
        return c
    return c.merged(scorer.candidates(keys // c.n_b, keys % c.n_b))


def _box(
    ci: np.ndarray, cj: np.ndarray, i: np.ndarray, j: np.ndarray, gap_max: int
) -> tuple[np.ndarray, np.ndarray]:
    """Seen from the i side: is (i, j) between the anchors around i, and is that gap small?"""
    big = np.int64(1) << 60
    lo_k = np.searchsorted(ci, i, side="left") - 1  # last anchor strictly before i
    hi_k = np.searchsorted(ci, i, side="right")  # first anchor strictly after i
    has_lo, has_hi = lo_k >= 0, hi_k < len(ci)
    lo = np.where(has_lo, cj[np.maximum(lo_k, 0)], -1)
    hi = np.where(has_hi, cj[np.minimum(hi_k, len(ci) - 1)], big)
    ilo = np.where(has_lo, ci[np.maximum(lo_k, 0)], i - gap_max - 1)
    ihi = np.where(has_hi, ci[np.minimum(hi_k, len(ci) - 1)], i + gap_max + 1)
    in_order = (lo <= j) & (j <= hi)
    small = (hi - lo <= gap_max) & (ihi - ilo <= gap_max)
    return in_order, small


def with_order(
    c: Candidates, f: np.ndarray, chain: list[tuple[int, int]], settings: Settings
) -> tuple[Candidates, np.ndarray]:
    """Reward pairs inside a small gap between anchors; drop weak pairs that cross
    the chain. Judged from both sides, so the result does not depend on which
    source is which."""
    if len(chain) < 3:
        return c, f
    ci = np.array([x for x, _ in chain])
    cj = np.array([y for _, y in chain])
    in_a, small_a = _box(ci, cj, c.i, c.j, settings.gap_max)
    in_b, small_b = _box(cj, ci, c.j, c.i, settings.gap_max)
    in_order = in_a & in_b
    f = f + np.where(in_order & small_a & small_b, settings.gap_bonus, 0.0)
    # a pair out of the order survives only when strong and clearly the best of both
    # its sentences: a repeated sentence ("Amen." at the end of many books) is not
    margin_i, margin_j = margins(c.i, c.j, f, c.i, c.j, f)
    keep = in_order | (
        (f >= settings.cross_keep) & (np.minimum(margin_i, margin_j) >= settings.cross_margin)
    )
    return c.take(keep), f[keep]


def _terms(m: sparse.csr_matrix, i: int) -> np.ndarray:
    return m.indices[m.indptr[i] : m.indptr[i + 1]]


def merge_gain(
    feats: Features, short_src: int, group: list[int], extra: int, long_src: int, j: int
) -> float:
    """How much better sentence j of ``long_src`` matches the sentences ``group`` of
    ``short_src`` together with ``extra`` than without it."""
    w = feats.weights
    ms = feats.matrices[short_src]
    tj = set(_terms(feats.matrices[long_src], j).tolist())  # sets: the term lists are short
    wj = float(w[list(tj)].sum())
    without: set[int] = set()
    for k in group:
        if k != extra:
            without.update(_terms(ms, k).tolist())
    with_extra = without | set(_terms(ms, extra).tolist())

    def sim(t: set[int]) -> float:
        shared = float(w[list(t & tj)].sum())
        return 2 * shared / (float(w[list(t)].sum()) + wj + 1e-9)

    return sim(with_extra) - sim(without)


def select(
    c: Candidates, f: np.ndarray, scorer: PairScorer, settings: Settings, parallel: bool = True
) -> dict[tuple[int, int], float]:
    """Links: a greedy one-to-one matching, best pairs first, then n-1 merges.

    Every pair with a score above the threshold is taken, best first, when neither
    of its sentences is matched yet. A sentence left over whose best counterpart j
    was matched to another sentence i' (a split: "A. B." written as "A, B.") joins
    that link when j matches them better with it than without. In parallel texts
    i' must be a near neighbour and the whole run between them counts; in rewrites,
    which move split halves apart, any i' does.
    """
    ok = np.flatnonzero((c.sim >= settings.min_own) & (f >= settings.threshold))
    order = ok[np.lexsort((c.j[ok], c.i[ok], -f[ok]))]
    ci, cj, cf = c.i[order].tolist(), c.j[order].tolist(), f[order].tolist()
    match_a: dict[int, int] = {}
    match_b: dict[int, int] = {}
    links: dict[tuple[int, int], float] = {}
    for i, j, score in zip(ci, cj, cf):
        if i not in match_a and j not in match_b:
            match_a[i] = j
            match_b[j] = i
            links[(i, j)] = score
    best_a: dict[int, tuple[int, float]] = {}
    best_b: dict[int, tuple[int, float]] = {}
    for i, j, score in zip(ci, cj, cf):  # best first: the first seen is the best
        best_a.setdefault(i, (j, score))
        best_b.setdefault(j, (i, score))

    def group(k: int, other: int) -> list[int] | None:
        """The sentences merged with ``other`` if k joins it: the run between them in
        parallel texts; in rewrites, which move split halves apart, just the two."""
        if parallel:
            if 0 < abs(other - k) < settings.merge_max:
                return list(range(min(k, other), max(k, other) + 1))
            return None
        return [other, k]

    def join_leftovers(
        best: dict,
        matched: dict,
        partner_of: dict,
        side: int,
        key: Callable[[int, int], tuple[int, int]],
    ) -> None:
        for k, (t, score) in best.items():
            other = partner_of.get(t)
            if k in matched or other is None:
                continue
            members = group(k, other)
            if members and scorer.merge_gain(side, members, k, t) > settings.merge_gain:
                links[key(k, t)] = score

    join_leftovers(best_a, match_a, match_b, 0, lambda i, j: (i, j))
    join_leftovers(best_b, match_b, match_a, 1, lambda j, i: (i, j))
    return links


@dataclass
class PairResult:
    """What linking two sources produced: the links with their scores, the candidates
    considered (with their final scores, for margins) and whether the texts run in
    parallel."""

    links: dict[tuple[int, int], float]
    candidates: Candidates
    scores: np.ndarray
    parallel: bool


def pair_links(scorer: PairScorer, settings: Settings, c: Candidates) -> PairResult:
    """Links between sources a and b, and the candidate pairs considered.

    Texts count as parallel (a translation or a close revision, not a rewrite) when
    the chain of strong anchors covers much of the shorter text and holds nearly
    all strong pairs (few cross it). Then weaker anchors join the chain, every pair
    in a small gap between anchors becomes a candidate, and weak pairs crossing the
    chain are dropped. Rewrites reorder freely: no order constraint there.
    """
    f = with_context(c, settings.context_weight)
    mutual = mutual_best(c, f)
    chain, n_strong = anchor_chain(c, f, mutual, settings.anchor_min)
    shorter = max(1, min(scorer.n_a, scorer.n_b))
    parallel = (
        len(chain) >= max(settings.parallel_anchors, settings.parallel_min * shorter)
        and len(chain) >= settings.parallel_in_order * n_strong
    )
    if parallel:
        chain = extend_chain(c, f, mutual, chain, settings.anchor_min, settings.anchor_weak)
        c2 = gap_candidates(scorer, c, chain, settings.gap_max)
        if c2 is not c:
            c, f = c2, with_context(c2, settings.context_weight)
        ordered, f = with_order(c, f, chain, settings)
    else:
        # Without an order to vouch for them, two sentences sharing one content word
        # (a dateline and a place name, a headline and a body sentence naming the same
        # place) are no counterparts unless nearly identical.
        weak = (c.words < settings.min_shared_words) & (c.sim < _SAME_TEXT)
        ordered, f = c, np.where(weak, 0.0, f)
    return PairResult(select(ordered, f, scorer, settings, parallel), ordered, f, parallel)
