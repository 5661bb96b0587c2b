"""N-way sentence alignment across all sources, with no base text.

The steps (each symmetric in the sources, so the order of the files never matters; the
README's "How alignment works" tells them with their figures):

1. **Languages** (:mod:`reader.core.text.language`) of every source; pairs in two
   different known languages are scored with sentence vectors
   (:mod:`reader.core.alignment.crosslang`), all others with words, below.
2. **Terms and weights** (:mod:`reader.core.alignment.features`): folded words,
   numbers and names; an IDF computed within sources; page roles
   (:mod:`reader.core.text.roles`): headlines and furniture.
3. **Candidates** (:mod:`reader.core.alignment.candidates`): one sparse product per
   block of sentences against every source, a few best per sentence both ways: memory
   linear in the sentences.
4. **Pairs of sources** (:mod:`reader.core.alignment.pairs`): weighted Dice scores
   with a neighbourhood bonus, corrected for hubs and set against each sentence's
   alternatives (margins); the document order where the texts run in parallel; a
   greedy one-to-one selection with splits and merges.
5. **Confidence** (:mod:`reader.core.alignment.confidence`): a calibrated probability
   per proposal from its own evidence, revised by the agreement of the other sources.
6. **Kinds and groups** (:mod:`reader.core.alignment.links`): at the reader's
   strictness, counterparts form consistent groups; every other proposal is related.

:func:`propose` runs steps 1-5's evidence, :func:`decide` the confidence and kinds
(so a strictness change re-classifies without aligning again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from reader.core.alignment import collection, crosslang, parallel
from reader.core.alignment.candidates import candidate_pairs, similarities
from reader.core.alignment.confidence import PairEvidence, agreement, features
from reader.core.alignment.corrections import Corrections
from reader.core.alignment.features import build_features
from reader.core.alignment.model import Alignment, Levels, Link, Pool
from reader.core.alignment.pairs import (
    Candidates,
    LexicalScorer,
    PairResult,
    hub_corrected,
    margins,
    pair_links,
    similarity,
)
from reader.core.alignment.params import DEFAULT, Settings
from reader.core.text.language import assign_languages
from reader.core.text.load import Document
from reader.core.text.segment import Source, segment
from reader.core.text.tokens import names_and_numbers

if TYPE_CHECKING:
    from reader.core.alignment.encoders import Encoder
    from reader.core.alignment.vector_cache import VectorCache

__all__ = ["Progress", "Proposal", "align", "align_sources", "confidences", "decide", "propose"]

Progress = Callable[[str, float], None]


@dataclass
class Proposal:
    """Every link the selection proposes, per pair of sources, with its features."""

    evidence: list[PairEvidence]
    features: list[np.ndarray]
    boilerplate: list[frozenset[int]]
    notes: list[str] = field(default_factory=list)  # for the reader (see Alignment.notes)


def propose(
    sources: list[Source],
    settings: Settings = DEFAULT,
    progress: Progress | None = None,
    *,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
) -> Proposal:
    """Candidates, scores and selection for every pair of sources, and the evidence
    each proposed link has (see :mod:`reader.core.alignment.confidence`).

    The language of each source is recognised first (where not set yet); pairs of
    sources in different languages are scored with sentence vectors
    (:mod:`reader.core.alignment.crosslang`): ``encoder`` (default: the multilingual extra's,
    loaded only when such a pair exists) and ``cache`` (default: the platform's cache
    folder). Encoding reports its progress through ``progress``, which may raise to
    stop it (what was encoded stays cached)."""
    report = progress or (lambda _msg, _frac: None)
    report("recognising languages", 0.0)
    assign_languages([s for s in sources if s.lang is None])
    report("indexing words", 0.02)
    feats = build_features(sources, settings)
    report("finding candidate pairs", 0.05)
    found = candidate_pairs(feats, settings.top_k, settings.block_rows)
    for (a, b), (i, j) in list(found.items()):
        keep = ~(feats.boiler[a][i] | feats.boiler[b][j])
        found[(a, b)] = (i[keep], j[keep])
    plan = crosslang.plan(sources, encoder)
    notes = list(plan.notes)
    vectors = _vectors(sources, plan, cache, report, notes) if plan.sources else {}
    by_vectors = {p for p in plan.by_vectors if p[0] in vectors and p[1] in vectors}
    names = [s for (a, b) in by_vectors for s in (a, b)]
    anchor_sets = {
        s: [
            frozenset(k for k, _ in names_and_numbers(sources[s].text, *span))
            for span in sources[s].sentences
        ]
        for s in set(names)
    }
    cross_settings = settings.for_vectors()
    evidence_of: dict[tuple[int, int], PairEvidence] = {}
    todo = sorted(set(found) | by_vectors)
    step = max(1, len(todo) // 100)

    def matching(k: int) -> None:
        if k < len(todo) and k % step == 0:
            a, b = todo[k]
            report(
                f"matching {sources[a].name} with {sources[b].name}",
                0.6 + 0.3 * k / max(1, len(todo)),
            )

    lexical = []
    for k, (a, b) in enumerate(todo):
        if (a, b) not in by_vectors:
            if (a, b) in found and len(found[(a, b)][0]):
                lexical.append((a, b))
            continue
        matching(k)
        c, scorer = crosslang.pair_candidates(
            vectors[a],
            vectors[b],
            anchor_sets[a],
            anchor_sets[b],
            feats.boiler[a],
            feats.boiler[b],
            found.get((a, b)),
            cross_settings.top_k,
            settings.cross.knn,
        )
        result = pair_links(scorer, cross_settings, c)
        evidence_of[(a, b)] = _evidence(a, b, result, cross_settings, True)
    # the pairs of sources in one language, split over the cores where that is safe
    # (see reader.core.alignment.parallel): each pair's links and evidence at once
    rank = {p: k for k, p in enumerate(todo)}
    sizes = [len(src) for src in sources]
    n_workers = parallel.workers(sum(sizes))
    matching(rank[lexical[0]] if lexical else len(todo))
    # the exact similarities at once here (few pairs of sources: their fixed costs once),
    # or each pair's in its own task when the pairs are split over the cores
    sims = similarities(feats, {p: found[p] for p in lexical}) if n_workers == 1 else None
    done = parallel.run(
        _lexical_pair,
        lexical,
        (feats, found, sims, sizes, settings),
        n_workers,
        lambda k: matching(rank[lexical[k + 1]]) if k + 1 < len(lexical) else None,
    )
    evidence_of.update(zip(lexical, done))
    report("combining evidence from all sources", 0.9)
    evidence = [evidence_of[p] for p in sorted(evidence_of)]
    rows = features(evidence, feats.headline)
    boiler = [frozenset(np.flatnonzero(m).tolist()) for m in feats.boiler]
    return Proposal(evidence, rows, boiler, notes)


def _lexical_pair(shared: tuple, pair: tuple[int, int]) -> PairEvidence:
    """The links of two sources in one language and their evidence (a task of
    :func:`reader.core.alignment.parallel.run`)."""
    feats, found, sims, sizes, settings = shared
    a, b = pair
    i, j = found[pair]
    sim, words = similarity(feats, a, b, i, j) if sims is None else sims[pair]
    c = Candidates(i, j, sim, sizes[b], words)
    return _evidence(a, b, pair_links(LexicalScorer(feats, a, b), settings, c), settings)


def _vectors(
    sources: list[Source],
    plan: crosslang.Plan,
    cache: VectorCache | None,
    report: Progress,
    notes: list[str],
) -> dict[int, np.ndarray]:
    """The sentence vectors of the sources that take part in a pair across languages,
    from the cache where it has them; encoding reports progress from 0.05 to 0.6. An
    encoder that fails gives a note and no vectors (those pairs are aligned by words)."""
    from reader.core.alignment.encoders import EncoderUnavailable
    from reader.core.alignment.vector_cache import VectorCache
    from reader.core.alignment.vectors import sentence_vectors

    which = plan.sources
    encoder = plan.encoder
    if encoder is None:  # the plan has no pair to encode
        return {}
    total = max(1, sum(len(sources[s]) for s in which))
    own = cache is None
    store = VectorCache() if cache is None else cache
    out: dict[int, np.ndarray] = {}
    done = 0
    try:
        for s in which:
            src = sources[s]
            n = len(src)

            def step(k: int, m: int, name: str = src.name, start: int = done, n: int = n) -> None:
                share = (start + n * k / max(1, m)) / total
                report(f"encoding sentences of {name}", 0.05 + 0.55 * share)

            out[s] = sentence_vectors(
                encoder, [src.sentence(i) for i in range(n)], store, progress=step
            )
            done += n
    except EncoderUnavailable as exc:
        notes.append(
            f"{exc}; sources in different languages are linked only by shared names and numbers"
        )
        return {}
    finally:
        notes.extend(store.warnings)
        if own:
            store.close()
    return out


def align_sources(
    sources: list[Source],
    settings: Settings = DEFAULT,
    progress: Progress | None = None,
    strictness: str | None = None,
    *,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    corrections: Corrections | None = None,
) -> Alignment:
    """Align already segmented sources (at ``strictness``, default the settings'); see
    :func:`propose` for ``encoder`` and ``cache``; ``corrections``: the reader's (see
    :mod:`reader.core.alignment.corrections`)."""
    report = progress or (lambda _msg, _frac: None)
    with collection.paused():  # see reader.core.alignment.collection
        prop = propose(sources, settings, report, encoder=encoder, cache=cache)
        al = decide(sources, prop, settings, strictness, corrections=corrections)
    report("done", 1.0)
    return al


def decide(
    sources: list[Source],
    prop: Proposal,
    settings: Settings = DEFAULT,
    strictness: str | None = None,
    conf: list[np.ndarray] | None = None,
    corrections: Corrections | None = None,
) -> Alignment:
    """The alignment from the proposed links: each gets its calibrated confidence
    (``conf``, if given, instead), then its kind at ``strictness`` (see
    :mod:`reader.core.alignment.links`)."""
    pool = []
    given = confidences(prop, settings) if conf is None else conf
    for ev, link_conf in zip(prop.evidence, given):
        a, b = ev.a, ev.b
        # across languages the score shown is the cosine of the two sentences
        shown = np.clip(ev.own, 0.0, 1.0) if ev.cross else np.minimum(ev.score, 1.0)
        scores = np.round(shown, 4).tolist()
        pool += [
            Link((a, i), (b, j), f, c)
            for i, j, f, c in zip(
                ev.i.tolist(), ev.j.tolist(), scores, np.round(link_conf, 4).tolist()
            )
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
        tuple(prop.notes),
        corrections,
    )


def confidences(prop: Proposal, settings: Settings = DEFAULT) -> list[np.ndarray]:
    """The confidence of every proposed link, per pair of sources: first from its own
    evidence, then revised by the agreement of the other sources (see
    :mod:`reader.core.alignment.confidence`). Links across languages have models of their own
    (``settings.cross``)."""
    cross = settings.cross
    first = [
        (cross.calibration if ev.cross else settings.calibration)(x)
        for ev, x in zip(prop.evidence, prop.features)
    ]
    return [
        (cross.nway_calibration if ev.cross else settings.nway_calibration)(x)
        for ev, x in zip(prop.evidence, agreement(prop.evidence, first))
    ]


def _evidence(
    a: int, b: int, r: PairResult, settings: Settings, cross: bool = False
) -> PairEvidence:
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
        a,
        b,
        i,
        j,
        f,
        c.lookup(c.sim, i, j),
        m_a,
        m_b,
        c.lookup(c.words, i, j),
        r.parallel,
        sel,
        cross,
    )


def align(
    documents: Sequence[Document],
    settings: Settings = DEFAULT,
    progress: Progress | None = None,
    strictness: str | None = None,
    *,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
) -> Alignment:
    """Segment and align the documents (the whole core pipeline)."""
    return align_sources(
        segment(documents), settings, progress, strictness, encoder=encoder, cache=cache
    )
