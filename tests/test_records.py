"""The three-way merge of records kept by several writers (reader.core.marks.records); the
marks file shared by sessions and processes is tested in test_storage_sharing.py."""

from __future__ import annotations

import pytest

from reader.core.marks.records import BOTH_EDITED, EDITED_HERE, EDITED_THERE, three_way


# -- the merge itself -----------------------------------------------------------------------
def r(rid: str, v: str, modified: str = "t1") -> dict:
    return {"id": rid, "v": v, "modified": modified}


def test_three_way_takes_each_sides_changes():
    base = {"a": r("a", "0"), "b": r("b", "0"), "c": r("c", "0"), "d": r("d", "0")}
    ours = {"a": r("a", "ours"), "b": r("b", "0"), "d": r("d", "0"), "new": r("new", "o")}
    theirs = {"a": r("a", "0"), "b": r("b", "theirs"), "c": r("c", "0"), "x": r("x", "t")}
    out = three_way(base, ours, theirs)
    # a edited here, b edited there, c removed here, d removed there, new and x added
    assert out.records == {
        "a": r("a", "ours"),
        "b": r("b", "theirs"),
        "x": r("x", "t"),
        "new": r("new", "o"),
    }
    assert list(out.records) == ["a", "b", "x", "new"]  # theirs' order, then ours' additions
    assert out.from_theirs == {"b", "x"} and out.conflicts == []


@pytest.mark.parametrize(
    "ours_time, theirs_time, winner",
    [
        ("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z", "ours"),
        ("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "theirs"),
        ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "ours"),  # a tie: this session
    ],
)
def test_both_edited_the_later_modified_wins(ours_time, theirs_time, winner):
    base = {"a": r("a", "0", "2023")}
    ours = {"a": r("a", "ours", ours_time)}
    theirs = {"a": r("a", "theirs", theirs_time)}
    out = three_way(base, ours, theirs)
    assert out.records["a"]["v"] == winner
    (conflict,) = out.conflicts
    assert conflict.why == BOTH_EDITED and conflict.kept == winner
    assert conflict.dropped["v"] == ("theirs" if winner == "ours" else "ours")


def test_an_edit_beats_a_removal_on_either_side():
    base = {"a": r("a", "0"), "b": r("b", "0")}
    out = three_way(base, {"b": r("b", "edited here")}, {"a": r("a", "edited there")})
    assert out.records == {"a": r("a", "edited there"), "b": r("b", "edited here")}
    assert sorted(c.why for c in out.conflicts) == sorted([EDITED_THERE, EDITED_HERE])
