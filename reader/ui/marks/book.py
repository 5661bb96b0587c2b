"""The marks of the session as plain data (no widgets): which sentences are marked,
which mark is here, where the next one is.

They live in the core's :class:`~reader.core.marks.records.SyncedRecords` (shared with
the store, which merges them with the marks file); :class:`MarkBook` answers the
questions the panes and the marks panel ask of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.marks.marks import Mark, Target, sentences_in
from reader.core.marks.records import SyncedRecords
from reader.core.marks.storage import MARKS
from reader.core.text.segment import Source


def excerpt(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def orphan_counts(marks: Sequence[Mark]) -> tuple[int, int]:
    """``(orphaned, partly)``: marks whose passage could not be found again, and marks
    found again but with counterparts that were not: the one count every surface
    (start-up notice, panel title, panel rows) shows."""
    orphaned = sum(1 for m in marks if m.orphaned)
    partly = sum(1 for m in marks if not m.orphaned and any(t.orphaned for t in m.targets))
    return orphaned, partly


def lost_counterparts(mark: Mark) -> int:
    """How many of ``mark``'s counterpart passages could not be found again."""
    return sum(1 for t in mark.targets[1:] if t.orphaned)


class MarkBook:
    """The marks of this session, in order (the file's, then the new ones). They live in
    ``records`` (shared with the store, which merges them with the file)."""

    def __init__(self, sources: Sequence[Source] = ()) -> None:
        self.records: SyncedRecords[Mark] = SyncedRecords(MARKS)
        self.set_sources(sources)

    @property
    def marks(self) -> list[Mark]:
        return self.records.items

    def set_sources(self, sources: Sequence[Source]) -> None:
        self.sources = list(sources)
        self._index = {s.name: i for i, s in enumerate(self.sources)}

    # -- lookups ---------------------------------------------------------------------
    def sentences_of(self, target: Target) -> range:
        """The sentences a live target covers in its source (empty when orphaned or the
        source is not open)."""
        i = self._index.get(target.source)
        if i is None or target.orphaned or not len(self.sources[i]):
            return range(0)
        return sentences_in(self.sources[i], target.start, target.end)

    def find(self, mark_id: str) -> Mark | None:
        return self.records.get(mark_id)

    def per_source(self) -> list[dict[int, str]]:
        """For each source: sentence -> tag of the marks covering it (a sentence the
        user marked in this source wins over a counterpart; then the newest)."""
        out: list[dict[int, str]] = [{} for _ in self.sources]
        for primary in (False, True):
            for m in self.marks:
                for t in m.targets:
                    if (t is m.primary) != primary:
                        continue
                    i = self._index.get(t.source)
                    if i is not None:
                        for k in self.sentences_of(t):
                            out[i][k] = m.tag
        return out

    def at(self, source: int, sentence: int) -> tuple[Mark, Target] | None:
        """The mark covering ``sentence`` of ``source`` (one marked there first)."""
        best = None
        for m in reversed(self.marks):
            for t in m.targets:
                if self._index.get(t.source) == source and sentence in self.sentences_of(t):
                    if t is m.primary:
                        return m, t
                    best = best or (m, t)
        return best

    def marked_sentences(self, source: int) -> list[int]:
        return sorted(self.per_source()[source]) if source < len(self.sources) else []

    def next_mark(self, source: int, current: int, step: int) -> int | None:
        """The first sentence of the next (``step`` 1) or previous (-1) marked run in
        ``source`` from ``current``, wrapping around; None when nothing is marked there.
        A run counts once."""
        marked = self.marked_sentences(source)
        starts = [k for k in marked if k - 1 not in marked]
        if not starts:
            return None
        if step > 0:
            after = [k for k in starts if k > current]
            return after[0] if after else starts[0]
        run_start = max((k for k in starts if k <= current), default=None)
        before = [
            k
            for k in starts
            if k < (run_start if current in marked and run_start is not None else current)
        ]
        return before[-1] if before else starts[-1]

    def first_live(self, mark: Mark) -> tuple[int, int] | None:
        """(source, sentence) to jump to for ``mark``: the marked passage, else the first
        counterpart that is still found."""
        for t in mark.targets:
            run = self.sentences_of(t)
            if len(run):
                return self._index[t.source], run[0]
        return None

    # -- changes --------------------------------------------------------------------
    def add(self, mark: Mark) -> None:
        self.records.put(mark)

    def replace(self, mark: Mark) -> None:
        self.records.put(mark)

    def remove(self, mark_id: str) -> Mark | None:
        return self.records.remove(mark_id)
