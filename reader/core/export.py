"""Exporting marks, or the shared passages the alignment found, to md | json | csv | html.

Two steps: :func:`collect_marks` / :func:`collect_matches` turn marks (or the verbatim
shared passages) plus the alignment into an :class:`ExportData`; :func:`render` turns
that into the text of one format. :func:`write_export` writes it to a file, never over
an existing one unless ``force``, through a temporary file and a rename, so a failed
write loses nothing.

Every exported passage carries its source file, character offsets (``str`` offsets,
end exclusive, as :mod:`reader.core.sources` loads the text), the text, the note and
tag, and its aligned counterparts in the other sources with their link scores.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader import __version__
from reader.core.marks import CONTEXT_CHARS, Mark, counterpart_spans
from reader.core.model import Alignment, Source
from reader.core.visible import json_text, visible

FORMATS = ("md", "json", "csv", "html")
MARKS, MATCHES = "marks", "matches"


class ExportError(Exception):
    """An export could not be written; the message is one line."""


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
    counterparts from the alignment. An orphaned mark is exported with its stored
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
            cps = _counterparts(al, si, p.start, p.end)
        out.append(ExportPassage(m.id, occ, cps, m.note, m.tag, m.created, m.modified))
    return ExportData(MARKS, tuple((s.name, s.text) for s in al.sources), tuple(out))


def collect_matches(al: Alignment) -> ExportData:
    """The runs of 6+ words the sources share verbatim, each with every source it
    appears in; a counterpart's score is the link score of the sentences holding it."""
    from reader.core.spans import shared_passages

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


def citation(al: Alignment, source: int, start: int, end: int) -> str:
    """A passage as plain text with its source, for the clipboard (``y``)::

    \u201cThe text.\u201d \u2014 a.txt, characters 120\u2013188
    """
    src = al.sources[source]
    quote = " ".join(src.text[start:end].split())
    return f"\u201c{quote}\u201d \u2014 {src.name}, characters {start}\u2013{end}"


# -- Markdown ---------------------------------------------------------------------------
_MD_SPECIAL = set("\\`*[]<>|~")


def md_escape(text: str) -> str:
    """Text that reads the same in a Markdown renderer: punctuation that would start
    emphasis, links, code, HTML, tables or a heading/list is backslash-escaped."""
    out = "".join(
        "\\" + c
        if c in _MD_SPECIAL
        or (c == "_" and not (text[i - 1 : i].isalnum() and text[i + 1 : i + 2].isalnum()))
        else c
        for i, c in enumerate(text)
    )
    lines = []
    for line in out.split("\n"):
        stripped = line.lstrip(" ")
        if stripped[:1] in ("#", "+", "-", "=") or (
            stripped[:1].isdigit() and "." in stripped[:10] and stripped.split(".", 1)[0].isdigit()
        ):
            if stripped[:1].isdigit():
                head, tail = stripped.split(".", 1)
                stripped = head + "\\." + tail
            else:
                stripped = "\\" + stripped
            line = line[: len(line) - len(line.lstrip(" "))] + stripped
        lines.append(line)
    return "\n".join(lines)


def _md_quote(text: str) -> str:
    return "\n".join("> " + ln if ln.strip() else ">" for ln in md_escape(text.strip()).split("\n"))


def _where(o: Occurrence) -> str:
    return f"{md_escape(o.source)}, characters {o.start}\u2013{o.end}"


def to_markdown(data: ExportData) -> str:
    n = len(data.passages)
    title = "Marked passages" if data.kind == MARKS else "Passages shared verbatim"
    lines = [
        f"# {title}",
        "",
        f"{n} passage{'s' * (n != 1)} from {len(data.sources)} sources: "
        + ", ".join(md_escape(name) for name, _ in data.sources)
        + ".",
        "",
    ]
    for k, p in enumerate(data.passages, 1):
        o = p.occurrence
        heading = f"## {k}. {md_escape(o.source)}"
        if p.tag:
            heading += f" ({md_escape(p.tag)})"
        lines += [
            heading,
            "",
            _md_quote(o.text),
            "",
            f"\u2014 *{_where(o)}*"
            + (" (not found in the current text)" if o.status == "orphaned" else ""),
            "",
        ]
        if p.words:
            lines += [f"{p.words} words, in {1 + len(p.counterparts)} places.", ""]
        if p.note:
            lines += ["**Note:** " + md_escape(p.note).replace("\n", "  \n"), ""]
        if p.counterparts:
            lines += ["Also in:", ""]
            for c in p.counterparts:
                score = "" if c.score is None else f", score {c.score:.2f}"
                lines.append(f"- *{_where(c)}*{score}:")
                lines.append("")
                lines += ["  " + ln for ln in _md_quote(c.text).split("\n")]
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# -- JSON (W3C Web Annotation) ----------------------------------------------------------
def _selectors(o: Occurrence) -> list[dict[str, Any]]:
    return [
        {"type": "TextQuoteSelector", "exact": o.text, "prefix": o.prefix, "suffix": o.suffix},
        {"type": "TextPositionSelector", "start": o.start, "end": o.end},
    ]


def _annotation(p: ExportPassage, kind: str) -> dict[str, Any]:
    body = []
    if p.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": p.note,
                "format": "text/plain",
            }
        )
    if p.tag:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": p.tag})
    ann: dict[str, Any] = {
        "id": f"urn:uuid:{p.id}" if kind == MARKS else p.id,
        "type": "Annotation",
        "motivation": "commenting" if p.note else "highlighting",
    }
    if p.created:
        ann["created"] = p.created
    if p.modified:
        ann["modified"] = p.modified
    if body:
        ann["body"] = body
    o = p.occurrence
    ann["target"] = {"type": "SpecificResource", "source": o.source, "selector": _selectors(o)}
    ann["status"] = o.status
    if p.words is not None:
        ann["words"] = p.words
    ann["counterparts"] = [
        {
            "type": "SpecificResource",
            "source": c.source,
            "score": c.score,
            "selector": _selectors(c),
        }
        for c in p.counterparts
    ]
    return ann


def to_json(data: ExportData) -> str:
    """An AnnotationCollection of the W3C Web Annotation data model. Extensions (not
    in the W3C vocabulary): ``status``, ``words`` and ``counterparts`` (targets in the
    other sources, each with the alignment ``score``)."""
    label = "reader marks" if data.kind == MARKS else "reader shared passages"
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": label,
        "generator": {"type": "Software", "name": f"reader {__version__}"},
        "sources": [name for name, _ in data.sources],
        "total": len(data.passages),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [_annotation(p, data.kind) for p in data.passages],
        },
    }
    return json_text(doc, indent=2) + "\n"


# -- CSV --------------------------------------------------------------------------------
CSV_COLUMNS = (
    "passage",
    "role",
    "source",
    "start",
    "end",
    "score",
    "tag",
    "note",
    "status",
    "words",
    "text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with ``= + - @``,
    tab or CR gets a leading ``'`` (OWASP's advice)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(data: ExportData) -> str:
    """One row per passage and source: the marked passage (role ``marked``, or ``match``)
    then its counterparts (role ``counterpart``, with the link score)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    first_role = "marked" if data.kind == MARKS else "match"
    for p in data.passages:
        rows = [(first_role, p.occurrence)] + [("counterpart", c) for c in p.counterparts]
        for role, o in rows:
            w.writerow(
                [
                    csv_cell(v)
                    for v in (
                        p.id,
                        role,
                        o.source,
                        o.start,
                        o.end,
                        o.score,
                        p.tag,
                        p.note,
                        o.status,
                        p.words,
                        o.text,
                    )
                ]
            )
    return buf.getvalue()


# -- all formats --------------------------------------------------------------------------
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


def render(data: ExportData, fmt: str) -> str:
    """The text of ``data`` in format ``fmt`` (one of :data:`FORMATS`). No format ever
    carries a raw control character (but tab, newline, and CSV's CRLF row ends): the
    text formats show them as visible stand-ins, JSON as ``\\u`` escapes."""
    if fmt == "json":
        return to_json(data)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    data = visible_data(data)
    if fmt == "md":
        return to_markdown(data)
    if fmt == "csv":
        return to_csv(data)
    from reader.core.export_html import to_html

    return to_html(data)


def format_for_path(path: str | Path) -> str | None:
    """The format a file name's extension names (``.md``, ``.markdown``, ``.json``,
    ``.csv``, ``.html``, ``.htm``), or None."""
    ext = Path(path).suffix.lower().lstrip(".")
    return {"markdown": "md", "htm": "html"}.get(ext, ext if ext in FORMATS else None)


def write_export(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` (UTF-8) through a temporary file in the same folder,
    renamed into place, so a failure (a full disk, a kill) leaves no partial file and
    any existing file as it was. Raises :class:`ExportError` with a one-line message.

    What may be replaced: nothing without ``force``; with ``force``, only a regular
    file. A symbolic link to a regular file is written through (the file it points to
    is replaced, the link stays); a folder, FIFO, device or socket is refused, with
    or without ``force``."""
    import errno

    from reader.core.files import RefusedFile, atomic_write, kind_of
    from reader.core.sources import display_path

    path = Path(path)
    shown = display_path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ExportError(f"cannot write {shown}: a loop of symbolic links") from None
        mode = None  # a permission problem: the write says so below
    if mode is not None and stat.S_ISDIR(mode):
        raise ExportError(f"{shown} is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise ExportError(f"{shown} is {kind_of(mode)}, not a regular file; not writing to it")
    if not force and os.path.lexists(path):
        raise ExportError(f"{shown} exists; not overwriting it (use --force)")
    try:
        atomic_write(path, text, overwrite=force)
    except FileExistsError:
        raise ExportError(f"{shown} exists; not overwriting it (use --force)") from None
    except RefusedFile as exc:
        raise ExportError(f"{shown} is {exc.strerror}; not writing to it") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileNotFoundError):
            reason = f"folder {display_path(path.parent)} does not exist"
        elif isinstance(exc, PermissionError):
            reason = "permission denied"
        raise ExportError(f"cannot write {shown}: {reason}") from None
    return path
