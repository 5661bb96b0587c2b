"""The marks file shared by two sessions (or processes) on one folder, and what the
marks file may be. Nothing one writer saved may vanish because another saved after it;
a save never writes what it has not merged (issue 13, items 1, 2, 5, 6 and 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace

import pytest

from reader.core.marks.marks import Mark, Target
from reader.core.marks.storage import FILE_NAME, MarkStore, load_marks, save_marks


def mark(k: int | str, note: str = "", modified: str = "2024-01-01T00:00:00Z") -> Mark:
    return Mark(
        id=f"m-{k}",
        targets=(Target("a.txt", 0, 5, f"quote {k}"),),
        note=note,
        created="2024-01-01T00:00:00Z",
        modified=modified,
    )


def ids(marks) -> list[str]:
    return sorted(m.id for m in marks)


def on_disk(path) -> list[Mark]:
    result = load_marks(path, move_corrupt=False)
    assert not result.warnings, result.warnings
    return result.marks


# -- two sessions on one file -----------------------------------------------------------------
def test_two_sessions_each_adding_keep_everything(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(k) for k in range(5)])
    one, two = MarkStore(path), MarkStore(path)
    first, second = one.load(), two.load()
    assert len(first) == len(second) == 5
    one.save(first + [mark(f"one-{k}") for k in range(10)])
    two.save(second + [mark(f"two-{k}") for k in range(10)])
    assert len(on_disk(path)) == 25
    # the first session picks up the second's marks at its next save
    one.save(one.marks + [mark("one-late")])
    assert ids(one.marks) == ids(on_disk(path)) and len(one.marks) == 26


def test_a_removal_here_is_not_undone_by_the_other_copy(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(k) for k in range(3)])
    one, two = MarkStore(path), MarkStore(path)
    first, second = one.load(), two.load()
    one.save([m for m in first if m.id != "m-0"])  # removed here
    two.save(second + [mark("new")])  # the other still holds m-0, untouched
    assert ids(on_disk(path)) == ["m-1", "m-2", "m-new"]
    two.save()  # and it learns that m-0 is gone
    assert ids(two.marks) == ["m-1", "m-2", "m-new"]


def test_a_removal_there_stays_removed_here(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(k) for k in range(3)])
    one, two = MarkStore(path), MarkStore(path)
    first, second = one.load(), two.load()
    two.save([m for m in second if m.id != "m-2"])
    one.save(first + [mark("new")])  # m-2 untouched here: stays removed
    assert ids(on_disk(path)) == ["m-0", "m-1", "m-new"]
    assert ids(one.marks) == ["m-0", "m-1", "m-new"]


def test_both_edited_the_later_edit_is_kept(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(0)])
    one, two = MarkStore(path), MarkStore(path)
    first, second = one.load(), two.load()
    two.save([replace(second[0], note="later", modified="2024-03-01T00:00:00Z")])
    one.save([replace(first[0], note="earlier", modified="2024-02-01T00:00:00Z")])
    assert [m.note for m in on_disk(path)] == ["later"]
    assert [m.note for m in one.marks] == ["later"]
    result = one.sync()
    assert result.conflicts == []  # reported once, at the merge that met it


def test_a_save_before_the_first_load_keeps_what_the_file_holds(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(k) for k in range(5000)])
    store = MarkStore(path)
    store.save([mark("made-while-loading")])  # the app saved before its load finished
    assert len(on_disk(path)) == 5001
    assert len(store.load()) == 5001


def test_other_kinds_and_unknown_keys_in_the_file_are_kept(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(0)])
    doc = json.loads(path.read_text())
    doc["corrections"] = [{"id": "c-1", "link": [[0, 1], [1, 2]], "modified": "x"}]
    doc["marks"][0]["future"] = {"kept": True}
    path.write_text(json.dumps(doc))
    store = MarkStore(path)
    store.save(store.load() + [mark(1)])
    doc = json.loads(path.read_text())
    assert doc["corrections"] == [{"id": "c-1", "link": [[0, 1], [1, 2]], "modified": "x"}]
    assert doc["marks"][0]["future"] == {"kept": True}  # a record we did not touch
    assert [m["id"] for m in doc["marks"]] == ["m-0", "m-1"]


def test_a_session_that_changes_nothing_writes_nothing(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(0)])
    before = os.stat(path)
    store = MarkStore(
        path,
        prepare=lambda ms: [
            replace(m, targets=(replace(m.targets[0], start=1, end=6),)) for m in ms
        ],
    )  # "re-anchored" elsewhere
    store.load()
    assert store.sync().wrote is False
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not (tmp_path / (FILE_NAME + ".lock")).exists()  # no lock taken to read


def test_a_save_waits_for_the_lock_and_merges_what_was_written_meanwhile(tmp_path):
    """Event-driven: the test holds the lock, writes as another instance would, and
    only then lets the waiting save go on."""
    import fcntl

    path = tmp_path / FILE_NAME
    save_marks(path, [mark(0)])
    store = MarkStore(path)
    loaded = store.load()
    lock = open(tmp_path / (FILE_NAME + ".lock"), "a")  # noqa: SIM115  (held across the thread)
    fcntl.flock(lock, fcntl.LOCK_EX)
    done = threading.Event()
    saver = threading.Thread(target=lambda: (store.save(loaded + [mark("here")]), done.set()))
    saver.start()
    try:
        assert not done.wait(0.3)  # blocked on the lock
        assert ids(on_disk(path)) == ["m-0"]
        save_marks(path, [mark(0), mark("there")])  # the other instance's save
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    saver.join(10)
    assert done.is_set()
    assert ids(on_disk(path)) == ["m-0", "m-here", "m-there"]


WRITER = textwrap.dedent("""
    import sys
    from reader.core.marks.marks import Mark, Target
    from reader.core.marks.storage import MarkStore

    path, name = sys.argv[1], sys.argv[2]
    store = MarkStore(path)
    store.load()
    print("ready", flush=True)
    sys.stdin.readline()  # all writers start together
    for k in range(10):
        new = Mark(id=f"{name}-{k}", targets=(Target("a.txt", 0, 5, "x"),))
        store.save(store.load() + [new])  # what this session holds now, plus one
""")


def test_processes_saving_at_once_lose_nothing(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(k) for k in range(5)])
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), f"w{n}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        p.stdin.close()
        assert p.wait(60) == 0
        p.stdout.close()
    assert len(on_disk(path)) == 5 + 4 * 10


# -- what the marks file may be ---------------------------------------------------------------
def test_a_symlinked_marks_file_stays_a_link_and_its_target_is_updated(tmp_path):
    real = tmp_path / "elsewhere" / "marks.json"
    real.parent.mkdir()
    save_marks(real, [mark(0)])
    folder = tmp_path / "story"
    folder.mkdir()
    link = folder / FILE_NAME
    link.symlink_to(real)
    store = MarkStore(link)
    store.save(store.load() + [mark(1)])
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert ids(on_disk(real)) == ["m-0", "m-1"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_marks_file_is_refused_at_once(tmp_path):
    path = tmp_path / FILE_NAME
    os.mkfifo(path)
    result: list = []
    store = MarkStore(path)
    loader = threading.Thread(target=lambda: result.append(store.load()), daemon=True)
    loader.start()
    loader.join(5)
    assert not loader.is_alive(), "reading a FIFO as the marks file hangs"
    assert not store.writable and "FIFO" in store.warnings[0]
    assert store.save([mark(0)]) is False
    assert load_marks(path).writable is False


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_marks_file_linked_to_a_device_is_refused(tmp_path):
    path = tmp_path / FILE_NAME
    path.symlink_to("/dev/zero")
    result = load_marks(path)
    assert not result.writable and "character device" in result.warnings[0]
    store = MarkStore(path)
    store.load()
    assert not store.writable and store.save([mark(0)]) is False
    assert path.is_symlink() and os.readlink(path) == "/dev/zero"


def test_a_deeply_nested_marks_file_is_corrupt_and_moved_aside(tmp_path):
    path = tmp_path / FILE_NAME
    deep = b"[" * 200_000 + b"]" * 200_000
    path.write_bytes(deep)
    store = MarkStore(path)
    assert store.load() == [] and "corrupt" in store.warnings[0]
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == deep
    assert store.save([mark(0)]) and ids(on_disk(path)) == ["m-0"]


def test_a_file_corrupted_while_open_is_moved_aside_and_the_session_saved(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(0)])
    store = MarkStore(path)
    loaded = store.load()
    path.write_text("{torn")
    assert store.save(loaded + [mark(1)])
    assert ids(on_disk(path)) == ["m-0", "m-1"]
    assert any("was corrupt" in w for w in store.warnings)
    assert [p.read_text() for p in tmp_path.iterdir() if ".corrupt-" in p.name] == ["{torn"]


def test_a_file_removed_while_open_is_written_again(tmp_path):
    path = tmp_path / FILE_NAME
    save_marks(path, [mark(0)])
    store = MarkStore(path)
    loaded = store.load()
    path.unlink()
    store.save(loaded)
    assert ids(on_disk(path)) == ["m-0"]
