"""The CSV export: one row per passage and source, no cell a spreadsheet would run
as a formula."""

from __future__ import annotations

import csv
import io
from typing import Any

from reader.core.export.passages import MARKS, ExportData

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
