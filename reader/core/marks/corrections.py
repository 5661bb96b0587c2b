"""The reader's corrections of the alignment as records: anchored, kept, re-found.

A :class:`Correction` is one decision about a pair of sentences of two sources: ``link``
(they are counterparts) or ``unlink`` (they are not). Each sentence is anchored as a
mark's target is (:class:`~reader.core.marks.marks.Target`: the sentence's text with
32 characters of context, and its character offsets), so that when a source is edited
the sentence is found again the same way (position, else the exact quote nearest the
old place with the context breaking ties, else a fuzzy re-find), then mapped to the
sentence it now falls in (:func:`resolve`). A correction whose sentence cannot be
found, or no longer falls in one sentence, is *lost*: kept in the file and listed
(``reader links``, the app's start-up notice), never applied, so it is never applied
to the wrong sentence.

Corrections live in the marks' sidecar file, ``.reader-marks.json``, as a second
record list, ``"corrections"``, merged and written like the marks
(:class:`CorrectionStore`)::

    "corrections": [{"id": "<uuid4>", "op": "link",             # or "unlink"
                     "created": "2024-05-01T12:00:00.123456Z", "modified": "…",
                     "a": {"source": "a.txt", "quote": {"exact": "…", "prefix": "…",
                                                       "suffix": "…"},
                           "position": {"start": 120, "end": 188}},
                     "b": {"source": "b.txt", …}}, …]

One record per pair of sentences: a new decision about a pair replaces the record
(a later ``modified`` wins where two writers decided the same pair).
"""

from __future__ import annotations

import os
import uuid
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.core.alignment.corrections import LINK, UNLINK, Corrections, Pair, pair
from reader.core.alignment.links import SentenceRef
from reader.core.fs import display_path, read_regular
from reader.core.marks.marks import EXACT, Target, quote_target, reanchor
from reader.core.marks.records import RecordKind, SyncedRecords
from reader.core.marks.sidecar import (
    MALFORMED,
    MAX_BYTES,
    Corrupt,
    TooNew,
    parse,
    read_problem,
    record_list,
)
from reader.core.marks.storage import RecordStore
from reader.core.text.segment import Source

__all__ = [
    "CORRECTIONS",
    "Correction",
    "CorrectionStore",
    "Resolved",
    "correction_from_dict",
    "correction_to_dict",
    "decide",
    "describe",
    "lost_report",
    "make_correction",
    "read_corrections",
    "reanchor_corrections",
    "resolve",
]

OPS = (LINK, UNLINK)


def now_stamp() -> str:
    """The current UTC time, ISO 8601 to the microsecond (two decisions a second apart
    or less still order)."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Correction:
    id: str
    op: str  # LINK or UNLINK
    a: Target  # the sentence of the first source (by index when made)
    b: Target
    created: str = ""
    modified: str = ""

    @property
    def lost(self) -> bool:
        return self.a.orphaned or self.b.orphaned


def sentence_target(src: Source, sentence: int) -> Target:
    start, end = src.sentences[sentence]
    return quote_target(src.text, src.name, start, end)


def make_correction(
    sources: Sequence[Source],
    x: SentenceRef,
    y: SentenceRef,
    op: str,
    *,
    now: str | None = None,
    correction_id: str | None = None,
) -> Correction:
    """A decision about sentences ``x`` and ``y`` (``(source, sentence)``, 0-based) of
    two different sources; raises :class:`~reader.core.alignment.corrections.SameSource`
    for one source."""
    if op not in OPS:
        raise ValueError(f"unknown correction {op!r}; one of {', '.join(OPS)}")
    (sa, ia), (sb, ib) = pair(x, y)
    stamp = now or now_stamp()
    return Correction(
        correction_id or str(uuid.uuid4()),
        op,
        sentence_target(sources[sa], ia),
        sentence_target(sources[sb], ib),
        stamp,
        stamp,
    )


# -- JSON <-> corrections ---------------------------------------------------------------------
def _end_to_dict(t: Target) -> dict[str, Any]:
    return {
        "source": t.source,
        "quote": {"exact": t.exact, "prefix": t.prefix, "suffix": t.suffix},
        "position": {"start": t.start, "end": t.end},
    }


def _end_from_dict(d: dict[str, Any]) -> Target:
    quote, pos = d["quote"], d["position"]
    start, end = pos["start"], pos["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
        raise ValueError("bad position")
    for key in ("exact", "prefix", "suffix"):
        if not isinstance(quote.get(key, ""), str):
            raise ValueError(f"bad quote {key}")
    if not isinstance(d["source"], str):
        raise ValueError("bad source")
    return Target(
        d["source"],
        start,
        end,
        quote["exact"],
        quote.get("prefix", ""),
        quote.get("suffix", ""),
        status=EXACT,
    )


def correction_to_dict(c: Correction) -> dict[str, Any]:
    return {
        "id": c.id,
        "op": c.op,
        "created": c.created,
        "modified": c.modified,
        "a": _end_to_dict(c.a),
        "b": _end_to_dict(c.b),
    }


def correction_from_dict(d: dict[str, Any]) -> Correction:
    op = d["op"]
    if op not in OPS:
        raise ValueError(f"unknown correction {op!r}")
    a, b = _end_from_dict(d["a"]), _end_from_dict(d["b"])
    if a.source == b.source:
        raise ValueError("a correction within one source")
    return Correction(str(d["id"]), op, a, b, str(d.get("created", "")), str(d.get("modified", "")))


#: corrections as a kind of record in the sidecar file, beside the marks
CORRECTIONS: RecordKind[Correction] = RecordKind(
    "corrections", correction_to_dict, correction_from_dict, lambda c: c.id
)


# -- finding them again -----------------------------------------------------------------------
def reanchor_corrections(
    items: Sequence[Correction], texts: Mapping[str, str] | Sequence[Source]
) -> list[Correction]:
    """Each correction's two sentences found again in ``texts`` (name -> text, or the
    sources), as marks are; the ones not found are flagged (``lost``), never dropped."""
    if not isinstance(texts, Mapping):
        texts = {s.name: s.text for s in texts}
    return [
        replace(c, a=reanchor(c.a, texts.get(c.a.source)), b=reanchor(c.b, texts.get(c.b.source)))
        for c in items
    ]


def sentence_starts(sources: Sequence[Source]) -> list[list[int]]:
    """Where each sentence of each source starts (for :func:`resolve`)."""
    return [[s for s, _ in src.sentences] for src in sources]


def sentence_of(
    src: Source, start: int, end: int, starts: Sequence[int] | None = None
) -> int | None:
    """The sentence of ``src`` the span ``[start, end)`` stands for: the one it covers
    exactly, else the one holding most of it when that is more than half of the span
    and of the sentence; None when it spans sentences otherwise."""
    if starts is None:
        starts = [s for s, _ in src.sentences]
    k = bisect_right(starts, start) - 1
    if 0 <= k < len(src.sentences) and src.sentences[k] == (start, end):
        return k
    best, most = None, 0
    lo = max(0, k)
    for i in range(lo, len(src.sentences)):
        s, e = src.sentences[i]
        if s >= end:
            break
        overlap = min(e, end) - max(s, start)
        if overlap > most:
            best, most = i, overlap
    if best is None:
        return None
    s, e = src.sentences[best]
    if 2 * most <= (end - start) or 2 * most <= (e - s):
        return None
    return best


@dataclass
class Resolved:
    """Corrections mapped onto the sentences as they are now."""

    corrections: Corrections = field(default_factory=Corrections)
    by_pair: dict[Pair, Correction] = field(default_factory=dict)  # the record in force
    pairs: dict[str, Pair] = field(default_factory=dict)  # id -> pair, every record found
    lost: list[Correction] = field(default_factory=list)  # not found again: not applied


def resolve(
    items: Sequence[Correction],
    sources: Sequence[Source],
    starts: Sequence[Sequence[int]] | None = None,
) -> Resolved:
    """Where each (re-anchored) correction applies now; for each pair, the decision
    with the latest ``modified`` (then the greater id) is in force. ``starts``: the
    sources' :func:`sentence_starts`, when the caller keeps them."""
    index = {s.name: k for k, s in enumerate(sources)}
    if starts is None:
        starts = sentence_starts(sources)
    out = Resolved()
    for c in items:
        ends = []
        for t in (c.a, c.b):
            k = index.get(t.source)
            i = (
                None
                if k is None or t.orphaned
                else sentence_of(sources[k], t.start, t.end, starts[k])
            )
            ends.append(None if i is None or k is None else (k, i))
        x, y = ends
        if x is None or y is None or x[0] == y[0]:
            out.lost.append(c)
            continue
        p = pair(x, y)
        out.pairs[c.id] = p
        held = out.by_pair.get(p)
        if held is None or (c.modified, c.id) > (held.modified, held.id):
            out.by_pair[p] = c
    out.corrections = Corrections.of((p, c.op) for p, c in out.by_pair.items())
    return out


def describe(c: Correction, sources: Sequence[Source] | None = None) -> str:
    """One line for people: ``link a.txt “…” ↔ b.txt “…”`` (text shown literally)."""

    def end(t: Target) -> str:
        quote = " ".join(t.exact.split())
        quote = quote if len(quote) <= 50 else quote[:47] + "..."
        return f"{t.source} \u201c{quote}\u201d"

    return f"{c.op} {end(c.a)} \u2194 {end(c.b)}"


def lost_report(lost: Sequence[Correction]) -> list[str]:
    """One line per correction that could not be found again."""
    out = []
    for c in lost:
        where = [t.source for t in (c.a, c.b) if t.orphaned] or [c.a.source, c.b.source]
        out.append(
            f"correction {c.id[:8]} not found again in {' and '.join(where)} "
            f"(kept, not applied): {describe(c)}"
        )
    return out


# -- the file -------------------------------------------------------------------------------
def read_corrections(path: str | os.PathLike[str]) -> tuple[list[Correction], list[str]]:
    """The corrections saved in the sidecar file (no merge, no lock, nothing moved or
    written: for the commands that only read). A missing file holds none; a file that
    cannot be used gives a warning and none."""
    path = Path(path)
    shown = display_path(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [f"cannot read corrections from {shown}: {read_problem(exc)}"]
    try:
        doc = parse(raw)
        return [correction_from_dict(d) for d in record_list(doc, CORRECTIONS.key)], []
    except TooNew as exc:
        return [], [f"cannot use corrections in {shown}: {exc}"]
    except Corrupt as exc:
        return [], [f"marks file {shown} is corrupt ({exc}); its corrections are not used"]
    except MALFORMED as exc:
        return [], [
            f"marks file {shown}: a correction is malformed ({type(exc).__name__}: {exc}); "
            "its corrections are not used"
        ]


class CorrectionStore(RecordStore[Correction]):
    """The corrections of one folder for a session, in the sidecar file beside the
    marks: ``store = CorrectionStore(marks_path(paths), prepare=...)``, ``load()``,
    then change ``store.records`` (put, remove) and :meth:`sync` (see
    :class:`~reader.core.marks.storage.RecordStore`)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        prepare: Callable[[list[Correction]], list[Correction]] | None = None,
        records: SyncedRecords[Correction] | None = None,
    ) -> None:
        super().__init__(path, CORRECTIONS, prepare=prepare, records=records, what="corrections")


def decide(
    records: SyncedRecords[Correction],
    resolved: Resolved,
    sources: Sequence[Source],
    x: SentenceRef,
    y: SentenceRef,
    op: str,
) -> tuple[list[Correction], list[Correction]]:
    """Record the decision ``op`` about ``x`` and ``y`` in ``records``: every record of
    the pair is replaced by one new record. Returns ``(before, after)``: the records
    the pair had and has now (for undo)."""
    p = pair(x, y)
    before = [c for c in records.items if resolved.pairs.get(c.id) == p]
    for c in before:
        records.remove(c.id)
    new = make_correction(sources, x, y, op)
    records.put(new)
    return before, [new]
