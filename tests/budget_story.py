"""One short story in three versions (a council's budget), the texts the corrections'
store and command-line tests link and unlink in (``tests/``, the folder of their
conftest, is on their path)."""

from __future__ import annotations

from pathlib import Path

A = (
    "The council approved the new budget on Monday. Schools will receive more money "
    "next year. The mayor praised the vote as a turning point for the city. Critics said "
    "taxes would rise."
)
B = (
    "On Monday the council passed the budget. The mayor welcomed the decision. More "
    "money will go to schools next year. Opponents warned of higher taxes."
)
C = (
    "A budget was approved by the council. Taxes may rise, critics fear. The schools get "
    "more money. The mayor was pleased."
)


def write_story(tmp_path: Path) -> Path:
    """The three versions as ``a.txt``, ``b.txt`` and ``c.txt`` in a folder of their own."""
    d = tmp_path / "story"
    d.mkdir()
    for name, text in (("a.txt", A), ("b.txt", B), ("c.txt", C)):
        (d / name).write_text(text, encoding="utf-8")
    return d
