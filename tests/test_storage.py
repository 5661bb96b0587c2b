"""Saving marks: round trip, atomic writes, corrupt files set aside, read-only cases."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.fs import atomic_write
from reader.core.marks.marks import COUNTERPART, Mark, Target
from reader.core.marks.storage import (
    FILE_NAME,
    MarkStore,
    StorageError,
    dumps,
    load_marks,
    marks_path,
    remove_stale_temps,
    save_marks,
)


def _marks(n: int = 2) -> list[Mark]:
    out = []
    for k in range(n):
        t1 = Target("a.txt", 10 * k, 10 * k + 5, "héllo", prefix="<script>", suffix="=1+2")
        t2 = Target("b.txt", 3, 8, "hello", role=COUNTERPART, score=0.75)
        out.append(
            Mark(
                id=f"id-{k}",
                targets=(t1, t2),
                note=f"note [b]{k}[/b]",
                tag="green",
                created="2024-01-01T00:00:00Z",
                modified="2024-01-02T00:00:00Z",
            )
        )
    return out


def test_round_trip(tmp_path):
    path = tmp_path / FILE_NAME
    marks = _marks()
    save_marks(path, marks)
    result = load_marks(path)
    assert result.marks == marks and not result.warnings and result.writable
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "reader-marks" and doc["version"] == 1
    t = doc["marks"][0]["targets"][0]
    assert t["quote"] == {"exact": "héllo", "prefix": "<script>", "suffix": "=1+2"}
    assert t["position"] == {"start": 0, "end": 5}


def test_missing_file_is_no_marks(tmp_path):
    r = load_marks(tmp_path / FILE_NAME)
    assert r.marks == [] and r.writable and not r.warnings


def test_marks_path(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    assert marks_path([tmp_path]) == tmp_path / FILE_NAME
    assert marks_path([tmp_path / "a.txt"]) == tmp_path / FILE_NAME


def test_sidecar_is_not_loaded_as_a_source(tmp_path):
    from reader.core.text.load import load_paths

    (tmp_path / "a.txt").write_text("One text. Here.")
    save_marks(tmp_path / FILE_NAME, _marks())
    assert [d.name for d in load_paths([tmp_path]).documents] == ["a.txt"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b'{"format": "other"}',
        b'{"format": "reader-marks", "version": 1, "marks": [{}]}',
        b"\xff\xfe\x00garbage",
        b"[]",
    ],
)
def test_corrupt_file_is_set_aside_never_overwritten(tmp_path, content):
    path = tmp_path / FILE_NAME
    path.write_bytes(content)
    store = MarkStore(path)
    assert store.load() == []
    assert store.warnings and "corrupt" in store.warnings[0]
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(FILE_NAME + ".corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert store.writable and store.save(_marks(1))
    assert load_marks(path).marks == _marks(1)
    assert aside[0].read_bytes() == content


def test_two_corrupt_files_set_aside_under_distinct_names(tmp_path):
    path = tmp_path / FILE_NAME
    for content in (b"{bad", b"{worse"):
        path.write_bytes(content)
        load_marks(path)
    aside = sorted(p.read_bytes() for p in tmp_path.iterdir() if ".corrupt-" in p.name)
    assert aside == [b"{bad", b"{worse"]


def test_corrupt_file_left_alone_when_asked(tmp_path):
    path = tmp_path / FILE_NAME
    path.write_bytes(b"{bad")
    r = load_marks(path, move_corrupt=False)
    assert not r.writable and path.read_bytes() == b"{bad" and "left as is" in r.warnings[0]


def test_newer_version_makes_store_read_only(tmp_path):
    path = tmp_path / FILE_NAME
    content = json.dumps({"format": "reader-marks", "version": 99, "marks": []})
    path.write_text(content)
    store = MarkStore(path)
    assert store.load() == [] and not store.writable and "newer" in store.warnings[0]
    assert store.save(_marks()) is False
    assert path.read_text() == content


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file_makes_store_read_only(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, _marks())
    path.chmod(0)
    try:
        store = MarkStore(path)
        assert store.load() == [] and not store.writable
        assert store.save([]) is False
    finally:
        path.chmod(0o600)
    assert load_marks(path).marks == _marks()


def test_save_into_missing_folder_raises_clear_error(tmp_path):
    with pytest.raises(StorageError, match="cannot save marks to"):
        save_marks(tmp_path / "nope" / FILE_NAME, _marks())


def test_failed_save_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / FILE_NAME
    save_marks(path, _marks(1))
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(StorageError, match="No space left"):
        save_marks(path, _marks(2))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


def test_atomic_write_without_overwrite(tmp_path):
    path = tmp_path / "out.txt"
    atomic_write(path, "one", overwrite=False)
    with pytest.raises(FileExistsError):
        atomic_write(path, "two", overwrite=False)
    assert path.read_text() == "one"
    atomic_write(path, "three")
    assert path.read_text() == "three"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_stale_temps_removed(tmp_path):
    stale = tmp_path / f".{FILE_NAME}.abc123.tmp"
    stale.write_text("{")
    os.utime(stale, (1, 1))
    fresh = tmp_path / f".{FILE_NAME}.def456.tmp"
    fresh.write_text("{")
    assert remove_stale_temps(tmp_path) == 1
    assert not stale.exists() and fresh.exists()


def test_store_save_from_threads_keeps_a_whole_list(tmp_path):
    import threading

    store = MarkStore(tmp_path / FILE_NAME)
    store.load()
    lists = [_marks(k) for k in range(1, 9)]
    threads = [threading.Thread(target=store.save, args=(m,)) for m in lists]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert load_marks(store.path).marks in lists


def test_dumps_is_stable():
    assert dumps(_marks()) == dumps(_marks())
    assert "héllo" in dumps(_marks())


_text = st.text(max_size=40)


@st.composite
def _mark_lists(draw):
    out = []
    for k in range(draw(st.integers(0, 4))):
        ts = []
        for j in range(draw(st.integers(1, 3))):
            a = draw(st.integers(0, 10_000))
            ts.append(
                Target(
                    draw(_text),
                    a,
                    a + draw(st.integers(0, 500)),
                    draw(_text),
                    draw(_text),
                    draw(_text),
                    role=COUNTERPART if j else "primary",
                    score=draw(st.none() | st.floats(0, 1)) if j else None,
                )
            )
        out.append(
            Mark(
                id=f"id{k}",
                targets=tuple(ts),
                note=draw(_text),
                tag=draw(st.sampled_from(["yellow", "green", "blue", "pink", "orange"])),
                created=draw(_text),
                modified=draw(_text),
                counterparts=draw(st.booleans()),
            )
        )
    return out


@settings(max_examples=60, deadline=None)
@given(_mark_lists())
def test_round_trip_property(tmp_path_factory, marks):
    path = tmp_path_factory.mktemp("rt") / FILE_NAME
    save_marks(path, marks)
    result = load_marks(path)
    assert not result.warnings and result.marks == marks


def test_lone_surrogate_note_still_saves(tmp_path):
    m = _marks(1)[0]
    from dataclasses import replace

    odd = replace(m, note="bad \ud800 char")
    save_marks(tmp_path / FILE_NAME, [odd])
    assert load_marks(tmp_path / FILE_NAME).marks == [odd]
