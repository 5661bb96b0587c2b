"""The data the core hands to the UI and to the exporters.

A :class:`Source` is one text version split into sentences; an
:class:`Alignment` holds the links between sentences of different sources and
answers the questions the reading view asks: what are the counterparts of this
sentence, in how many sources does it appear, where would it sit in a source
that lacks it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

SentenceRef = tuple[int, int]  # (source index, sentence index)


@dataclass(eq=False)
class Source:
    name: str
    text: str
    sentences: list[tuple[int, int]]
    path: Path | None = None
    encoding: str = "utf-8"

    def sentence(self, i: int) -> str:
        s, e = self.sentences[i]
        return self.text[s:e]

    def __len__(self) -> int:
        return len(self.sentences)


@dataclass(frozen=True)
class Link:
    """Two aligned sentences of different sources; ``a[0] < b[0]``."""

    a: SentenceRef
    b: SentenceRef
    score: float


@dataclass(frozen=True)
class Counterpart:
    source: int
    sentence: int
    score: float


@dataclass(frozen=True)
class Passage:
    """A run of words shared verbatim by several sources."""

    words: int
    occurrences: tuple[tuple[int, int, int], ...]  # (source, start, end) char offsets


@dataclass(eq=False)
class Alignment:
    sources: list[Source]
    links: list[Link]
    boilerplate: list[frozenset[int]] = field(default_factory=list)

    # -- indexes built on first use ------------------------------------------------
    @cached_property
    def _adjacency(self) -> list[dict[int, list[Counterpart]]]:
        adj: list[dict[int, list[Counterpart]]] = [{} for _ in self.sources]
        for link in self.links:
            (sa, ia), (sb, ib) = link.a, link.b
            adj[sa].setdefault(ia, []).append(Counterpart(sb, ib, link.score))
            adj[sb].setdefault(ib, []).append(Counterpart(sa, ia, link.score))
        for per_source in adj:
            for lst in per_source.values():
                lst.sort(key=lambda c: (c.source, -c.score, c.sentence))
        return adj

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
        """Every sentence linked to this one, grouped by source, best first."""
        return self._adjacency[source].get(sentence, [])

    def best_counterpart(self, source: int, sentence: int, other: int) -> Counterpart | None:
        for c in self.counterparts(source, sentence):
            if c.source == other:
                return c
        return None

    def support(self, source: int, sentence: int) -> int:
        """In how many sources (this one included) this sentence appears."""
        return 1 + len({c.source for c in self.counterparts(source, sentence)})

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
            ra, rb = find(link.a), find(link.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members: dict[SentenceRef, list[SentenceRef]] = {}
        for x in list(parent):
            members.setdefault(find(x), []).append(x)
        groups = [sorted(m) for m in members.values()]
        groups.sort(key=lambda g: (-len({s for s, _ in g}), g[0]))
        return groups

    def build_indexes(self) -> None:
        """Build the lookup indexes now (in a worker) rather than on the first query."""
        _ = self._adjacency, self._anchors, self._unique_counts

    @cached_property
    def _unique_counts(self) -> list[int]:
        return [len(src) - len(self._adjacency[s]) for s, src in enumerate(self.sources)]

    def unique_count(self, source: int) -> int:
        return self._unique_counts[source]

    def shared_fraction(self, source: int) -> float:
        n = len(self.sources[source])
        return 0.0 if n == 0 else 1 - self.unique_count(source) / n
