"""`reader link`, `reader unlink`, `reader links`, and the corrections in `reader align`
and `reader export`: every command, every bad reference (one line on stderr, exit 2,
nothing changed)."""

from __future__ import annotations

import json

import pytest
from budget_story import A, write_story

from reader.core.marks.storage import FILE_NAME


@pytest.fixture
def folder(tmp_path):
    return write_story(tmp_path)


def ok(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def aligned(reader_cli, folder, *extra) -> dict:
    return json.loads(ok(reader_cli("align", folder, "--json", "--no-spans", *extra)))


def link_between(doc: dict, a: tuple[int, int], b: tuple[int, int]) -> dict | None:
    for x in doc["links"]:
        if (tuple(x["a"]), tuple(x["b"])) == (a, b):
            return x
    return None


def test_link_makes_a_user_counterpart_in_align_json(reader_cli, folder):
    before = aligned(reader_cli, folder)
    assert link_between(before, (0, 0), (2, 3)) is None  # "approved the budget" / "mayor"
    out = ok(reader_cli("link", folder, "a.txt:1", "c.txt:4"))
    assert out.startswith("linked a.txt:1 and c.txt:4")
    after = aligned(reader_cli, folder)
    x = link_between(after, (0, 0), (2, 3))
    assert x is not None
    assert (x["kind"], x["confidence"], x["by"]) == ("counterpart", 1.0, "user")
    assert any([0, 0] in g["members"] and [2, 3] in g["members"] for g in after["groups"])
    # at every strictness, and not with --no-corrections
    for level in ("strict", "loose"):
        assert link_between(aligned(reader_cli, folder, "--strictness", level), (0, 0), (2, 3))
    assert link_between(aligned(reader_cli, folder, "--no-corrections"), (0, 0), (2, 3)) is None
    # linking it again changes nothing
    saved = (folder / FILE_NAME).read_bytes()
    assert "already linked" in ok(reader_cli("link", folder, "c.txt:4", "a.txt:1"))
    assert (folder / FILE_NAME).read_bytes() == saved


def test_unlink_removes_a_computed_link_for_good(reader_cli, folder):
    before = aligned(reader_cli, folder)
    x = next(x for x in before["links"] if x["kind"] == "counterpart" and "by" not in x)
    (sa, ia), (sb, ib) = x["a"], x["b"]
    names = [s["name"] for s in before["sources"]]
    ref_a, ref_b = f"{names[sa]}:{ia + 1}", f"{names[sb]}:{ib + 1}"
    out = ok(reader_cli("unlink", folder, ref_b, ref_a))
    assert out.startswith(f"unlinked {ref_a} and {ref_b}")
    for level in ("strict", "normal", "loose"):
        after = aligned(reader_cli, folder, "--strictness", level)
        assert link_between(after, (sa, ia), (sb, ib)) is None
        assert not any(
            [sa, ia] in g["members"] and [sb, ib] in g["members"] for g in after["groups"]
        )
    # explain shows it no more
    explained = json.loads(ok(reader_cli("align", folder, "--explain", ref_a, "--json")))
    assert all((e["source"], e["sentence"]) != (sb, ib) for e in explained["linked"])
    # and it is no longer linked, so unlinking it again is an error
    again = reader_cli("unlink", folder, ref_a, ref_b)
    assert again.returncode == 2 and "are not linked" in again.stderr


def test_links_lists_the_corrections_as_text_and_json(reader_cli, folder):
    assert ok(reader_cli("links", folder)).startswith("0 corrections")
    ok(reader_cli("link", folder, "a.txt:1", "c.txt:4"))
    ok(reader_cli("link", folder, "b.txt:2", "c.txt:4"))
    text = ok(reader_cli("links", folder))
    assert text.splitlines()[0] == f"2 corrections in {folder / FILE_NAME}"
    assert "link    a.txt:1 \u2194 c.txt:4" in text and "link    b.txt:2 \u2194 c.txt:4" in text
    doc = json.loads(ok(reader_cli("links", folder, "--json")))
    rows = doc["corrections"]
    assert [(r["op"], r["a"]["name"], r["a"]["sentence"], r["b"]["sentence"]) for r in rows] == [
        ("link", "a.txt", 1, 4),
        ("link", "b.txt", 2, 4),
    ]
    assert all(r["found"] and r["in_force"] for r in rows)
    assert rows[0]["a"]["quote"] == "The council approved the new budget on Monday."


def test_a_lost_correction_is_listed_and_warned_about(reader_cli, folder):
    ok(reader_cli("link", folder, "a.txt:3", "b.txt:2"))
    (folder / "a.txt").write_text(
        A.replace("The mayor praised the vote as a turning point for the city. ", ""),
        encoding="utf-8",
    )
    text = ok(reader_cli("links", folder))
    assert "(1 not found again)" in text and "NOT FOUND AGAIN" in text
    row = json.loads(ok(reader_cli("links", folder, "--json")))["corrections"][0]
    assert not row["found"] and row["a"]["status"] == "orphaned"
    result = reader_cli("align", folder, "--json", "--no-spans")
    assert result.returncode == 0
    assert "not found again in a.txt" in result.stderr
    assert all("by" not in x or x["by"] != "user" for x in json.loads(result.stdout)["links"])
    # still in the file after another correction is saved
    ok(reader_cli("link", folder, "a.txt:1", "b.txt:1"))
    assert len(json.loads((folder / FILE_NAME).read_text())["corrections"]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("link", "{d}", "x.txt:1", "b.txt:1"), "x.txt is not one of the sources"),
        (("link", "{d}", "a.txt:9", "b.txt:1"), "a.txt has sentences 1 to 4, not 9"),
        (("link", "{d}", "a.txt:0", "b.txt:1"), "a.txt has sentences 1 to 4, not 0"),
        (("link", "{d}", "a.txt:one", "b.txt:1"), "one is not a sentence number"),
        (("link", "{d}", "a.txt", "b.txt:1"), "expected FILE:N"),
        (("link", "{d}", "a.txt:1", "a.txt:2"), "are both in a.txt"),
        (("unlink", "{d}", "a.txt:1", "a.txt:2"), "are both in a.txt"),
        (("unlink", "{d}", "a.txt:1", "c.txt:4"), "are not linked; nothing to unlink"),
        (("unlink", "{d}", "b.txt:1", "x.txt:1"), "x.txt is not one of the sources"),
        (("link", "{d}", "a.txt:1"), "needs the sources, then two sentences"),
    ],
)
def test_bad_references_are_one_line_exit_2_and_change_nothing(reader_cli, folder, args, message):
    result = reader_cli(*(a.format(d=folder) for a in args))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader: error: ")
    assert message in lines[0]
    assert not (folder / FILE_NAME).exists()


def test_a_missing_folder_and_a_corrupt_sidecar_are_refused(reader_cli, folder, tmp_path):
    result = reader_cli("link", tmp_path / "nowhere", "a.txt:1", "b.txt:1")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    (folder / FILE_NAME).write_text("{not json", encoding="utf-8")
    result = reader_cli("link", folder, "a.txt:1", "b.txt:1")
    assert result.returncode == 2 and "corrupt" in result.stderr
    assert (folder / FILE_NAME).read_text() == "{not json"  # left as it was
    result = reader_cli("links", folder)
    assert result.returncode == 2 and "corrupt" in result.stderr


def test_exports_use_the_corrected_alignment(reader_cli, folder):
    from reader.core.alignment.pipeline import align
    from reader.core.marks.marks import create_mark
    from reader.core.marks.storage import save_marks
    from reader.core.text.load import load_paths

    al = align(load_paths([folder]).documents)
    mark = create_mark(al, 0, 0, mark_id="m1")  # with its counterparts, as of now
    assert "The mayor was pleased." not in str(mark.targets)
    save_marks(folder / FILE_NAME, [mark])
    ok(reader_cli("link", folder, "a.txt:1", "c.txt:4"))
    doc = json.loads(ok(reader_cli("export", folder, "--format", "json")))
    targets = doc["items"][0]["counterparts"] if "items" in doc else doc["first"]["items"][0]
    text = json.dumps(targets)
    assert "The mayor was pleased." in text
