"""N-way sentence alignment across all sources, with no base text.

Pipeline (each step symmetric in the sources, so file order never matters):

1. **Terms and weights** (:mod:`reader.core.tokens`): each sentence becomes a set
   of terms. A term's weight is an IDF computed *within* sources: a term used by
   many sentences of one article (the story's topic) weighs little; a term each
   source uses once (the detail that marks the true counterpart) weighs a lot.
2. **Candidates** per pair of sources: a sparse product of the term matrices
   restricted to the informative terms (an inverted index in matrix form),
   processed in row blocks, keeping the best few candidates of every sentence in
   both directions. Never all pairs: memory stays linear in the sentences.
3. **Scores**: weighted Dice over all terms of each candidate pair, plus a
   neighbourhood bonus: a pair whose neighbours (previous with previous, next
   with next) also match is more likely right; this picks the right one among
   repeated sentences and carries reworded sentences between two anchors.
4. **Links**: each sentence keeps its best counterpart in every other source when
   the score clears a threshold. Because a short sentence's best match is the
   long sentence that contains it, 1–2 splits and 2–1 merges come out as
   one-to-many links naturally.
5. **N-way evidence**: a weaker pair (A, C) is kept when both also link to the
   same sentence of a third source B.
6. **Boilerplate** (``Leave a Comment``, ``Read also``) never links.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from reader.core.model import Alignment, Link, Source
from reader.core.segment import split_sentences
from reader.core.sources import Document
from reader.core.tokens import STOPWORDS, sentence_terms

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Settings:
    threshold: float = 0.30          # final score a link needs
    cosine: bool = False             # normalise by the geometric instead of the arithmetic mean
    min_own: float = 0.14            # Dice a pair needs on its own words, whatever its context
    context_weight: float = 0.35     # weight of the neighbourhood bonus
    transitive_min_own: float = 0.10 # own Dice for a pair rescued by a third source
    top_k: int = 6                   # candidates kept per sentence and direction
    anchor_min: float = 0.45         # score of a mutual best pair to anchor the order
    gap_bonus: float = 0.12          # bonus for a pair inside a small gap between anchors
    gap_max: int = 6                 # largest gap (sentences) that earns the bonus
    cross_keep: float = 0.60         # a pair crossing the anchor chain needs this score
    merge_gain: float = 0.03         # an n-1 merge must improve the similarity by this much
    merge_max: int = 4               # most sentences merged into one
    max_df_fraction: float = 0.04    # terms in more sentences than this are not indexed
    min_df_cap: int = 40
    block_rows: int = 4096


DEFAULT = Settings()

_BOILERPLATE = re.compile(
    r"^\W*(?:leave a (?:comment|reply)|post a comment|no comments?:?|\d+ comments?|comments?"
    r"|share(?: this(?: article| story| post)?)?(?: on \w+)?|advertisement|advertising"
    r"|read (?:also|more|next)|see also|related(?: articles| stories| posts)?"
    r"|you may also like|recommended(?: for you)?|subscribe(?: now)?(?: to .*)?"
    r"|sign up(?: .*)?|click here(?: .*)?|follow us(?: .*)?|required fields are marked.*"
    r"|your email address will not be published.*|all rights reserved.*|copyright\b.*"
    r"|©.*|skip to (?:main )?content|print(?: this)?|email|tweet|facebook|twitter"
    r"|whatsapp|leia (?:também|mais)|veja também|publicidade|compartilhe.*)\W*$",
    re.IGNORECASE,
)


def is_boilerplate(sentence: str) -> bool:
    return len(sentence) <= 120 and _BOILERPLATE.match(sentence) is not None


# ---------------------------------------------------------------------------------
# features


@dataclass
class _Features:
    matrices: list[sparse.csr_matrix]   # binary sentence x term, one per source
    index_matrices: list[sparse.csr_matrix]  # weighted, informative terms only
    weights: np.ndarray                 # term weights
    row_weight: list[np.ndarray]        # total weight of each sentence
    boiler: list[np.ndarray]            # bool per sentence


def _features(sources: Sequence[Source], settings: Settings) -> _Features:
    vocab: dict[str, int] = {}
    rows_per_source: list[list[list[int]]] = []
    for src in sources:
        rows = []
        for s, e in src.sentences:
            ids = {vocab.setdefault(t, len(vocab)) for t in sentence_terms(src.text, s, e)}
            rows.append(sorted(ids))
        rows_per_source.append(rows)
    n_terms = max(1, len(vocab))
    matrices = []
    df_max = np.zeros(n_terms, dtype=np.int64)
    for rows in rows_per_source:
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(r) for r in rows])
        indices = np.fromiter((t for r in rows for t in r), dtype=np.int32, count=int(indptr[-1]))
        m = sparse.csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr),
                              shape=(len(rows), n_terms))
        matrices.append(m)
        df_max = np.maximum(df_max, np.bincount(indices, minlength=n_terms))
    n_mean = max(1.0, float(np.mean([len(r) for r in rows_per_source])))
    weights = np.log1p(n_mean / np.maximum(df_max, 1))
    damp = np.ones(n_terms)
    for t, i in vocab.items():
        if t in STOPWORDS:
            damp[i] = 0.15
        elif t.startswith("~"):
            damp[i] = 0.5
    weights *= damp
    cap = max(settings.min_df_cap, int(settings.max_df_fraction * n_mean))
    informative = (df_max <= cap) & (damp == 1.0)
    index_weights = np.where(informative, weights, 0.0)
    index_matrices = [(m @ sparse.diags(index_weights)).tocsr() for m in matrices]
    for m in index_matrices:
        m.eliminate_zeros()
    row_weight = [np.asarray(m @ weights).ravel() for m in matrices]
    boiler = [np.array([is_boilerplate(src.sentence(i)) for i in range(len(src))], dtype=bool)
              for src in sources]
    return _Features(matrices, index_matrices, weights, row_weight, boiler)


# ---------------------------------------------------------------------------------
# candidates and scores for one pair of sources


def _top_candidates(ia: sparse.csr_matrix, mb: sparse.csr_matrix, wa: np.ndarray,
                    wb: np.ndarray, k: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    """Best ``k`` candidates in B for every row of A, by approximate Dice."""
    bt = mb.T.tocsc()
    out_i, out_j = [], []
    for r0 in range(0, ia.shape[0], block):
        prod = (ia[r0:r0 + block] @ bt).tocsr()
        prod.eliminate_zeros()
        indptr, indices, data = prod.indptr, prod.indices, prod.data
        if len(data) == 0:
            continue
        rows = np.repeat(np.arange(prod.shape[0]), np.diff(indptr))
        approx = data / (wa[r0 + rows] + wb[indices] + 1e-9)
        counts = np.diff(indptr)
        for r in np.flatnonzero(counts):
            lo, hi = indptr[r], indptr[r + 1]
            if hi - lo <= k:
                sel = np.arange(lo, hi)
            else:
                sel = lo + np.argpartition(-approx[lo:hi], k - 1)[:k]
            out_i.append(np.full(len(sel), r0 + r, dtype=np.int64))
            out_j.append(indices[sel].astype(np.int64))
    if not out_i:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_i), np.concatenate(out_j)


def _dice_for(fa: int, fb: int, ii: np.ndarray, jj: np.ndarray, feats: _Features,
              settings: Settings) -> dict[tuple[int, int], float]:
    """Weighted similarity over all terms of the given sentence pairs."""
    if len(ii) == 0:
        return {}
    ma, mb = feats.matrices[fa], feats.matrices[fb]
    wa, wb = feats.row_weight[fa], feats.row_weight[fb]
    shared = np.asarray(ma[ii].multiply(mb[jj]) @ feats.weights).ravel()
    if settings.cosine:
        sim = shared / (np.sqrt(wa[ii] * wb[jj]) + 1e-9)
    else:
        sim = 2 * shared / (wa[ii] + wb[jj] + 1e-9)
    ba, bb = feats.boiler[fa], feats.boiler[fb]
    return {(i, j): d for i, j, d in zip(ii.tolist(), jj.tolist(), sim.tolist())
            if not (ba[i] or bb[j])}


def _pair_scores(fa: int, fb: int, feats: _Features, settings: Settings
                 ) -> dict[tuple[int, int], float]:
    """Similarity of every candidate pair of sources ``fa`` and ``fb``."""
    mb = feats.matrices[fb]
    wa, wb = feats.row_weight[fa], feats.row_weight[fb]
    i1, j1 = _top_candidates(feats.index_matrices[fa], feats.index_matrices[fb] > 0,
                             wa, wb, settings.top_k, settings.block_rows)
    j2, i2 = _top_candidates(feats.index_matrices[fb], feats.index_matrices[fa] > 0,
                             wb, wa, settings.top_k, settings.block_rows)
    if len(i1) + len(i2) == 0:
        return {}
    keys = np.unique(np.concatenate([i1, i2]) * (mb.shape[0] + 1) + np.concatenate([j1, j2]))
    return _dice_for(fa, fb, keys // (mb.shape[0] + 1), keys % (mb.shape[0] + 1), feats, settings)


def _gap_pairs(chain: list[tuple[int, int]], known: dict, gap_max: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """Every pair inside a small gap between consecutive anchors not scored yet."""
    ii, jj = [], []
    for (i1, j1), (i2, j2) in zip(chain, chain[1:]):
        if i2 - i1 > gap_max or j2 - j1 > gap_max:
            continue
        for i in range(i1, i2 + 1):
            for j in range(j1, j2 + 1):
                if (i, j) not in known:
                    ii.append(i)
                    jj.append(j)
    return np.array(ii, dtype=np.int64), np.array(jj, dtype=np.int64)


def _with_context(dice: dict[tuple[int, int], float], weight: float) -> dict[tuple[int, int], float]:
    """Add a bonus for pairs whose neighbours also match (allowing one skipped sentence)."""
    get = dice.get
    out = {}
    for (i, j), d in dice.items():
        prev = max(get((i - 1, j - 1), 0.0), 0.8 * get((i - 2, j - 1), 0.0),
                   0.8 * get((i - 1, j - 2), 0.0))
        nxt = max(get((i + 1, j + 1), 0.0), 0.8 * get((i + 2, j + 1), 0.0),
                  0.8 * get((i + 1, j + 2), 0.0))
        out[(i, j)] = d + weight * min(d + 0.25, (prev + nxt) / 2)
    return out


def _mutual_best(scored: dict[tuple[int, int], float]) -> list[tuple[int, int, float]]:
    best_a: dict[int, tuple[float, int]] = {}
    best_b: dict[int, tuple[float, int]] = {}
    for (i, j), f in scored.items():
        if f > best_a.get(i, (-1.0, -1))[0]:
            best_a[i] = (f, j)
        if f > best_b.get(j, (-1.0, -1))[0]:
            best_b[j] = (f, i)
    return [(i, j, f) for i, (f, j) in best_a.items() if best_b[j][1] == i]


def _anchor_chain(anchors: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The heaviest chain of anchors increasing in both sentence indices."""
    if not anchors:
        return []
    anchors = sorted(anchors)
    js = sorted({j for _, j, _ in anchors})
    rank = {j: r + 1 for r, j in enumerate(js)}
    size = len(js)
    tree_w = [0.0] * (size + 1)  # Fenwick tree of (best weight, anchor index) on j-rank
    tree_k = [-1] * (size + 1)
    back = [-1] * len(anchors)
    total = [0.0] * len(anchors)
    for k, (_i, j, f) in enumerate(anchors):
        r = rank[j] - 1  # strictly smaller j
        best_w, best_k = 0.0, -1
        while r > 0:
            if tree_w[r] > best_w:
                best_w, best_k = tree_w[r], tree_k[r]
            r -= r & -r
        total[k] = best_w + f
        back[k] = best_k
        r = rank[j]
        while r <= size:
            if total[k] > tree_w[r]:
                tree_w[r], tree_k[r] = total[k], k
            r += r & -r
    # anchors with equal i must not both be in the chain: sorted (i, j) and strict j
    # order already prevent equal j; equal i with larger j can follow, so filter after.
    k = max(range(len(anchors)), key=total.__getitem__)
    chain = []
    while k != -1:
        chain.append((anchors[k][0], anchors[k][1]))
        k = back[k]
    chain.reverse()
    out: list[tuple[int, int]] = []
    for i, j in chain:
        if not out or i > out[-1][0]:
            out.append((i, j))
    return out


def _order_chain(scored: dict[tuple[int, int], float], settings: Settings) -> list[tuple[int, int]]:
    return _anchor_chain([a for a in _mutual_best(scored) if a[2] >= settings.anchor_min])


def _with_order(scored: dict[tuple[int, int], float], chain: list[tuple[int, int]],
                settings: Settings) -> dict[tuple[int, int], float]:
    """Reward pairs that sit in a small gap between order anchors, and demand a
    strong score of weak pairs that cross the anchor chain."""
    if len(chain) < 3:
        return scored
    from bisect import bisect_left, bisect_right

    ci = [i for i, _ in chain]
    cj = [j for _, j in chain]
    out = {}
    for (i, j), f in scored.items():
        lo_k = bisect_left(ci, i) - 1      # last anchor strictly before i
        hi_k = bisect_right(ci, i)         # first anchor strictly after i
        lo = cj[lo_k] if lo_k >= 0 else -1
        hi = cj[hi_k] if hi_k < len(cj) else 1 << 60
        if lo <= j <= hi:
            ilo = ci[lo_k] if lo_k >= 0 else i - settings.gap_max - 1
            ihi = ci[hi_k] if hi_k < len(ci) else i + settings.gap_max + 1
            if hi - lo <= settings.gap_max and ihi - ilo <= settings.gap_max:
                f += settings.gap_bonus
        elif f < settings.cross_keep:
            continue
        out[(i, j)] = f
    return out


def _pair_links(a: int, b: int, feats: _Features, settings: Settings
                ) -> tuple[dict[tuple[int, int], float], dict[tuple[int, int], float]]:
    """Links between sources a and b, and the similarity of every pair considered."""
    dice = _pair_scores(a, b, feats, settings)
    scored = _with_context(dice, settings.context_weight)
    chain = _order_chain(scored, settings)
    gi, gj = _gap_pairs(chain, dice, settings.gap_max)
    if len(gi):
        dice.update(_dice_for(a, b, gi, gj, feats, settings))
        scored = _with_context(dice, settings.context_weight)
    scored = _with_order(scored, chain, settings)
    links = _select(scored, dice, a, b, feats, settings)
    return links, dice


def _terms(m: sparse.csr_matrix, i: int) -> np.ndarray:
    return m.indices[m.indptr[i]:m.indptr[i + 1]]


def _merge_gain(feats: _Features, short_src: int, run: range, extra: int, long_src: int,
                j: int) -> float:
    """How much better sentence j (of long_src) matches the run of adjacent sentences
    of short_src with ``extra`` than without it."""
    w = feats.weights
    ms, ml = feats.matrices[short_src], feats.matrices[long_src]
    tj = _terms(ml, j)
    wj = w[tj].sum()
    without = np.unique(np.concatenate([_terms(ms, k) for k in run if k != extra]))
    with_extra = np.union1d(without, _terms(ms, extra))

    def sim(t: np.ndarray) -> float:
        shared = w[np.intersect1d(t, tj, assume_unique=True)].sum()
        return 2 * shared / (w[t].sum() + wj + 1e-9)

    return sim(with_extra) - sim(without)


def _select(scored: dict[tuple[int, int], float], dice: dict[tuple[int, int], float],
            a: int, b: int, feats: _Features, settings: Settings) -> dict[tuple[int, int], float]:
    """Each sentence's best counterpart, from both sides, above the thresholds.

    A mutual best pair is a 1-1 link. A pair that is the best for only one side,
    sentence i whose best is j while j prefers i', is a 2-1 merge: kept when i and
    i' are neighbours and j matches them together better than i' alone.
    """
    best_a: dict[int, tuple[float, int]] = {}
    best_b: dict[int, tuple[float, int]] = {}
    for (i, j), f in scored.items():
        if dice[(i, j)] < settings.min_own:
            continue
        if f > best_a.get(i, (-1.0, 0))[0] or (f == best_a[i][0] and j < best_a[i][1]):
            best_a[i] = (f, j)
        if f > best_b.get(j, (-1.0, 0))[0] or (f == best_b[j][0] and i < best_b[j][1]):
            best_b[j] = (f, i)
    links: dict[tuple[int, int], float] = {}
    for i, (f, j) in best_a.items():
        if f < settings.threshold:
            continue
        other = best_b.get(j, (0.0, -1))[1]
        if other == i or (0 < abs(other - i) <= settings.merge_max - 1 and _merge_gain(
                feats, a, range(min(i, other), max(i, other) + 1), i, b, j) > settings.merge_gain):
            links[(i, j)] = f
    for j, (f, i) in best_b.items():
        if f < settings.threshold or (i, j) in links:
            continue
        other = best_a.get(i, (0.0, -1))[1]
        if other == j or (0 < abs(other - j) <= settings.merge_max - 1 and _merge_gain(
                feats, b, range(min(j, other), max(j, other) + 1), j, a, i) > settings.merge_gain):
            links[(i, j)] = f
    return links


# ---------------------------------------------------------------------------------
# the whole alignment


def segment(documents: Sequence[Document]) -> list[Source]:
    return [Source(name=d.name, text=d.text, sentences=split_sentences(d.text), path=d.path,
                   encoding=d.encoding) for d in documents]


def align_sources(sources: list[Source], settings: Settings = DEFAULT,
                  progress: Progress | None = None) -> Alignment:
    """Align already segmented sources."""
    n = len(sources)
    report = progress or (lambda _msg, _frac: None)
    report("indexing words", 0.0)
    feats = _features(sources, settings)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    dice_by_pair: dict[tuple[int, int], dict[tuple[int, int], float]] = {}
    links_by_pair: dict[tuple[int, int], dict[tuple[int, int], float]] = {}
    for k, (a, b) in enumerate(pairs):
        report(f"matching {sources[a].name} with {sources[b].name}", 0.1 + 0.8 * k / max(1, len(pairs)))
        links_by_pair[(a, b)], dice_by_pair[(a, b)] = _pair_links(a, b, feats, settings)
    report("combining evidence from all sources", 0.9)
    if n > 2:
        _transitive(links_by_pair, dice_by_pair, n, settings)
    links = [Link((a, i), (b, j), round(min(1.0, f), 4))
             for (a, b), pl in sorted(links_by_pair.items())
             for (i, j), f in sorted(pl.items())]
    boiler = [frozenset(np.flatnonzero(m).tolist()) for m in feats.boiler]
    report("done", 1.0)
    return Alignment(sources=sources, links=links, boilerplate=boiler)


def _transitive(links_by_pair: dict, dice_by_pair: dict, n: int, settings: Settings) -> None:
    """Add (A, C) when A–B and B–C are links and A–C has some evidence of its own.

    The bridge sentence of B must link to exactly one sentence of A and one of C:
    a long sentence that two short ones were merged into says nothing about
    which of them matches a third source's sentence.
    """
    def neighbours(s: int, t: int) -> dict[int, list[tuple[int, float]]]:
        out: dict[int, list[tuple[int, float]]] = {}
        if s < t:
            for (i, j), f in links_by_pair[(s, t)].items():
                out.setdefault(i, []).append((j, f))
        else:
            for (j, i), f in links_by_pair[(t, s)].items():
                out.setdefault(i, []).append((j, f))
        return out

    nb = {(s, t): neighbours(s, t) for s in range(n) for t in range(n) if s != t}
    additions: dict[tuple[int, int], dict[tuple[int, int], float]] = {}
    for (a, c), dice in dice_by_pair.items():
        existing = links_by_pair[(a, c)]
        add = additions.setdefault((a, c), {})
        for b in range(n):
            if b in (a, c):
                continue
            ba, bc = nb[(b, a)], nb[(b, c)]
            for j, in_a in ba.items():
                in_c = bc.get(j)
                if len(in_a) != 1 or not in_c or len(in_c) != 1:
                    continue
                (i, f1), (k, f2) = in_a[0], in_c[0]
                if (i, k) in existing:
                    continue
                own = dice.get((i, k), 0.0)
                if own < settings.transitive_min_own:
                    continue
                score = min(f1, f2) * 0.5 + own
                if score >= settings.threshold and score > add.get((i, k), 0.0):
                    add[(i, k)] = score
    for key, add in additions.items():
        links_by_pair[key].update(add)


def align(documents: Sequence[Document], settings: Settings = DEFAULT,
          progress: Progress | None = None) -> Alignment:
    """Segment and align the documents (the whole core pipeline)."""
    return align_sources(segment(documents), settings, progress)


def score_to_percent(score: float) -> int:
    return int(math.floor(score * 100 + 0.5))
