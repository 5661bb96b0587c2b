"""The headless commands that correct the alignment by hand (called by :mod:`reader.cli`).

    reader link PATH... FILE:N FILE:M      the two sentences are counterparts
    reader unlink PATH... FILE:N FILE:M    they are not
    reader links PATH... [--json]          the corrections saved for these sources

``FILE`` is the source's name as the pane title shows it, ``N`` the sentence number
shown in the app (from 1). A bad reference (an unknown file, a number out of range,
both sentences in one source, unlinking two sentences that are not linked) is one
line on stderr and exit 2, and changes nothing. Corrections are saved in the sidecar
file beside the marks, merged with what another reader saved meanwhile
(:class:`~reader.core.marks.corrections.CorrectionStore`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reader.core.visible import one_line

if TYPE_CHECKING:
    from reader.core.marks.corrections import Resolved
    from reader.core.text.segment import Source


def _say(kind: str, message: str) -> None:
    print(f"reader: {kind}: {one_line(message)}", file=sys.stderr)


def _fail(message: str) -> int:
    _say("error", message)
    return 2


def _sources(paths: Sequence[str], max_size: int | None) -> list[Source]:
    from reader.core.text.load import DEFAULT_MAX_BYTES, load_paths
    from reader.core.text.segment import segment

    loaded = load_paths(list(paths), max_bytes=DEFAULT_MAX_BYTES if max_size is None else max_size)
    for w in loaded.warnings:
        _say("warning", w)
    return segment(loaded.documents)


def saved_corrections(
    paths: Sequence[str], sources: Sequence[Source]
) -> tuple[Resolved, list[str]]:
    """The corrections saved beside ``paths``, found again in ``sources``, and what to
    warn about (a sidecar that cannot be read, corrections not found again)."""
    from reader.core.marks.corrections import (
        lost_report,
        read_corrections,
        reanchor_corrections,
        resolve,
    )
    from reader.core.marks.storage import marks_path

    items, problems = read_corrections(marks_path(paths))
    resolved = resolve(reanchor_corrections(items, sources), sources)
    return resolved, problems + lost_report(resolved.lost)


def cmd_link(items: Sequence[str], max_size: int | None, op: str) -> int:
    """``reader link`` / ``reader unlink``."""
    from reader.core.alignment.corrections import LINK, SameSource, pair
    from reader.core.alignment.refs import RefError, format_ref, parse_ref
    from reader.core.fs import display_path
    from reader.core.marks.corrections import (
        CorrectionStore,
        decide,
        read_corrections,
        reanchor_corrections,
        resolve,
    )
    from reader.core.marks.storage import marks_path

    if len(items) < 3:
        return _fail(f"{op} needs the sources, then two sentences: {op} PATH... FILE:N FILE:M")
    paths, refs = list(items[:-2]), items[-2:]
    sources = _sources(paths, max_size)
    if len(sources) < 2:
        return _fail(f"need at least two usable text files, found {len(sources)}")
    try:
        x, y = (parse_ref(r, sources) for r in refs)
        p = pair(x, y)
    except RefError as exc:
        return _fail(str(exc))
    except SameSource:
        return _fail(
            f"{display_path(refs[0])} and {display_path(refs[1])} are both in "
            f"{display_path(sources[x[0]].name)}: a link joins sentences of two sources"
        )
    shown = f"{format_ref(sources, *p[0])} and {format_ref(sources, *p[1])}"
    path = marks_path(paths)
    _, problems = read_corrections(path)  # before anything is written: never over it
    if problems:
        return _fail(problems[0])
    store = CorrectionStore(path, prepare=lambda cs: reanchor_corrections(cs, sources))
    store.load()
    if store.warnings or not store.writable:
        return _fail(store.warnings[0] if store.warnings else f"cannot save to {path}")
    resolved = resolve(store.items, sources)
    held = resolved.by_pair.get(p)
    if op == LINK:
        if held is not None and held.op == LINK:
            print(f"{display_path(shown)} are already linked (by you); nothing changed")
            return 0
    elif not _linked(sources, resolved, p):
        return _fail(f"{shown} are not linked; nothing to unlink")
    decide(store.records, resolved, sources, p[0], p[1], op)
    result = store.sync()
    if result.error:
        return _fail(result.error)
    print(f"{op}ed {display_path(shown)} (saved in {display_path(path)})")
    return 0


def _linked(sources: Sequence[Source], resolved: Resolved, p: Any) -> bool:
    """Whether the two sentences are counterparts now, at any strictness (the reader's
    corrections applied): what the reading view would show as linked."""
    from reader.core.alignment.links import STRICTNESS
    from reader.core.alignment.pipeline import align_sources

    al = align_sources(list(sources), corrections=resolved.corrections)
    (s, i), (t, j) = p
    return any(
        any(c.source == t and c.sentence == j for c in al.at(level).counterparts(s, i))
        for level in STRICTNESS
    )


def cmd_links(paths: Sequence[str], max_size: int | None, as_json: bool) -> int:
    """``reader links``: the saved corrections, as they apply to the texts now."""
    from reader.core.fs import display_path
    from reader.core.marks.corrections import (
        read_corrections,
        reanchor_corrections,
        resolve,
    )
    from reader.core.marks.storage import marks_path

    sources = _sources(paths, max_size)
    path = marks_path(paths)
    items, problems = read_corrections(path)
    if problems:
        return _fail(problems[0])
    found = reanchor_corrections(items, sources)
    resolved = resolve(found, sources)
    rows = [_row(c, sources, resolved) for c in found]
    if as_json:
        from reader.core.visible import json_text

        out = json_text({"file": str(path), "corrections": rows}, separators=(",", ":"))
        return _print(out + "\n")
    lines = [
        f"{len(rows)} correction{'s' if len(rows) != 1 else ''} in {display_path(path)}"
        + (f" ({len(resolved.lost)} not found again)" if resolved.lost else "")
    ]
    for row in sorted(rows, key=lambda r: (not r["found"], r["modified"])):
        a, b = row["a"], row["b"]
        where = f"{a['name']}:{a['sentence'] or '?'} \u2194 {b['name']}:{b['sentence'] or '?'}"
        state = "" if row["in_force"] else "  (overridden by a later decision)"
        if not row["found"]:
            state = "  NOT FOUND AGAIN: kept, not applied"
        lines.append(display_path(f"{row['op']:<6}  {where}  {row['modified']}{state}"))
        for end in (a, b):
            quote = " ".join(end["quote"].split())
            quote = quote if len(quote) <= 70 else quote[:67] + "..."
            lines.append(
                display_path(f"        {end['name']}: \u201c{quote}\u201d ({end['status']})")
            )
    return _print("\n".join(lines) + "\n")


def _row(c: Any, sources: Sequence[Source], resolved: Resolved) -> dict[str, Any]:
    p = resolved.pairs.get(c.id)
    names = [s.name for s in sources]

    def end(t: Any) -> dict[str, Any]:
        sentence = None
        if p is not None:
            for s, i in p:
                if names[s] == t.source:
                    sentence = i + 1
        return {
            "name": t.source,
            "sentence": sentence,
            "quote": t.exact,
            "status": t.status,
            "start": t.start,
            "end": t.end,
        }

    held = resolved.by_pair.get(p) if p is not None else None
    return {
        "id": c.id,
        "op": c.op,
        "created": c.created,
        "modified": c.modified,
        "found": p is not None,
        "in_force": held is not None and held.id == c.id,
        "a": end(c.a),
        "b": end(c.b),
    }


def _print(text: str) -> int:
    if sys.stdout is None:
        return _fail("standard output is closed")
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0
