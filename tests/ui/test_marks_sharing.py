"""The app and the marks file: nothing saved is lost to a save made while the file is
still loading (issue 13, item 1), and another instance's marks are merged, shown and
kept (item 2). Event-driven: the tests wait for the app's own state, never for time.
The same race in a real terminal, with large files, is in test_terminal_safety.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import settle, until

import reader.ui.marks.keeper as marking
from reader.core.marks.marks import Mark, quote_target
from reader.core.marks.storage import FILE_NAME, MarkStore, load_marks, save_marks
from reader.core.text.load import load_paths
from reader.core.text.segment import segment
from reader.ui.app import ReaderApp
from reader.ui.marks.panel import MarksPanel

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SIZE = (160, 40)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "story"
    dest.mkdir()
    for f in sorted(SAMPLE.iterdir()):
        if f.is_file() and not f.name.startswith("."):
            (dest / f.name).write_bytes(f.read_bytes())
    return dest


def saved_marks(folder: Path, n: int, prefix: str = "saved", start: int = 0) -> list[Mark]:
    """``n`` marks on real sentences of the sample sources (so loading re-anchors them),
    none in the first source (where the tests mark)."""
    sources = segment(load_paths([folder]).documents)
    spans = [(src, a, b) for src in sources[1:] for a, b in src.sentences]
    out = []
    for k in range(n):
        src, a, b = spans[(start + k) % len(spans)]
        out.append(
            Mark(
                id=f"{prefix}-{k:06d}",
                targets=(quote_target(src.text, src.name, a, b),),
                note=f"note {k}",
                created="2024-01-01T00:00:00Z",
                modified="2024-01-01T00:00:00Z",
                counterparts=False,
            )
        )
    return out


def on_disk(folder: Path) -> list[Mark]:
    result = load_marks(folder / FILE_NAME, move_corrupt=False)
    assert not result.warnings, result.warnings
    return result.marks


async def panes_shown(pilot) -> None:
    """Until the panes are mounted (the sources are segmented): the moment keys reach
    them. The marks file is still being read then, if it is large."""
    app = pilot.app
    for _ in range(500):
        if app.deck.panes:
            return
        await pilot.pause(0)
    raise AssertionError("the panes never showed")


async def test_quitting_while_the_load_is_held_up_loses_nothing(folder, monkeypatch):
    """The load is held back (an event) until a mark has been made and the app told to
    quit; a timer thread lets it go on. Whatever the order, the file keeps every mark."""
    import threading

    import reader.core.marks.marks as core_marks

    save_marks(folder / FILE_NAME, saved_marks(folder, 50))
    release = threading.Event()
    real = core_marks.reanchor_marks

    def held_back(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(core_marks, "reanchor_marks", held_back)
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await panes_shown(pilot)
        await pilot.press("m")
        threading.Timer(0.2, release.set).start()  # from another thread: q may wait
        await pilot.press("q")
    release.set()
    marks = on_disk(folder)
    assert len(marks) == 51, len(marks)


async def test_another_instances_marks_come_in_and_are_kept(folder, monkeypatch):
    monkeypatch.setattr(marking, "POLL_EVERY", 0.05)
    save_marks(folder / FILE_NAME, saved_marks(folder, 5))
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.marks.book.marks) == 5
        other = MarkStore(folder / FILE_NAME)  # the second instance on the folder
        other.save(other.load() + saved_marks(folder, 10, prefix="other", start=40))
        # the app's next save merges them: 5 + 10 + its own
        await pilot.press("G", "m")
        await settle(pilot)
        assert len(on_disk(folder)) == 16
        assert len(app.marks.book.marks) == 16
        # and they are shown: in the panes and in the panel
        names = [s.name for s in app.sources]
        for m in other.marks:
            t = m.primary
            i = names.index(t.source)
            assert app.marks.book.sentences_of(t)[0] in app.deck.panes[i].view.marked
        assert "16" in str(app.query_one(MarksPanel).query_one("#marks-title").render())
        # without a save of ours: the poll of the file brings the next ones in
        other.save(other.load() + saved_marks(folder, 3, prefix="late", start=90))
        await until(pilot, lambda: len(app.marks.book.marks) == 19, "the poll of the file")
        assert len(app.marks.book.marks) == 19 and len(on_disk(folder)) == 19


async def test_a_mark_removed_here_does_not_come_back(folder):
    save_marks(folder / FILE_NAME, saved_marks(folder, 3))
    other = MarkStore(folder / FILE_NAME)
    held = other.load()  # the other instance holds all three
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gone = app.marks.book.marks[0].id
        app.marks.remove_mark(gone, confirm=False)
        await settle(pilot)
        other.save(held + saved_marks(folder, 1, prefix="other", start=7))
        await pilot.press("G", "m")
        await settle(pilot)
        ids = {m.id for m in on_disk(folder)}
        assert gone not in ids and "other-000000" in ids and len(ids) == 4
        assert {m.id for m in app.marks.book.marks} == ids


async def test_a_failed_write_at_load_still_shows_the_saved_marks(folder, monkeypatch):
    """A mark made before the load, in a folder that cannot be written: the load's merge
    stands (the saved marks are shown, the new one kept in memory) and the failure is
    told, not swallowed."""
    import errno
    import threading

    import reader.core.marks.marks as core_marks
    import reader.core.marks.sidecar as sidecar
    from reader.core.marks.marks import Target

    orphan = Mark(
        id="orphan",
        targets=(
            Target(saved_marks(folder, 1)[0].source, 0, 30, "Zebras sang opera on the moon."),
        ),
    )
    save_marks(folder / FILE_NAME, saved_marks(folder, 4) + [orphan])
    release = threading.Event()
    real = core_marks.reanchor_marks

    def held_back(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(core_marks, "reanchor_marks", held_back)
    monkeypatch.setattr(sidecar, "atomic_write", read_only)
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await panes_shown(pilot)
        await pilot.press("m")
        release.set()
        await settle(pilot)
        assert len(app.marks.book.marks) == 6
        assert any(p.view.marked for p in app.deck.panes[1:])  # the saved ones are painted
        told = [n.message for n in app._notifications]
        assert any("Read-only file system" in n for n in told)
        assert any("could not be found again" in n for n in told)  # the load's own report
        assert app.marks.loaded  # and the file is watched from now on
    assert len(on_disk(folder)) == 5  # untouched


async def test_a_failed_save_at_exit_is_reported(folder, monkeypatch):
    """The last save runs as the app closes; when it fails, the app keeps the reason
    for the command line to print once the terminal is back (never swallowed)."""
    import errno

    import reader.core.marks.sidecar as sidecar
    from reader.core.fs import display_path

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def disk_full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(sidecar, "atomic_write", disk_full)
        await pilot.press("m")
        await settle(pilot)  # the autosave fails: a notice, the mark kept in memory
        assert len(app.marks.book.marks) == 1 and app.marks.store.records.pending()
    reason = f"cannot save marks to {display_path(folder / FILE_NAME)}: No space left on device"
    assert app.exit_errors == [f"{reason}; the marks made since the last save are lost"]
    assert not (folder / FILE_NAME).exists()
