"""N-way sentence alignment across all sources, with no base text.

Pipeline (each step symmetric in the sources, so file order never matters):

1. **Terms and weights** (:mod:`reader.core.text.tokens`): each sentence becomes a set
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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from reader.core.alignment.candidates import candidate_pairs, similarities
from reader.core.alignment.confidence import PairEvidence, agreement, features
from reader.core.alignment.features import build_features
from reader.core.alignment.model import Alignment, Levels, Link, Pool
from reader.core.alignment.pairs import Candidates, PairResult, hub_corrected, margins, pair_links
from reader.core.alignment.params import DEFAULT, Settings
from reader.core.text.load import Document
from reader.core.text.segment import Source, segment

__all__ = ["Progress", "Proposal", "align", "align_sources", "confidences", "decide", "propose"]

Progress = Callable[[str, float], None]


@dataclass
class Proposal:
    """Every link the selection proposes, per pair of sources, with its features."""

    evidence: list[PairEvidence]
    features: list[np.ndarray]
    boilerplate: list[frozenset[int]]


def propose(
    sources: list[Source], settings: Settings = DEFAULT, progress: Progress | None = None
) -> Proposal:
    """Candidates, scores and selection for every pair of sources, and the evidence
    each proposed link has (see :mod:`reader.core.alignment.confidence`)."""
    report = progress or (lambda _msg, _frac: None)
    report("indexing words", 0.0)
    feats = build_features(sources, settings)
    report("finding candidate pairs", 0.1)
    found = candidate_pairs(feats, settings.top_k, settings.block_rows)
    for (a, b), (i, j) in list(found.items()):
        keep = ~(feats.boiler[a][i] | feats.boiler[b][j])
        found[(a, b)] = (i[keep], j[keep])
    sims = similarities(feats, found)
    results: dict[tuple[int, int], PairResult] = {}
    step = max(1, len(found) // 100)
    for k, (a, b) in enumerate(sorted(found)):
        if k % step == 0:
            report(
                f"matching {sources[a].name} with {sources[b].name}",
                0.2 + 0.7 * k / max(1, len(found)),
            )
        i, j = found[(a, b)]
        if len(i) == 0:
            continue
        sim, words = sims[(a, b)]
        c = Candidates(i, j, sim, len(sources[b]), words)
        results[(a, b)] = pair_links(feats, a, b, settings, c)
    report("combining evidence from all sources", 0.9)
    evidence = [_evidence(a, b, r, settings) for (a, b), r in sorted(results.items())]
    rows = features(evidence, feats.headline)
    boiler = [frozenset(np.flatnonzero(m).tolist()) for m in feats.boiler]
    return Proposal(evidence, rows, boiler)


def align_sources(
    sources: list[Source],
    settings: Settings = DEFAULT,
    progress: Progress | None = None,
    strictness: str | None = None,
) -> Alignment:
    """Align already segmented sources (at ``strictness``, default the settings')."""
    report = progress or (lambda _msg, _frac: None)
    al = decide(sources, propose(sources, settings, report), settings, strictness)
    report("done", 1.0)
    return al


def decide(
    sources: list[Source],
    prop: Proposal,
    settings: Settings = DEFAULT,
    strictness: str | None = None,
) -> Alignment:
    """The alignment from the proposed links: each gets its calibrated confidence, then
    its kind at ``strictness`` (see :mod:`reader.core.alignment.links`)."""
    pool = []
    for ev, conf in zip(prop.evidence, confidences(prop, settings)):
        a, b = ev.a, ev.b
        scores = np.round(np.minimum(ev.score, 1.0), 4).tolist()
        pool += [
            Link((a, i), (b, j), f, c)
            for i, j, f, c in zip(ev.i.tolist(), ev.j.tolist(), scores, np.round(conf, 4).tolist())
        ]
    levels = Levels(
        bars=dict(settings.bars), floor=settings.related_floor, implied=settings.implied
    )
    parallel = frozenset((ev.a, ev.b) for ev in prop.evidence if ev.parallel)
    return Alignment.classified(
        sources,
        Pool.of(pool, levels, [s.name for s in sources], parallel),
        prop.boilerplate,
        strictness or settings.strictness,
    )


def confidences(prop: Proposal, settings: Settings = DEFAULT) -> list[np.ndarray]:
    """The confidence of every proposed link, per pair of sources: first from its own
    evidence, then revised by the agreement of the other sources (see
    :mod:`reader.core.alignment.confidence`)."""
    first = [settings.calibration(x) for x in prop.features]
    return [settings.nway_calibration(x) for x in agreement(prop.evidence, first)]


def _evidence(a: int, b: int, r: PairResult, settings: Settings) -> PairEvidence:
    """The links the selection chose, then (in rewrites) the other candidates scoring at
    least ``settings.extra_threshold``, with the measurements the confidence needs."""
    c = r.candidates
    chosen = sorted(r.links)
    ci = np.array([x for x, _ in chosen], dtype=np.int64)
    cj = np.array([y for _, y in chosen], dtype=np.int64)
    if r.parallel or len(c.i) == 0:
        extra = np.zeros(0, dtype=np.int64)
    else:
        taken = np.zeros(len(c.i), dtype=bool)
        if len(chosen):
            taken[np.searchsorted(c.keys, ci * c.n_b + cj)] = True
        extra = np.flatnonzero(
            ~taken & (r.scores >= settings.extra_threshold) & (c.sim >= settings.min_own)
        )
    i = np.concatenate([ci, c.i[extra]])
    j = np.concatenate([cj, c.j[extra]])
    f = np.concatenate([np.array([r.links[k] for k in chosen], dtype=np.float64), r.scores[extra]])
    adj = hub_corrected(c.i, c.j, r.scores, settings.hub_k, settings.hub_weight)
    m_a, m_b = margins(c.i, c.j, adj, i, j, c.lookup(adj, i, j) if len(adj) else f)
    sel = np.zeros(len(i))
    sel[: len(chosen)] = 1.0
    return PairEvidence(
        a, b, i, j, f, c.lookup(c.sim, i, j), m_a, m_b, c.lookup(c.words, i, j), r.parallel, sel
    )


def align(
    documents: Sequence[Document],
    settings: Settings = DEFAULT,
    progress: Progress | None = None,
    strictness: str | None = None,
) -> Alignment:
    """Segment and align the documents (the whole core pipeline)."""
    return align_sources(segment(documents), settings, progress, strictness)
