"""Exporting marks, or the shared passages the alignment found, to md | json | csv | html.

Two steps: :func:`collect_marks` / :func:`collect_matches` (here) turn marks (or the
verbatim shared passages) plus the alignment into an :class:`ExportData`;
:func:`reader.core.export.render.render` turns that into the text of one format (each
written by its own module) and :func:`~reader.core.export.render.write_export` writes it
to a file.

Every exported passage carries its source file, character offsets (``str`` offsets,
end exclusive, as :mod:`reader.core.text.load` loads the text), the text, the note and
tag, and its aligned counterparts in the other sources with their link scores.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from reader.core.alignment.model import Alignment
from reader.core.marks.marks import CONTEXT_CHARS, Mark, counterpart_spans
from reader.core.text.segment import Source
from reader.core.visible import visible

MARKS, MATCHES = "marks", "matches"


@dataclass(frozen=True)
class Occurrence:
    """A passage in one source."""

    source: str
    start: int
    end: int
    text: str
    prefix: str = ""
    suffix: str = ""
    score: float | None = None  # link score to the passage (counterparts only)
    status: str = "exact"  # re-anchoring status (marks): exact, moved, fuzzy, orphaned


@dataclass(frozen=True)
class ExportPassage:
    id: str
    occurrence: Occurrence  # the marked passage (for matches: its first occurrence)
    counterparts: tuple[Occurrence, ...] = ()
    note: str = ""
    tag: str = ""
    created: str = ""
    modified: str = ""
    words: int | None = None  # shared passages: length in words


@dataclass(frozen=True)
class ExportData:
    kind: str  # MARKS or MATCHES
    sources: tuple[tuple[str, str], ...]  # (name, text) of every source, in order
    passages: tuple[ExportPassage, ...] = field(default=())


def _occurrence(src: Source, start: int, end: int, score: float | None = None) -> Occurrence:
    t = src.text
    return Occurrence(
        src.name,
        start,
        end,
        t[start:end],
        t[max(0, start - CONTEXT_CHARS) : start],
        t[end : end + CONTEXT_CHARS],
        score,
    )


def _counterparts(al: Alignment, si: int, start: int, end: int) -> tuple[Occurrence, ...]:
    return tuple(
        _occurrence(al.sources[cp.source], cp.start, cp.end, cp.score)
        for cp in counterpart_spans(al, si, start, end)
    )


def collect_marks(al: Alignment, marks: Sequence[Mark]) -> ExportData:
    """The passages of ``marks`` (already re-anchored to ``al``'s texts), each with its
    counterparts from the alignment (unless it was marked without them). An orphaned mark is exported with its stored
    quote and offsets, status ``orphaned``, and its stored counterparts."""
    index = {s.name: i for i, s in enumerate(al.sources)}
    out = []
    for m in marks:
        p = m.primary
        si = index.get(p.source)
        if p.orphaned or si is None:
            occ = Occurrence(
                p.source, p.start, p.end, p.exact, p.prefix, p.suffix, status="orphaned"
            )
            cps = tuple(
                Occurrence(t.source, t.start, t.end, t.exact, t.prefix, t.suffix, t.score, t.status)
                for t in m.targets[1:]
            )
        else:
            occ = Occurrence(p.source, p.start, p.end, p.exact, p.prefix, p.suffix, status=p.status)
            # a mark made without its counterparts is exported without them
            cps = _counterparts(al, si, p.start, p.end) if m.counterparts else ()
        out.append(ExportPassage(m.id, occ, cps, m.note, m.tag, m.created, m.modified))
    return ExportData(MARKS, tuple((s.name, s.text) for s in al.sources), tuple(out))


def collect_matches(al: Alignment) -> ExportData:
    """The runs of 6+ words the sources share verbatim, each with every source it
    appears in; a counterpart's score is the link score of the sentences holding it."""
    from reader.core.alignment.spans import shared_passages

    starts = [[s for s, _ in src.sentences] for src in al.sources]

    def sentence_at(si: int, offset: int) -> int:
        return max(0, bisect_right(starts[si], offset) - 1)

    out = []
    for k, p in enumerate(shared_passages(al)):
        (s0, a0, b0), rest = p.occurrences[0], p.occurrences[1:]
        i0 = sentence_at(s0, a0)
        cps = []
        for s, a, b in rest:
            j = sentence_at(s, a)
            score = None
            for c in al.counterparts(s0, i0):
                if c.source == s and c.sentence == j:
                    score = round(c.score, 4)
                    break
            cps.append(_occurrence(al.sources[s], a, b, score))
        out.append(
            ExportPassage(
                f"match-{k + 1}", _occurrence(al.sources[s0], a0, b0), tuple(cps), words=p.words
            )
        )
    return ExportData(MATCHES, tuple((s.name, s.text) for s in al.sources), tuple(out))


def citation(name: str, text: str, start: int, end: int, note: str = "") -> str:
    """A passage as plain text with its source, for the clipboard (``y``)::

        \u201cThe text.\u201d \u2014 a.txt, characters 120\u2013188
        Note: the note, when there is one

    ``text`` is the passage itself (``start``/``end`` its offsets in ``name``); runs of
    white space become one space."""
    quote = " ".join(text.split())
    out = f"\u201c{quote}\u201d \u2014 {name}, characters {start}\u2013{end}"
    return f"{out}\nNote: {note}" if note else out


def _visible_occurrence(o: Occurrence) -> Occurrence:
    fields = (o.source, o.text, o.prefix, o.suffix)
    safe = tuple(map(visible, fields))
    if all(a is b for a, b in zip(safe, fields)):  # the common case: no copy
        return o
    return replace(o, source=safe[0], text=safe[1], prefix=safe[2], suffix=safe[3])


def _visible_passage(p: ExportPassage) -> ExportPassage:
    occurrence = _visible_occurrence(p.occurrence)
    counterparts = tuple(map(_visible_occurrence, p.counterparts))
    fields = (p.note, p.tag, p.created, p.modified)
    safe = tuple(map(visible, fields))
    if (
        occurrence is p.occurrence
        and all(a is b for a, b in zip(counterparts, p.counterparts))
        and all(a is b for a, b in zip(safe, fields))
    ):
        return p
    return replace(
        p,
        occurrence=occurrence,
        counterparts=counterparts,
        note=safe[0],
        tag=safe[1],
        created=safe[2],
        modified=safe[3],
    )


def visible_data(data: ExportData) -> ExportData:
    """``data`` with every text made safe to print (:func:`reader.core.visible.visible`:
    control characters, escape sequences, bidi controls and lone surrogates become
    visible stand-ins, one character for one, so offsets still hold; tab and newline
    stay). What the Markdown, CSV and HTML exports are made from."""
    return replace(
        data,
        sources=tuple((visible(n), visible(t)) for n, t in data.sources),
        passages=tuple(map(_visible_passage, data.passages)),
    )
