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
import threading
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from reader.core.alignment.corrections import NO_CORRECTIONS, Corrections, corrected_links
from reader.core.alignment.links import (
    COUNTERPART,
    NORMAL,
    RELATED,
    STRICTNESS,
    Link,
    SentenceRef,
    classify,
    connected,
    decision_order,
)
from reader.core.text.segment import Source

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "NO_CORRECTIONS",
    "Alignment",
    "Corrections",
    "Counterpart",
    "Levels",
    "Link",
    "Passage",
    "Pool",
    "SentenceRef",
]


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

    @cached_property
    def rank(self) -> list[int]:
        """Each link's place in the decision order."""
        out = [0] * len(self.links)
        for r, k in enumerate(self.order):
            out[k] = r
        return out

    @cached_property
    def components(
        self,
    ) -> tuple[dict[SentenceRef, int], list[list[int]], list[list[SentenceRef]]]:
        """The connected sets of sentences the pool's links form: each sentence's set,
        the links of each set and its sentences. Classifying is decided set by set (a link's kind
        depends only on the links of its set), so a correction re-classifies only the
        sets it touches (:mod:`reader.core.alignment.reclassify`)."""
        root = connected((link.a, link.b) for link in self.links)
        ids: dict[SentenceRef, int] = {}
        of: dict[SentenceRef, int] = {}
        for x, r in root.items():
            of[x] = ids.setdefault(r, len(ids))
        members: list[list[int]] = [[] for _ in ids]
        for k, link in enumerate(self.links):
            members[of[link.a]].append(k)
        sentences: list[list[SentenceRef]] = [[] for _ in ids]
        for x, c in of.items():
            sentences[c].append(x)
        return of, members, sentences


#: fewest links in the pool for :func:`classify_pool` to split the work over the cores
SPLIT_LINKS = 10_000


def classify_pool(pool: Pool, strictness: str, corrections: Corrections) -> list[Link]:
    """The links of ``pool`` with ``corrections`` applied, classified at ``strictness``.

    Without corrections, a large pool is classified in parts (shares of its connected
    sets) on several cores where that is safe (see :mod:`reader.core.alignment.parallel`):
    each set is decided on its own (see :mod:`reader.core.alignment.reclassify`), so the
    result is the same, link for link."""
    levels = pool.levels
    bar = levels.bars[strictness]
    if not corrections and len(pool.links) >= SPLIT_LINKS:
        from reader.core.alignment import parallel

        n_workers = parallel.workers(len(pool.links))
        if n_workers > 1:
            return _classify_split(pool, bar, n_workers)
    links, order = corrected_links(pool.links, pool.order, corrections)
    return classify(links, order, bar, apart=corrections.apart, **context(pool))


def _classify_split(pool: Pool, bar: float, n_workers: int) -> list[Link]:
    """:func:`classify` of ``pool`` (no corrections) in ``n_workers`` parts, each a
    share of its connected sets: the pool's links in its order, then the pairs the
    groups imply, sorted."""
    from reader.core.alignment import parallel

    parts: list[list[int]] = [[] for _ in range(n_workers)]
    for ids in sorted(_link_sets(pool.links), key=len, reverse=True):  # the largest first
        min(parts, key=len).extend(ids)
    tasks = [sorted(ids) for ids in parts if ids]
    out = list(pool.links)
    implied: list[Link] = []
    done = parallel.run(_classify_part, tasks, (pool, bar), n_workers)
    for ids, (kinds, extra) in zip(tasks, done):
        for k, decided in zip(ids, kinds):
            if decided is not None:
                out[k] = Link(*decided)
        implied += [Link(*x) for x in extra]
    return out + sorted(implied, key=lambda x: (x.a, x.b))


def _link_sets(links: list[Link]) -> list[list[int]]:
    """The links of each connected set of sentences (as :attr:`Pool.components`, in
    another order)."""
    import numpy as np

    a, b, _ = _numbered(links)
    of_link = _smallest_in_set(a, b)[a]
    order = np.argsort(of_link, kind="stable")
    starts = np.flatnonzero(np.r_[True, of_link[order][1:] != of_link[order][:-1]])
    return [part.tolist() for part in np.split(order, starts[1:])]


def _numbered(links: list[Link]) -> tuple[np.ndarray, np.ndarray, int]:
    """The two sentences of each link as numbers ``source * width + sentence`` (in the
    order of the sentences), and the width."""
    import numpy as np

    width = 1 + max(max(x.a[1], x.b[1]) for x in links)
    a = np.array([x.a[0] * width + x.a[1] for x in links], dtype=np.int64)
    b = np.array([x.b[0] * width + x.b[1] for x in links], dtype=np.int64)
    return a, b, width


def _smallest_in_set(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For every number up to the largest in ``a`` and ``b`` (sentences; the pairs
    ``a[k], b[k]`` link them), the smallest number of its connected set: by label
    propagation, each sentence taking the smallest label of its links' ends, then
    the label of that label, until nothing changes."""
    import numpy as np

    label = np.arange(1 + int(max(a.max(), b.max())))
    while True:
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]
        if np.array_equal(new, label):
            return label
        label = new


def _classify_part(
    shared: tuple[Pool, float], ids: list[int]
) -> tuple[list[tuple | None], list[tuple]]:
    """The links ``ids`` of the pool (whole connected sets, in pool order) classified
    (a task of :func:`reader.core.alignment.parallel.run`): for each, None where it is
    unchanged, else its new fields; then the pairs their groups imply."""
    pool, bar = shared
    inside = bytearray(len(pool.links))
    place = {}
    for n, k in enumerate(ids):
        inside[k] = 1
        place[k] = n
    order = [place[k] for k in pool.order if inside[k]]
    part = [pool.links[k] for k in ids]
    out = classify(part, order, bar, **context(pool))

    def fields(x: Link) -> tuple:
        return (x.a, x.b, x.score, x.confidence, x.kind, x.by)

    kinds = [None if x is y else fields(x) for x, y in zip(out, part)]
    return kinds, [fields(x) for x in out[len(part) :]]


def context(pool: Pool) -> dict:
    """What :func:`classify` needs of ``pool`` besides the links, order and bar."""
    levels = pool.levels
    return {
        "parallel": pool.parallel,
        "implied": levels.implied_confidence if levels.implied else None,
        # one bar for the links that vouch for a split, whatever the level: so the levels
        # nest (strict ⊆ normal ⊆ loose)
        "confident": min(levels.bars.values()),
        "stricter": list(levels.bars.values()),
    }


@dataclass(frozen=True)
class Passage:
    """A run of words shared verbatim by several sources."""

    words: int
    occurrences: tuple[tuple[int, int, int], ...]  # (source, start, end) char offsets


class Alignment:
    """Sources and the links between their sentences.

    ``links`` are the links listed at ``strictness`` (counterparts and related). When
    the aligner made them, ``pool`` holds every link it proposed with its confidence,
    so :meth:`at` re-classifies them for another strictness without aligning again.
    ``corrections`` are the reader's (see :mod:`reader.core.alignment.corrections`):
    applied to the pool before classifying, so every question below follows them;
    :meth:`corrected` applies other corrections without classifying everything again."""

    def __init__(
        self,
        sources: list[Source],
        links: list[Link] | None,
        boilerplate: list[frozenset[int]] | None = None,
        strictness: str = NORMAL,
        pool: Pool | None = None,
        notes: tuple[str, ...] = (),
        corrections: Corrections | None = None,
    ) -> None:
        self.sources = sources
        self._links = links
        self.boilerplate: list[frozenset[int]] = boilerplate if boilerplate is not None else []
        self.strictness = strictness
        self.pool = pool
        #: one-line notes for the reader about how this alignment was made (sources in
        #: different languages without the encoder, languages the encoder does not know,
        #: a vector cache that was rebuilt): the status bar and ``reader align``'s stderr
        self.notes = notes
        self.corrections = corrections if corrections is not None else NO_CORRECTIONS
        self._siblings: dict[str, Alignment] = {}
        self._links_lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"Alignment({len(self.sources)} sources, strictness={self.strictness!r}, "
            f"corrections={len(self.corrections)})"
        )

    @property
    def links(self) -> list[Link]:
        """Every link at this strictness, in the pool's order (then the pairs a group
        implies). An alignment made by :meth:`corrected` builds it on first use."""
        if self._links is None:
            with self._links_lock:
                if self._links is None:
                    assert self.pool is not None
                    self._links = classify_pool(self.pool, self.strictness, self.corrections)
        return self._links

    @classmethod
    def classified(
        cls,
        sources: list[Source],
        pool: Pool,
        boilerplate: list[frozenset[int]],
        strictness: str = NORMAL,
        notes: tuple[str, ...] = (),
        corrections: Corrections | None = None,
    ) -> Alignment:
        """The alignment at ``strictness`` of the links in ``pool``, with the reader's
        ``corrections`` applied."""
        if strictness not in STRICTNESS:
            raise ValueError(f"unknown strictness {strictness!r}; one of {', '.join(STRICTNESS)}")
        corrections = corrections if corrections is not None else NO_CORRECTIONS
        links = classify_pool(pool, strictness, corrections)
        return cls(sources, links, boilerplate, strictness, pool, notes, corrections)

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
                self.sources, self.pool, self.boilerplate, strictness, self.notes, self.corrections
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
        return self._spread[source][sentence]

    def is_unique(self, source: int, sentence: int) -> bool:
        return not self.counterparts(source, sentence)

    def unique_sentences(self, source: int) -> list[int]:
        """The sentences of ``source`` with no counterpart (as :meth:`is_unique`, for a
        whole source: without building the lookup indexes when they are not built)."""
        linked = self._linked[source]
        return [i for i in range(len(self.sources[source])) if i not in linked]

    @property
    def _linked(self) -> list[dict[int, list[Counterpart]]] | list[set[int]]:
        """Per source, the sentences with a counterpart: the index when it is built
        (the reading view's), else a plain pass over the links (a script's)."""
        if "_adjacency" in self.__dict__:
            return self._adjacency
        return self._endpoints

    @cached_property
    def _endpoints(self) -> list[set[int]]:
        out: list[set[int]] = [set() for _ in self.sources]
        for link in self.links:
            if link.kind == COUNTERPART:
                out[link.a[0]].add(link.a[1])
                out[link.b[0]].add(link.b[1])
        return out

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
        import numpy as np

        linked = [link for link in self.links if link.kind == COUNTERPART]
        if not linked:
            return []
        a, b, width = _numbered(linked)
        nodes = np.unique(np.concatenate([a, b]))  # sorted: by source, then sentence
        label = _smallest_in_set(a, b)[nodes]
        order = np.argsort(label, kind="stable")  # each set's sentences stay sorted
        nodes, label = nodes[order].tolist(), label[order]
        starts = np.flatnonzero(np.r_[True, label[1:] != label[:-1]]).tolist()
        groups = [
            [(x // width, x % width) for x in nodes[lo:hi]]
            for lo, hi in zip(starts, [*starts[1:], len(nodes)])
        ]
        groups.sort(key=lambda g: (-len({s for s, _ in g}), g[0]))
        return groups

    @cached_property
    def _spread(self) -> list[list[int]]:
        """Per source, the spread of each sentence's group (1: in no group)."""
        out = [[1] * len(src) for src in self.sources]
        for g in self.groups:
            k = len({s for s, _ in g})
            for s, i in g:
                out[s][i] = k
        return out

    def build_indexes(self, pool: bool = True) -> None:
        """Build the lookup indexes now (in a worker) rather than on the first query;
        ``pool``: and what a correction needs of the pool (see reclassify.py)."""
        _ = self._adjacency, self._related, self._anchors, self._unique_counts, self._spread
        if pool and self.pool is not None:
            _ = self.pool.components, self.pool.rank

    @cached_property
    def _unique_counts(self) -> list[int]:
        linked = self._linked
        return [len(src) - len(linked[s]) for s, src in enumerate(self.sources)]

    def unique_count(self, source: int) -> int:
        return self._unique_counts[source]

    def shared_fraction(self, source: int) -> float:
        n = len(self.sources[source])
        return 0.0 if n == 0 else 1 - self.unique_count(source) / n
