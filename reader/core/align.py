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

from collections.abc import Callable, Sequence

import numpy as np

from reader.core.features import build_features, is_boilerplate
from reader.core.model import Alignment, Link, Source
from reader.core.pairs import Candidates, pair_links
from reader.core.params import DEFAULT, Settings
from reader.core.segment import segment
from reader.core.sources import Document

__all__ = ["DEFAULT", "Settings", "align", "align_sources", "is_boilerplate", "segment"]

Progress = Callable[[str, float], None]


def align_sources(sources: list[Source], settings: Settings = DEFAULT,
                  progress: Progress | None = None) -> Alignment:
    """Align already segmented sources."""
    n = len(sources)
    report = progress or (lambda _msg, _frac: None)
    report("indexing words", 0.0)
    feats = build_features(sources, settings)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    cands_by_pair: dict[tuple[int, int], Candidates] = {}
    links_by_pair: dict[tuple[int, int], dict[tuple[int, int], float]] = {}
    for k, (a, b) in enumerate(pairs):
        report(f"matching {sources[a].name} with {sources[b].name}", 0.1 + 0.8 * k / max(1, len(pairs)))
        links_by_pair[(a, b)], cands_by_pair[(a, b)] = pair_links(feats, a, b, settings)
    report("combining evidence from all sources", 0.9)
    if n > 2:
        _transitive(links_by_pair, cands_by_pair, n, settings)
    links = [Link((a, i), (b, j), round(min(1.0, f), 4))
             for (a, b), pl in sorted(links_by_pair.items())
             for (i, j), f in sorted(pl.items())]
    boiler = [frozenset(np.flatnonzero(m).tolist()) for m in feats.boiler]
    report("done", 1.0)
    return Alignment(sources=sources, links=links, boilerplate=boiler)


def _transitive(links_by_pair: dict[tuple[int, int], dict[tuple[int, int], float]],
                cands_by_pair: dict[tuple[int, int], Candidates], n: int,
                settings: Settings) -> None:
    """Add (A, C) when A–B and B–C are links and A–C has some evidence of its own.

    The bridge sentence of B must link to exactly one sentence of A and one of C:
    a long sentence that two short ones were merged into says nothing about
    which of them matches a third source's sentence.
    """
    partners: dict[tuple[int, int], dict[int, list[tuple[int, float]]]] = {}
    for (s, t), pl in links_by_pair.items():
        fwd = partners.setdefault((s, t), {})
        bwd = partners.setdefault((t, s), {})
        for (i, j), f in pl.items():
            fwd.setdefault(i, []).append((j, f))
            bwd.setdefault(j, []).append((i, f))
    # bridges come from `partners`, built before any addition, so each addition can go
    # straight into links_by_pair
    for (a, c), cands in cands_by_pair.items():
        existing = links_by_pair[(a, c)]
        qi, qk, qf = [], [], []
        for b in range(n):
            if b in (a, c):
                continue
            in_a, in_c = partners.get((b, a), {}), partners.get((b, c), {})
            for j, pa in in_a.items():
                pc = in_c.get(j)
                if len(pa) == 1 and pc is not None and len(pc) == 1:
                    (i, f1), (k, f2) = pa[0], pc[0]
                    if (i, k) not in existing:
                        qi.append(i)
                        qk.append(k)
                        qf.append(min(f1, f2))
        if not qi:
            continue
        own = cands.lookup(cands.sim, np.array(qi, dtype=np.int64), np.array(qk, dtype=np.int64))
        add: dict[tuple[int, int], float] = {}
        for i, k, bridge, o in zip(qi, qk, qf, own.tolist()):
            score = bridge * 0.5 + o
            if o >= settings.transitive_min_own and score >= settings.threshold \
                    and score > add.get((i, k), 0.0):
                add[(i, k)] = score
        existing.update(add)


def align(documents: Sequence[Document], settings: Settings = DEFAULT,
          progress: Progress | None = None) -> Alignment:
    """Segment and align the documents (the whole core pipeline)."""
    return align_sources(segment(documents), settings, progress)




