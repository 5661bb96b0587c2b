"""Candidate pairs for every pair of sources at once.

The inverted index in matrix form: all sentences of all sources stacked (rows) times
their informative terms; the sparse product of a block of rows with the term-by-
sentence pattern of one source gives, for each sentence, every sentence of that source
that shares an informative term, with an approximate weighted Dice. Each sentence keeps
its best ``top_k`` in each other source (both directions come out of the same products,
since every sentence is a row once). Then the exact similarity of all kept pairs over
all their terms is computed in a few large steps.

Done for blocks of sentences from all sources at once, the fixed cost of each sparse
operation is paid once per block and source, not once per pair of sources: 500
one-line files make 124,750 pairs of sources, most of them with no candidate at all.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from reader.core.alignment import parallel
from reader.core.alignment.features import Features, sorted_unique

__all__ = ["candidate_pairs", "similarities", "sorted_unique", "stable_argsort"]

_PRUNE = 0.2  # candidates below this share of the best (per sentence and other source)
# are not ranked
_CHUNK = 200_000  # pairs whose exact similarity is computed in one step (bounds memory)


def candidate_pairs(
    feats: Features, top_k: int, block: int
) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]:
    """For every pair of sources (a < b) with candidates: sentence indexes (i of a, j of
    b), each pair once, sorted by (i, j)."""
    sizes = [m.shape[0] for m in feats.matrices]
    n = len(sizes)
    total = sum(sizes)
    if n < 2 or total == 0:
        return {}
    offsets = np.r_[0, np.cumsum(sizes)]
    source_of = np.repeat(np.arange(n), sizes)
    index = sparse.vstack(feats.index_matrices, format="csr")
    weight = np.concatenate(feats.row_weight)
    # one task per block of rows and other source (not a block that is all source b)
    tasks = [
        (r0, b)
        for r0 in range(0, total, block)
        for b in range(n)
        if not (offsets[b] <= r0 and min(r0 + block, total) <= offsets[b + 1])
    ]
    shared = (index, feats, weight, offsets, top_k, block)
    found = parallel.run(_block_best, tasks, shared, parallel.workers(total))
    rows_out = [r for r, _ in found]
    cols_out = [c for _, c in found]
    rows = np.concatenate(rows_out)
    cols = np.concatenate(cols_out)
    if len(rows) == 0:
        return {}
    # orient each pair a < b and drop duplicates (found from both sides)
    sr, sc = source_of[rows], source_of[cols]
    swap = sr > sc
    lo = np.where(swap, cols, rows)
    hi = np.where(swap, rows, cols)
    keys = sorted_unique(lo * total + hi)
    lo, hi = keys // total, keys % total
    sa, sb = source_of[lo], source_of[hi]
    order = np.lexsort((hi, lo, sb, sa))
    lo, hi, sa, sb = lo[order], hi[order], sa[order], sb[order]
    pair_key = sa * n + sb
    starts = np.flatnonzero(np.r_[True, pair_key[1:] != pair_key[:-1]])
    ends = np.r_[starts[1:], len(pair_key)]
    out = {}
    for s, e in zip(starts.tolist(), ends.tolist()):
        a, b = int(sa[s]), int(sb[s])
        out[(a, b)] = (lo[s:e] - offsets[a], hi[s:e] - offsets[b])
    return out


def _block_best(
    shared: tuple[sparse.csr_matrix, Features, np.ndarray, np.ndarray, int, int],
    task: tuple[int, int],
) -> tuple[np.ndarray, np.ndarray]:
    """The best candidates in source b of the block of rows from r0 (a task of
    :func:`reader.core.alignment.parallel.run`): stacked row and column numbers."""
    index, feats, weight, offsets, top_k, block = shared
    r0, b = task
    part = index if r0 == 0 and block >= index.shape[0] else index[r0 : r0 + block]
    r1 = r0 + part.shape[0]
    rows, cols = _best_in(part, feats.index_columns[b], weight[r0:r1], feats.row_weight[b], top_k)
    own = (rows >= offsets[b] - r0) & (rows < offsets[b + 1] - r0)  # not source b with itself
    return r0 + rows[~own], offsets[b] + cols[~own]


def _best_in(
    rows_a: sparse.csr_matrix, columns_b: sparse.csc_matrix, wa: np.ndarray, wb: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The best ``k`` sentences of b for every row of ``rows_a``, by approximate Dice."""
    prod = (rows_a @ columns_b).tocsr()
    if prod.nnz == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    counts = np.diff(prod.indptr)
    rows = np.repeat(np.arange(prod.shape[0], dtype=np.int32), counts)  # half the bytes to move
    cols = prod.indices
    approx = prod.data / (wa[rows] + wb[cols] + 1e-9)
    # most entries share one middling term: drop what is far below the row's best
    # before sorting (the top k are always kept)
    nonempty = counts > 0
    row_max = np.zeros(len(counts))
    row_max[nonempty] = np.maximum.reduceat(approx, prod.indptr[:-1][nonempty])
    keep = approx >= _PRUNE * row_max[rows]
    rows, cols, approx = rows[keep], cols[keep], approx[keep]
    # by row, best first (approx < 1); ties keep the product's order, which is the same
    # whichever source is called a
    order = stable_argsort(rows * 2.0 - approx)
    rows, cols = rows[order], cols[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    sel = rank < k
    return rows[sel].astype(np.int64), cols[sel].astype(np.int64)


def stable_argsort(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` of a float array without NaN, twice as fast on
    the millions of candidates of a book: numpy's default sort (vectorised, not stable),
    then each run of equal keys put back in the order of position."""
    order = np.argsort(key)
    ks = key[order]
    tie = ks[1:] == ks[:-1]
    if tie.any():
        in_run = np.zeros(len(key), dtype=bool)
        in_run[1:] |= tie
        in_run[:-1] |= tie
        at = np.flatnonzero(in_run)
        run = np.cumsum(np.r_[True, ~tie])[at]  # which run of equal keys
        order[at] = order[at][np.lexsort((order[at], run))]
    return order


def similarities(
    feats: Features, pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]
) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]:
    """Weighted Dice over all terms, and the content words shared, of every pair given
    (computed in chunks over all pairs of sources together)."""
    if not pairs:
        return {}
    sizes = [m.shape[0] for m in feats.matrices]
    offsets = np.r_[0, np.cumsum(sizes)]
    matrix = sparse.vstack(feats.matrices, format="csr")
    weight = np.concatenate(feats.row_weight)
    keys = list(pairs)
    rows = np.concatenate([pairs[k][0] + offsets[k[0]] for k in keys])
    cols = np.concatenate([pairs[k][1] + offsets[k[1]] for k in keys])
    sim = np.zeros(len(rows))
    words = np.zeros(len(rows))
    for c0 in range(0, len(rows), _CHUNK):
        r, c = rows[c0 : c0 + _CHUNK], cols[c0 : c0 + _CHUNK]
        both = matrix[r].multiply(matrix[c])
        shared = np.asarray(both @ feats.weights).ravel()
        sim[c0 : c0 + _CHUNK] = 2 * shared / (weight[r] + weight[c] + 1e-9)
        words[c0 : c0 + _CHUNK] = np.asarray(both @ feats.content).ravel()
    out = {}
    start = 0
    for k in keys:
        m = len(pairs[k][0])
        out[k] = (sim[start : start + m], words[start : start + m])
        start += m
    return out
