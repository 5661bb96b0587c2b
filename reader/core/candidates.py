"""Candidate pairs for every pair of sources at once.

The inverted index in matrix form: all sentences of all sources stacked (rows) times
all their informative terms (columns); one sparse product of a block of rows with
every sentence gives, for each sentence, every sentence of every other source that
shares an informative term, with an approximate weighted Dice. Each sentence keeps
its best ``top_k`` in each other source (both directions come out of the same product,
since every sentence is a row once). Then the exact similarity of all kept pairs over
all their terms is computed in a few large steps.

Done for all pairs of sources together, the fixed cost of each sparse operation is
paid once per block, not once per pair of sources: 500 one-line files make 124,750
pairs of sources, most of them with no candidate at all.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from reader.core.features import Features

_PRUNE = 0.2    # candidates below this share of the best (per sentence and other source)
                # are not ranked
_CHUNK = 200_000  # pairs whose exact similarity is computed in one step (bounds memory)


def candidate_pairs(feats: Features, top_k: int, block: int
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
    columns = sparse.hstack(feats.index_columns, format="csr")
    weight = np.concatenate(feats.row_weight)
    rows_out, cols_out = [], []
    for r0 in range(0, total, block):
        part = index if block >= total else index[r0:r0 + block]
        prod = (part @ columns).tocsr()
        if prod.nnz == 0:
            continue
        counts = np.diff(prod.indptr)
        rows = r0 + np.repeat(np.arange(prod.shape[0]), counts)
        cols = prod.indices.astype(np.int64)
        target = source_of[cols]
        other = source_of[rows] != target
        rows, cols, target = rows[other], cols[other], target[other]
        if len(rows) == 0:
            continue
        approx = prod.data[other] / (weight[rows] + weight[cols] + 1e-9)
        # one group per sentence and other source: drop what is far below the group's
        # best before sorting (the top k are always kept)
        group = rows * n + target
        order = np.argsort(group, kind="stable")  # stable: columns keep sentence order
        group, rows, cols, approx = group[order], rows[order], cols[order], approx[order]
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        best = np.maximum.reduceat(approx, starts)
        sizes_g = np.diff(np.r_[starts, len(group)])
        keep = approx >= _PRUNE * np.repeat(best, sizes_g)
        group, rows, cols, approx = group[keep], rows[keep], cols[keep], approx[keep]
        # by group, best first; ties keep the product's order (the other source's sentence
        # order), which is the same whichever source is called a
        order = np.lexsort((-approx, group))
        group, rows, cols = group[order], rows[order], cols[order]
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        rank = np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))
        sel = rank < top_k
        rows_out.append(rows[sel])
        cols_out.append(cols[sel])
    if not rows_out:
        return {}
    rows = np.concatenate(rows_out)
    cols = np.concatenate(cols_out)
    # orient each pair a < b and drop duplicates (found from both sides)
    sr, sc = source_of[rows], source_of[cols]
    swap = sr > sc
    lo = np.where(swap, cols, rows)
    hi = np.where(swap, rows, cols)
    keys = np.unique(lo * total + hi)
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


def similarities(feats: Features, pairs: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]
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
        r, c = rows[c0:c0 + _CHUNK], cols[c0:c0 + _CHUNK]
        both = matrix[r].multiply(matrix[c])
        shared = np.asarray(both @ feats.weights).ravel()
        sim[c0:c0 + _CHUNK] = 2 * shared / (weight[r] + weight[c] + 1e-9)
        words[c0:c0 + _CHUNK] = np.asarray(both @ feats.content).ravel()
    out = {}
    start = 0
    for k in keys:
        m = len(pairs[k][0])
        out[k] = (sim[start:start + m], words[start:start + m])
        start += m
    return out
