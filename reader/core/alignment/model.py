"""The data the core hands to the UI and to the exporters.

A :class:`Source` is one text version split into sentences; an
:class:`Alignment` holds the links between sentences of different sources and
answers the questions the reading view asks: what are the counterparts of this
sentence, in how many sources does it appear, where would it sit in a source
that lacks it.

Only ``counterpart`` links answer those questions; ``related`` links are listed for
the "why" view and for scripts. One definition of "shared": a sentence is shared by
the sources of its group (the connected set of its counterpart links, consistent by
construction, see :mod:`reader.core.alignment.links`), and that count feeds the shading, the
pane titles, the summary, the exports and "unique".
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

from reader.core.alignment.links import (
    COUNTERPART,
    NORMAL,
    RELATED,
    STRICTNESS,
    Link,
    SentenceRef,
    classify,
    decision_order,
)
from reader.core.text.segment import Source

__all__ = ["Alignment", "Counterpart", "Levels", "Link", "Passage", "Pool", "SentenceRef"]


@dataclass(frozen=True)
class Counterpart:
    """A sentence linked to another; ``score`` is the link's confidence."""

    source: int
    sentence: int
    score: float
    by: str = "aligner"


@dataclass(frozen=True)
class Levels:
    """The confidence a link needs to be a counterpart at each strictness, and the
    least confidence of a link listed at all (as related)."""

    bars: dict[str, float]
    floor: float
    implied: tuple[float, float] | None = None  # slope, intercept: see implied_confidence

    def implied_confidence(self, weakest: float) -> float:
        """The confidence of two sentences a group joins with no link of their own: a
        logistic function of the weakest link between them (fitted like the others)."""
        assert self.implied is not None
        w = min(max(weakest, 1e-4), 1 - 1e-4)
        z = self.implied[0] * math.log(w / (1 - w)) + self.implied[1]
        return 1 / (1 + math.exp(-z))


@dataclass(eq=False)
class Pool:
    """Every link the aligner proposes (at least ``levels.floor`` confident), in the order
    of the sentences, with the order in which they are decided and the pairs of
    sources that run in parallel."""

    links: list[Link]
    levels: Levels
    parallel: frozenset[tuple[int, int]]
    order: list[int]

    @classmethod
    def of(
        cls,
        links: list[Link],
        levels: Levels,
        names: list[str],
        parallel: frozenset[tuple[int, int]] = frozenset(),
    ) -> Pool:
        kept = sorted((x for x in links if x.confidence >= levels.floor), key=lambda x: (x.a, x.b))
        return cls(kept, levels, parallel, decision_order(kept, names))


@dataclass(frozen=True)
class Passage:
    """A run of words shared verbatim by several sources."""

    words: int
    occurrences: tuple[tuple[int, int, int], ...]  # (source, start, end) char offsets


@dataclass(eq=False)
class Alignment:
    """Sources and the links between their sentences.

    ``links`` are the links listed at ``strictness`` (counterparts and related). When
    the aligner made them, ``pool`` holds every link it proposed with its confidence,
    so :meth:`at` re-classifies them for another strictness without aligning again."""

    sources: list[Source]
    links: list[Link]
    boilerplate: list[frozenset[int]] = field(default_factory=list)
    strictness: str = NORMAL
    pool: Pool | None = None
    #: one-line notes for the reader about how this alignment was made (sources in
    #: different languages without the encoder, languages the encoder does not know,
    #: a vector cache that was rebuilt): the status bar and ``reader align``'s stderr
    notes: tuple[str, ...] = ()
    _siblings: dict[str, Alignment] = field(default_factory=dict, repr=False)

    @classmethod
    def classified(
        cls,
        sources: list[Source],
        pool: Pool,
        boilerplate: list[frozenset[int]],
        strictness: str = NORMAL,
        notes: tuple[str, ...] = (),
    ) -> Alignment:
        """The alignment at ``strictness`` of the links in ``pool``."""
        if strictness not in STRICTNESS:
            raise ValueError(f"unknown strictness {strictness!r}; one of {', '.join(STRICTNESS)}")
        levels = pool.levels
        links = classify(
            pool.links,
            pool.order,
            levels.bars[strictness],
            pool.parallel,
            levels.implied_confidence if levels.implied else None,
            # one bar for the links that vouch for a split, whatever the level: so the
            # levels nest (strict ⊆ normal ⊆ loose)
            confident=min(levels.bars.values()),
            stricter=list(levels.bars.values()),
        )
        return cls(sources, links, boilerplate, strictness, pool, notes)

    @property
    def parallel(self) -> frozenset[tuple[int, int]]:
        """The pairs of sources (indexes, smaller first) whose texts run in parallel."""
        return self.pool.parallel if self.pool else frozenset()

    def at(self, strictness: str) -> Alignment:
        """This alignment at another strictness (cached: switching back is free)."""
        if strictness == self.strictness or self.pool is None:
            return self
        other = self._siblings.get(strictness)
        if other is None:
            other = Alignment.classified(
                self.sources, self.pool, self.boilerplate, strictness, self.notes
            )
            family = self._siblings
            family[self.strictness] = self
            other._siblings = family
            family[strictness] = other
        return other

    # -- indexes built on first use ------------------------------------------------
    @cached_property
    def _adjacency(self) -> list[dict[int, list[Counterpart]]]:
        return self._index(COUNTERPART)

    @cached_property
    def _related(self) -> list[dict[int, list[Counterpart]]]:
        return self._index(RELATED)

    def _index(self, kind: str) -> list[dict[int, list[Counterpart]]]:
        adj: list[dict[int, list[Counterpart]]] = [{} for _ in self.sources]
        for link in self.links:
            if link.kind != kind:
                continue
            (sa, ia), (sb, ib) = link.a, link.b
            adj[sa].setdefault(ia, []).append(Counterpart(sb, ib, link.confidence, link.by))
            adj[sb].setdefault(ib, []).append(Counterpart(sa, ia, link.confidence, link.by))
        for per_source in adj:
            for lst in per_source.values():
                lst.sort(key=lambda c: (c.source, -c.score, c.sentence))
        return adj

    @property
    def counterpart_links(self) -> list[Link]:
        return [x for x in self.links if x.kind == COUNTERPART]

    @cached_property
    def _anchors(self) -> dict[tuple[int, int], tuple[list[int], list[int]]]:
        """For each ordered pair (s, t): sentences of s with a counterpart in t, and the
        best such counterpart, sorted by the sentence index in s."""
        out: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
        for s in range(len(self.sources)):
            for t in range(len(self.sources)):
                if s != t:
                    out[(s, t)] = ([], [])
        for s, per_source in enumerate(self._adjacency):
            for i in sorted(per_source):
                seen: set[int] = set()
                for c in per_source[i]:  # sorted by source, best score first
                    if c.source in seen:
                        continue
                    seen.add(c.source)
                    xs, ys = out[(s, c.source)]
                    xs.append(i)
                    ys.append(c.sentence)
        return out

    # -- questions -------------------------------------------------------------------
    def counterparts(self, source: int, sentence: int) -> list[Counterpart]:
        """Every counterpart of this sentence, grouped by source, most confident first."""
        return self._adjacency[source].get(sentence, [])

    def related(self, source: int, sentence: int) -> list[Counterpart]:
        """The sentences related to this one but not counterparts, grouped by source."""
        return self._related[source].get(sentence, [])

    def best_counterpart(self, source: int, sentence: int, other: int) -> Counterpart | None:
        for c in self.counterparts(source, sentence):
            if c.source == other:
                return c
        return None

    def support(self, source: int, sentence: int) -> int:
        """In how many sources (this one included) this sentence appears: the spread of
        its group."""
        return self._spread.get((source, sentence), 1)

    def is_unique(self, source: int, sentence: int) -> bool:
        return not self.counterparts(source, sentence)

    def is_boilerplate(self, source: int, sentence: int) -> bool:
        return bool(self.boilerplate) and sentence in self.boilerplate[source]

    def locate(self, source: int, sentence: int, other: int) -> tuple[int, bool]:
        """Where ``sentence`` of ``source`` sits in ``other``.

        Returns ``(index, True)`` for its best counterpart, or ``(index, False)``
        for the gap where it would be, given as the sentence the gap comes before:
        the one after the counterpart of its nearest preceding aligned sentence (or
        the first aligned counterpart, when no sentence before it is aligned).
        """
        c = self.best_counterpart(source, sentence, other)
        if c is not None:
            return c.sentence, True
        xs, ys = self._anchors[(source, other)]
        n_other = len(self.sources[other])
        if not xs:
            total = max(1, len(self.sources[source]))
            return min(n_other - 1, sentence * n_other // total), False
        k = bisect_left(xs, sentence)
        if k == 0:
            return ys[0], False  # the gap just before the first aligned counterpart
        return min(n_other - 1, ys[k - 1] + 1), False

    @cached_property
    def groups(self) -> list[list[SentenceRef]]:
        """Connected groups of linked sentences (each sorted), largest spread first."""
        parent: dict[SentenceRef, SentenceRef] = {}

        def find(x: SentenceRef) -> SentenceRef:
            root = x
            while parent.setdefault(root, root) != root:
                root = parent[root]
            while parent[x] != root:
                parent[x], x = root, parent[x]
            return root

        for link in self.links:
            if link.kind != COUNTERPART:
                continue
            ra, rb = find(link.a), find(link.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members: dict[SentenceRef, list[SentenceRef]] = {}
        for x in list(parent):
            members.setdefault(find(x), []).append(x)
        groups = [sorted(m) for m in members.values()]
        groups.sort(key=lambda g: (-len({s for s, _ in g}), g[0]))
        return groups

    @cached_property
    def _spread(self) -> dict[SentenceRef, int]:
        out = {}
        for g in self.groups:
            k = len({s for s, _ in g})
            for m in g:
                out[m] = k
        return out

    def build_indexes(self) -> None:
        """Build the lookup indexes now (in a worker) rather than on the first query."""
        _ = self._adjacency, self._related, self._anchors, self._unique_counts, self._spread

    @cached_property
    def _unique_counts(self) -> list[int]:
        return [len(src) - len(self._adjacency[s]) for s, src in enumerate(self.sources)]

    def unique_count(self, source: int) -> int:
        return self._unique_counts[source]

    def shared_fraction(self, source: int) -> float:
        n = len(self.sources[source])
        return 0.0 if n == 0 else 1 - self.unique_count(source) / n
