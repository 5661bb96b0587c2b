"""Pairs of sources in different languages: scored with sentence vectors.

Within one language the words two sentences share are the evidence (weighted Dice,
:mod:`reader.core.pairs`). Across languages they share almost none, so a pair of
sources whose languages are both known and differ is scored with a multilingual
sentence encoder (:mod:`reader.core.alignment.encoders`) inside the same steps:

1. **Vectors**: each source that takes part in such a pair is encoded once (not once
   per pair), from the disk cache where known (:mod:`reader.core.alignment.vectors`).
2. **Candidates**: the cosines of a block of rows of one source with all of the other
   (one matrix product per block, never the whole matrix), keeping each sentence's
   best ``top_k`` in both directions and the mean cosine of its ``knn`` nearest (its
   *hubness*); the word-overlap candidates of the pair (shared names and numbers)
   join them.
3. **Score**: the ratio margin of LASER and bertalign,
   ``cos(x, y) / ((knn(x) + knn(y)) / 2)``: a pair must stand out from each sentence's
   nearest neighbours, so a sentence close to everything (a hub) does not win.
4. **Order, selection, merges** as within one language (:func:`reader.core.pairs.pair_links`):
   a chain of confident mutual-best pairs, every pair of a small gap scored, crossing
   pairs dropped in parallel texts, greedy one-to-one, then a neighbour joins a link
   when the *merged vector* (the normalised sum of the sentences' vectors) matches
   the other sentence better.
5. **Names and numbers** the two sentences share are counted as ``words`` and feed the
   confidence (its own calibration, fitted on cross-language links).

The thresholds are on the encoder's scale (:class:`reader.core.params.CrossSettings`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from reader.core.alignment import encoders
from reader.core.alignment.encoders import Encoder
from reader.core.alignment.pairs import Candidates
from reader.core.fs import display_path
from reader.core.text.segment import Source

__all__ = ["Plan", "VectorScorer", "nearest", "pair_candidates", "plan"]

_BLOCK_CELLS = 1 << 24  # cosines computed at once (64 MB of float32)


# -- which pairs ------------------------------------------------------------------------


@dataclass
class Plan:
    """Which pairs of sources are scored with vectors, and what to tell the reader."""

    pairs: list[tuple[int, int]]  # (a, b), a < b: in different known languages
    uncovered: frozenset[tuple[int, int]]  # ... of which a language the encoder lacks
    encoder: Encoder | None  # None: the extra is missing (or not needed)
    notes: list[str] = field(default_factory=list)

    @property
    def by_vectors(self) -> list[tuple[int, int]]:
        """The pairs scored with vectors: both languages known to the encoder."""
        if self.encoder is None:
            return []
        return [p for p in self.pairs if p not in self.uncovered]

    @property
    def sources(self) -> list[int]:
        """The sources that need vectors."""
        return sorted({s for p in self.by_vectors for s in p})


def _names(sources: Sequence[Source], which: Sequence[int]) -> str:
    """``en: a.txt, b.txt · de: c.txt`` (file names made printable)."""
    by_lang: dict[str, list[str]] = {}
    for s in which:
        by_lang.setdefault(sources[s].lang or "?", []).append(display_path(sources[s].name))
    return " · ".join(f"{lang}: {', '.join(names)}" for lang, names in sorted(by_lang.items()))


def plan(
    sources: Sequence[Source],
    encoder: Encoder | None = None,
    load: Callable[[], Encoder] | None = None,
) -> Plan:
    """The pairs of sources whose languages are both known and differ. Their encoder:
    ``encoder`` if given, else ``load()`` (default: the multilingual extra's), which
    may raise :class:`reader.core.alignment.encoders.EncoderUnavailable`: then the pairs are
    aligned by their words (names and numbers) and a note says which sources and
    what to install. A pair with a language the encoder was not trained on is aligned
    by its words too, with a note (on lk-news-comparable, USE's cosines of Sinhala or
    Tamil sentences with their English translations sit at noise level, 0.0-0.16: the
    best cosine is the right sentence 36-44 % of the time against 15-17 % by chance).
    A source of unknown language (a mix, too little text) pairs by words with every
    other."""
    pairs = [
        (a, b)
        for a in range(len(sources))
        for b in range(a + 1, len(sources))
        if sources[a].lang and sources[b].lang and sources[a].lang != sources[b].lang
    ]
    if not pairs:
        return Plan([], frozenset(), None)
    known = encoder.languages if encoder is not None else encoders.DEFAULT_LANGUAGES
    involved = sorted({s for p in pairs for s in p})
    notes = []
    missing = sorted(
        {lang for s in involved if (lang := sources[s].lang) is not None and lang not in known}
    )
    uncovered = frozenset(
        p for p in pairs if sources[p[0]].lang not in known or sources[p[1]].lang not in known
    )
    if missing:
        which = [s for s in involved if sources[s].lang in missing]
        notes.append(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not among "
            f"the multilingual encoder's languages ({_names(sources, which)}): "
            f"linked to other languages only by shared names and numbers"
        )
    unknown = [s for s in range(len(sources)) if not sources[s].lang]
    if unknown:
        notes.append(
            f"language not recognised ({', '.join(display_path(sources[s].name) for s in unknown)}: "
            f"mixed or too little text): aligned by shared words only"
        )
    covered = sorted({s for p in pairs if p not in uncovered for s in p})
    if covered and encoder is None:
        try:
            if load is None and not encoders.available():
                raise encoders.EncoderUnavailable()
            encoder = (load or encoders.default_encoder)()
        except encoders.EncoderUnavailable as exc:
            detail = str(exc).split(": ", 1)[-1]
            notes.insert(
                0,
                f"sources in different languages ({_names(sources, covered)}) "
                f"are linked only by shared names and numbers; to align them: "
                f"{detail}",
            )
    return Plan(pairs, uncovered, encoder, notes)


# -- names and numbers ------------------------------------------------------------------


def shared_anchor_counts(
    sa: Sequence[frozenset[str]], sb: Sequence[frozenset[str]], i: np.ndarray, j: np.ndarray
) -> np.ndarray:
    """How many anchors sentence i of a and j of b share, for each pair given."""
    return np.array(
        [len(sa[x] & sb[y]) if sa[x] and sb[y] else 0 for x, y in zip(i.tolist(), j.tolist())],
        dtype=np.float64,
    )


# -- candidates and scores from vectors -------------------------------------------------


def nearest(
    va: np.ndarray, vb: np.ndarray, top_k: int, knn: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs (i, j): each sentence's best ``top_k`` in the other source, both
    ways; and each sentence's hubness, the mean cosine of its ``knn`` nearest in the
    other source (``knn_a``, ``knn_b``). Cosines are computed a block of rows at a time."""
    n_a, n_b = len(va), len(vb)
    empty = np.zeros(0, dtype=np.int64)
    if n_a == 0 or n_b == 0:
        return empty, empty, np.zeros(n_a, np.float32), np.zeros(n_b, np.float32)
    keep_r = min(max(top_k, knn), n_b)  # kept per row
    keep_c = min(max(top_k, knn), n_a)  # kept per column (merged over the blocks)
    block = max(1, _BLOCK_CELLS // max(1, n_b))
    knn_a = np.zeros(n_a, np.float32)
    rows_i, rows_j = [], []
    col_val = np.zeros((0, n_b), np.float32)
    col_idx = np.zeros((0, n_b), np.int64)
    for r0 in range(0, n_a, block):
        s = va[r0 : r0 + block] @ vb.T
        r = len(s)
        idx = _top(s, keep_r, axis=1)
        val = np.take_along_axis(s, idx, 1)
        knn_a[r0 : r0 + r] = val[:, : min(knn, n_b)].mean(1)
        kr = min(top_k, n_b)
        rows_i.append(np.repeat(np.arange(r0, r0 + r), kr))
        rows_j.append(idx[:, :kr].ravel())
        kc = min(keep_c, r)
        cidx = _top(s, kc, axis=0)
        col_val = np.concatenate([col_val, np.take_along_axis(s, cidx, 0)])
        col_idx = np.concatenate([col_idx, cidx + r0])
        if len(col_val) > keep_c:
            sel = _top(col_val, keep_c, axis=0)
            col_val = np.take_along_axis(col_val, sel, 0)
            col_idx = np.take_along_axis(col_idx, sel, 0)
    sel = _top(col_val, len(col_val), axis=0)  # best first
    col_val = np.take_along_axis(col_val, sel, 0)
    col_idx = np.take_along_axis(col_idx, sel, 0)
    knn_b = col_val[: min(knn, n_a)].mean(0)
    kc = min(top_k, n_a)
    cols_i = col_idx[:kc].T.ravel()
    cols_j = np.repeat(np.arange(n_b), kc)
    i = np.concatenate([*rows_i, cols_i]).astype(np.int64)
    j = np.concatenate([*rows_j, cols_j]).astype(np.int64)
    return i, j, knn_a, knn_b.astype(np.float32)


def _top(s: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Indexes of the ``k`` largest values along ``axis``, largest first."""
    n = s.shape[axis]
    if k < n:
        idx = np.argpartition(-s, k - 1, axis=axis)
        idx = idx[:, :k] if axis == 1 else idx[:k]
    else:
        idx = np.broadcast_to(np.arange(n).reshape((1, n) if axis == 1 else (n, 1)), s.shape).copy()
    val = np.take_along_axis(s, idx, axis)
    order = np.argsort(-val, axis=axis, kind="stable")
    return np.take_along_axis(idx, order, axis)


class VectorScorer:
    """Scores pairs of two sources by their sentence vectors (see the module docstring);
    implements :class:`reader.core.pairs.PairScorer`."""

    def __init__(
        self,
        va: np.ndarray,
        vb: np.ndarray,
        knn_a: np.ndarray,
        knn_b: np.ndarray,
        anchors_a: Sequence[frozenset[str]],
        anchors_b: Sequence[frozenset[str]],
        boiler_a: np.ndarray,
        boiler_b: np.ndarray,
    ) -> None:
        self.va, self.vb = va, vb
        self.knn_a, self.knn_b = knn_a, knn_b
        self.anchors_a, self.anchors_b = anchors_a, anchors_b
        self.boiler_a, self.boiler_b = boiler_a, boiler_b
        self.n_a, self.n_b = len(va), len(vb)

    def candidates(self, i: np.ndarray, j: np.ndarray) -> Candidates:
        keys = np.unique(np.asarray(i, dtype=np.int64) * self.n_b + np.asarray(j, dtype=np.int64))
        i, j = keys // self.n_b, keys % self.n_b
        keep = ~(self.boiler_a[i] | self.boiler_b[j])
        i, j = i[keep], j[keep]
        cos = np.einsum("ij,ij->i", self.va[i], self.vb[j]).astype(np.float64)
        hub = np.maximum((self.knn_a[i] + self.knn_b[j]) / 2, 1e-3).astype(np.float64)
        words = shared_anchor_counts(self.anchors_a, self.anchors_b, i, j)
        return Candidates(i, j, cos, self.n_b, words, cos / hub)

    def merge_gain(self, side: int, group: list[int], extra: int, j: int) -> float:
        src, dst = (self.va, self.vb) if side == 0 else (self.vb, self.va)
        rest = [k for k in group if k != extra]
        if not rest:
            return 0.0
        before = src[rest].sum(0)
        after = before + src[extra]
        target = dst[j]
        return float(
            after @ target / max(np.linalg.norm(after), 1e-9)
            - before @ target / max(np.linalg.norm(before), 1e-9)
        )


def pair_candidates(
    va: np.ndarray,
    vb: np.ndarray,
    anchors_a: Sequence[frozenset[str]],
    anchors_b: Sequence[frozenset[str]],
    boiler_a: np.ndarray,
    boiler_b: np.ndarray,
    lexical: tuple[np.ndarray, np.ndarray] | None,
    top_k: int,
    knn: int,
) -> tuple[Candidates, VectorScorer]:
    """The first candidates of two sources in different languages: each sentence's
    nearest ``top_k`` by cosine both ways, and the pairs that share rare words
    (``lexical``: names, numbers), all scored by their vectors; and the scorer for the
    pairs added later."""
    i, j, knn_a, knn_b = nearest(va, vb, top_k, knn)
    if lexical is not None and len(lexical[0]):
        i, j = np.concatenate([i, lexical[0]]), np.concatenate([j, lexical[1]])
    scorer = VectorScorer(va, vb, knn_a, knn_b, anchors_a, anchors_b, boiler_a, boiler_b)
    return scorer.candidates(i, j), scorer
