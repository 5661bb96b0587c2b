"""Pilot tests of marking in the app: m and visual mode, the note/colour dialog, the
marks panel, M between marks, autosave and reload, orphaned and corrupt save files,
the export dialog (never over an existing file without a confirmation) and y.

Every test works on a copy of the sample data in ``tmp_path``: the app saves its marks
next to the sources, and the repository's sample_data must never be written to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pilot_helpers import drain, settle

from reader.core.marks.marks import sentence_span
from reader.core.marks.storage import FILE_NAME, load_marks
from reader.core.text.load import documents_from_texts, load_paths
from reader.ui.app import ReaderApp
from reader.ui.dialogs.confirm import Confirm
from reader.ui.dialogs.export import ExportDialog
from reader.ui.marks.editor import MarkEditor
from reader.ui.marks.panel import MarkList, MarksPanel
from reader.ui.panes.view import SentenceView

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SIZE = (160, 40)

STORY = {  # small and unambiguous, so the snapshot does not move with the aligner
    "agency.txt": (
        "Biden and Putin spoke by phone for fifty minutes on Thursday.\n\n"
        "White House spokeswoman Jen Psaki said the talks were a good basis for more.\n\n"
        "Kremlin aide Yuri Ushakov called the conversation frank and useful.\n\n"
        "Markets in Moscow rose slightly after the call."
    ),
    "notes[red].txt": (
        "Kremlin aide Yuri Ushakov called the conversation frank and useful.\n\n"
        "Biden and Putin spoke by phone for fifty minutes on Thursday.\n\n"
        "White House spokeswoman Jen Pasky said the talks were a good background for more."
    ),
    "wire.txt": (
        "Biden and Putin spoke by telephone for fifty minutes on Thursday.\n\n"
        "Spokeswoman Jen Psaki said the talks were a good basis for more meetings.\n\n"
        "The [bold]leaders[/bold] agreed to meet again in January."
    ),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "story"
    dest.mkdir()
    for f in sorted(SAMPLE.iterdir()):
        if f.is_file() and not f.name.startswith("."):
            (dest / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return dest


def make_app(folder: Path) -> ReaderApp:
    return ReaderApp(load_paths([folder]).documents)


def shared_sentence(app: ReaderApp, source: int = 0, start: int = 0) -> int:
    """The first sentence of ``source`` from ``start`` with counterparts in 2+ sources."""
    al = app.alignment
    assert al is not None
    for k in range(start, len(app.sources[source])):
        if len({c.source for c in al.counterparts(source, k)}) >= 2:
            return k
    raise AssertionError("no shared sentence in the sample data")


async def go(pilot, source: int, sentence: int) -> None:
    app = pilot.app
    app.deck.panes[source].view.focus()
    await drain(pilot)
    app.deck.move_to(source, sentence)
    await drain(pilot)


async def mark_shared_sentence(pilot, app: ReaderApp) -> int:
    """Wait for the alignment, go to a shared sentence of pane 0 and mark it with m."""
    await settle(pilot)
    k = shared_sentence(app)
    await go(pilot, 0, k)
    await pilot.press("m")
    await settle(pilot)
    return k


def notices(app: ReaderApp) -> list[str]:
    return [n.message for n in app._notifications]


def saved(folder: Path):
    result = load_marks(folder / FILE_NAME, move_corrupt=False)
    assert not result.warnings
    return result.marks


# -- marking ------------------------------------------------------------------------------
async def test_m_marks_the_sentence_and_its_counterparts(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        k = await mark_shared_sentence(pilot, app)
        assert len(app.marks.book.marks) == 1
        mark = app.marks.book.marks[0]
        assert mark.source == app.sources[0].name
        assert (mark.primary.start, mark.primary.end) == sentence_span(app.sources[0], k, k)
        assert app.deck.panes[0].view.marked == {k: "yellow"}
        # every counterpart sentence is marked in its own pane
        for c in app.alignment.counterparts(0, k):
            assert c.sentence in app.deck.panes[c.source].view.marked
        assert {t.source for t in mark.targets[1:]} == {
            app.sources[c.source].name for c in app.alignment.counterparts(0, k)
        }
        # saved as it was made, atomically, in the documented sidecar
        assert [m.id for m in saved(folder)] == [mark.id]
        # m again on a marked sentence unmarks it (issue 10: undoable), never duplicates
        await pilot.press("m")
        await settle(pilot)
        assert app.marks.book.marks == [] and saved(folder) == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [m.id for m in app.marks.book.marks] == [mark.id]


async def test_a_mark_made_while_aligning_gets_its_counterparts(folder, monkeypatch):
    import threading

    import reader.core.alignment.pipeline as core_align

    release = threading.Event()
    real = core_align.align_sources

    def held_back(*args, **kwargs):  # the aligner waits until the mark is made
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(core_align, "align_sources", held_back)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await drain(pilot)
            if app.deck.panes and app.deck.panes[0].view.wrapped is not None:
                break
        assert app.alignment is None
        await pilot.press("m")
        await drain(pilot)
        assert [len(m.targets) for m in app.marks.book.marks] == [1]
        release.set()
        await settle(pilot)
        assert app.alignment is not None
        mark = app.marks.book.marks[0]
        expected = {app.sources[c.source].name for c in app.alignment.counterparts(0, 0)}
        assert expected, "the first sentence of the sample data is shared"
        assert mark.counterparts and {t.source for t in mark.targets[1:]} == expected
        for c in app.alignment.counterparts(0, 0):
            assert c.sentence in app.deck.panes[c.source].view.marked
        assert [len(m.targets) for m in saved(folder)] == [len(mark.targets)]


async def test_counterparts_can_be_switched_off(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        k = shared_sentence(app)
        await go(pilot, 0, k)
        app.action_toggle_mark_counterparts()
        await pilot.press("m")
        await settle(pilot)
        assert len(app.marks.book.marks[0].targets) == 1
        assert all(not p.view.marked for p in app.deck.panes[1:])


async def test_visual_mode_marks_a_run_and_esc_cancels(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.deck.panes[0].view
        await pilot.press("v", "j", "escape")
        await drain(pilot)
        assert view.visual_anchor is None and not app.marks.book.marks and app.is_running
        await pilot.press("g", "v", "j", "j")
        await drain(pilot)
        assert view.visual_anchor == 0 and view.current == 2
        await pilot.press("enter")
        await settle(pilot)
        assert view.visual_anchor is None
        assert len(app.marks.book.marks) == 1
        mark = app.marks.book.marks[0]
        assert (mark.primary.start, mark.primary.end) == sentence_span(app.sources[0], 0, 2)
        assert {0, 1, 2} <= set(view.marked)
        # a run selected upwards, marked with m
        await pilot.press("G", "v", "k", "m")
        await settle(pilot)
        last = len(app.sources[0]) - 1
        assert len(app.marks.book.marks) == 2
        assert (
            app.marks.book.marks[1].primary.start,
            app.marks.book.marks[1].primary.end,
        ) == sentence_span(app.sources[0], last - 1, last)


async def test_note_and_colour_dialog(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "a")  # a on an unmarked sentence marks it, then edits
        await drain(pilot)
        assert isinstance(app.screen, MarkEditor)
        await pilot.click("#tag-green")
        await pilot.press(*"check [red]this[/red]")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MarkEditor)
        mark = app.marks.book.marks[0]
        assert mark.note == "check [red]this[/red]"  # literal, never markup
        assert mark.tag == "green"
        assert app.deck.panes[0].view.marked[1] == "green"
        assert saved(folder)[0].note == "check [red]this[/red]"
        # Esc cancels an edit
        await pilot.press("a")
        await drain(pilot)
        await pilot.press(*"xyz", "escape")
        await settle(pilot)
        assert app.marks.book.marks[0].note == "check [red]this[/red]"


# -- the panel ---------------------------------------------------------------------------
async def test_panel_jumps_edits_and_removes(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, 0, 1)
        await pilot.press("m")
        await go(pilot, 0, 5)
        await pilot.press("m")
        await settle(pilot)
        first, _second = app.marks.book.marks
        await pilot.press("l")
        await drain(pilot)
        panel = app.query_one(MarksPanel)
        assert panel.is_open and isinstance(app.focused, MarkList)
        assert panel.list.option_count == 2
        await pilot.press("k")  # to the first mark
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, SentenceView)
        assert app.deck.leader == 0 and app.deck.panes[0].view.current == 1
        # remove the second: asks first, n keeps it
        await pilot.press("l")
        await drain(pilot)
        await pilot.press("j", "d")
        await drain(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await drain(pilot)
        assert len(app.marks.book.marks) == 2
        await pilot.press("d")
        await drain(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [m.id for m in app.marks.book.marks] == [first.id]
        assert 5 not in app.deck.panes[0].view.marked
        assert [m.id for m in saved(folder)] == [first.id]
        # a edits from the panel
        await pilot.press("a")
        await drain(pilot)
        assert isinstance(app.screen, MarkEditor)
        await pilot.press(*"from the panel", "enter")
        await settle(pilot)
        assert app.marks.book.marks[0].note == "from the panel"
        # Esc closes the panel and gives the focus back to the pane
        await pilot.press("escape")
        await drain(pilot)
        assert not panel.is_open and isinstance(app.focused, SentenceView)


async def test_M_goes_between_marks(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_toggle_mark_counterparts()
        for k in (2, 6):
            await go(pilot, 0, k)
            await pilot.press("m")
        await settle(pilot)
        view = app.deck.panes[0].view
        await pilot.press("g", "M")
        await drain(pilot)
        assert view.current == 2
        await pilot.press("M")
        await drain(pilot)
        assert view.current == 6
        await pilot.press("M")  # wraps
        await drain(pilot)
        assert view.current == 2
        await pilot.press("apostrophe")  # previous, wrapping back
        await drain(pilot)
        assert view.current == 6
        # a pane without marks rings the bell and stays put
        await pilot.press("2")
        await drain(pilot)
        before = app.deck.panes[1].view.current
        await pilot.press("M")
        await drain(pilot)
        assert app.deck.panes[1].view.current == before


# -- saving and loading ----------------------------------------------------------------
async def test_autosave_and_reload_after_restart(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        k = shared_sentence(app)
        await go(pilot, 0, k)
        await pilot.press("m", "a")
        await drain(pilot)
        await pilot.press(*"kept", "enter")
        await settle(pilot)
        ids = [m.id for m in app.marks.book.marks]
        marked = [dict(p.view.marked) for p in app.deck.panes]
    assert (folder / FILE_NAME).exists()
    again = make_app(folder)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [m.id for m in again.marks.book.marks] == ids
        assert again.marks.book.marks[0].note == "kept"
        assert [dict(p.view.marked) for p in again.deck.panes] == marked
        assert not again.marks.book.marks[0].orphaned


async def test_orphaned_marks_are_kept_and_listed(folder):
    doc = {
        "format": "reader-marks",
        "version": 1,
        "marks": [
            {
                "id": "gone-1",
                "note": "",
                "tag": "pink",
                "created": "",
                "modified": "",
                "counterparts": False,
                "targets": [
                    {
                        "source": "000_64ae4b69c7cf2bad.txt",
                        "role": "primary",
                        "score": None,
                        "quote": {
                            "exact": "Zebras sang opera on the moon while everyone watched.",
                            "prefix": "",
                            "suffix": "",
                        },
                        "position": {"start": 5, "end": 60},
                    }
                ],
            }
        ],
    }
    (folder / FILE_NAME).write_text(json.dumps(doc), encoding="utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.marks.book.marks) == 1 and app.marks.book.marks[0].orphaned
        assert any("orphaned" in n for n in notices(app))
        assert all(not p.view.marked for p in app.deck.panes)
        panel = app.query_one(MarksPanel)
        await pilot.press("l")
        await drain(pilot)
        assert "orphaned" in str(panel.query_one("#marks-title").render())
        assert "orphaned" in str(panel.list.get_option_at_index(0).prompt)
        await pilot.press("enter")  # nothing to jump to: a notice, no crash
        await drain(pilot)
        assert any("orphaned" in n for n in notices(app))
        # a new mark is saved alongside, the orphan is kept
        await pilot.press("escape", "m")
        await settle(pilot)
        assert next(m.id for m in saved(folder)) == "gone-1"
        assert len(saved(folder)) == 2


async def test_corrupt_save_file_is_reported_and_set_aside(folder):
    bad = "{ this is not json [red]"
    (folder / FILE_NAME).write_text(bad, encoding="utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("corrupt" in n for n in notices(app))
        moved = list(folder.glob(FILE_NAME + ".corrupt-*"))
        assert len(moved) == 1 and moved[0].read_text(encoding="utf-8") == bad
        assert app.marks.book.marks == []
        await pilot.press("m")
        await settle(pilot)
        assert len(saved(folder)) == 1
        assert moved[0].read_text(encoding="utf-8") == bad  # never overwritten


async def test_documents_without_files_are_never_saved(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = ReaderApp(documents_from_texts(STORY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert len(app.marks.book.marks) == 1 and app.marks.store is None
    assert list(tmp_path.iterdir()) == []


# -- export -------------------------------------------------------------------------------
async def test_mark_then_export_never_overwrites_without_confirmation(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        k = await mark_shared_sentence(pilot, app)
        sentence = " ".join(app.sources[0].sentence(k).split())
        await pilot.press("e")
        await drain(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path")
        target = folder / "reader-marks.md"
        assert Path(path_input.value) == target
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        text = target.read_text(encoding="utf-8")
        assert sentence.split()[0] in text and app.sources[0].name in text
        assert any("Exported" in n for n in notices(app))

        # the same file again: the first Enter only asks, the file is untouched
        target.write_text("precious", encoding="utf-8")
        await pilot.press("e")
        await drain(pilot)
        dialog = app.screen
        assert Path(dialog.query_one("#export-path").value) == folder / "reader-marks-2.md"
        dialog.query_one("#export-path").value = str(target)
        await drain(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert target.read_text(encoding="utf-8") == "precious"
        assert "already exists" in str(dialog.query_one("#export-error").render())
        assert str(dialog.query_one("#export-go").label) == "Overwrite"
        # changing the format re-arms the question (the path changes with it)
        await pilot.click("#fmt-json")
        await drain(pilot)
        assert str(dialog.query_one("#export-go").label) == "Export"
        dialog.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "precious"
        await pilot.press("enter")  # the explicit confirmation
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        data = json.loads(target.read_text(encoding="utf-8"))
        assert sentence.split()[0] in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "size, compact", [((80, 20), True), ((60, 12), True), ((40, 12), True), ((160, 40), False)]
)
async def test_dialogs_keep_their_buttons_on_short_terminals(folder, size, compact):
    from textual.widgets import RadioButton, RadioSet

    app = make_app(folder)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key, buttons, options in (
            ("e", ("#export-go", "#export-cancel"), "#export-format"),
            ("a", ("#mark-save", "#mark-cancel"), "#mark-tag"),
        ):
            await pilot.press(key)
            await drain(pilot)
            dialog = app.screen
            assert dialog.has_class("-compact") is compact
            screen = dialog.region
            for selector in buttons:
                button = dialog.query_one(selector)
                assert button.region.height > 0 and screen.contains_region(button.region)
                assert button.region.bottom <= dialog.query_one("Vertical").region.bottom
            # options cut off by a narrow dialog scroll into view as the arrows reach them
            radio = dialog.query_one(options, RadioSet)
            radio.focus()
            await drain(pilot)
            choices = list(radio.query(RadioButton))
            for choice in choices[1:]:
                await pilot.press("right")
                await drain(pilot)
                assert radio.region.contains_region(choice.region), (size, choice.label)
            await pilot.press("escape")
            await drain(pilot)


async def test_export_to_an_unwritable_path_keeps_the_dialog(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "e")
        await drain(pilot)
        dialog = app.screen
        bad = folder / "no" / "such" / "folder" / "out.md"
        dialog.query_one("#export-path").value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#export-error").render())
        assert "Not exported" in error and "does not exist" in error
        assert not bad.exists()
        assert dialog.query_one("#export-path").value == str(bad)  # nothing lost
        # the shared passages need no marks
        dialog.query_one("#export-matches").value = True
        await drain(pilot)
        # the path the user typed stays (only a path the dialog filled in follows the kind)
        assert dialog.query_one("#export-path").value == str(bad)
        dialog.query_one("#export-path").value = str(folder / "shared.csv")
        await pilot.click("#fmt-csv")
        dialog.query_one("#export-path").value = str(folder / "shared.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert (folder / "shared.csv").exists()
        assert not isinstance(app.screen, ExportDialog)


async def test_export_to_a_fifo_is_refused_without_offering_to_overwrite(folder):
    import os
    import stat

    fifo = folder.parent / "pipe.md"
    os.mkfifo(fifo)
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m", "e")
        await drain(pilot)
        dialog = app.screen
        dialog.query_one("#export-path").value = str(fifo)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert str(dialog.query_one("#export-go").label) == "Export"  # no "Overwrite"
        error = str(dialog.query_one("#export-error").render())
        assert "FIFO" in error and "Not exported" in error
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


# -- copy -----------------------------------------------------------------------------------
async def test_y_copies_sentence_or_mark_with_its_source(folder):
    app = make_app(folder)
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.copy_to_clipboard = copied.append  # what would go out as OSC 52
        await pilot.press("j", "y")
        await drain(pilot)
        src = app.sources[0]
        s, e = src.sentences[1]
        first = " ".join(src.sentence(1).split())
        assert copied == [f"\u201c{first}\u201d \u2014 {src.name}, characters {s}\u2013{e}"]
        assert any("clipboard" in n and "OSC 52" in n for n in notices(app))
        # on a marked run, y copies the whole mark and its note
        await pilot.press("g", "v", "j", "m", "a")
        await drain(pilot)
        await pilot.press(*"why", "enter")
        await settle(pilot)
        await pilot.press("y")
        await drain(pilot)
        mark = app.marks.book.marks[0].primary
        assert (mark.source, mark.start, mark.end) == (src.name, src.sentences[0][0], e)
        quote = " ".join(mark.exact.split())
        expected = (
            f"\u201c{quote}\u201d \u2014 {src.name}, characters "
            f"{mark.start}\u2013{mark.end}\nNote: why"
        )
        assert copied[-1] == expected
        # and from the panel, the highlighted mark
        await pilot.press("l", "y")
        await drain(pilot)
        assert copied[-1] == expected and len(copied) == 3


async def test_marks_keys_in_help_and_palette(folder):
    from reader.ui.commands import _commands
    from reader.ui.keys import MARK_KEYS, help_rows

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        texts = [t for _, _, t in help_rows()]
        for key in MARK_KEYS:
            if key.help:
                assert key.help in texts
        titles = [t for t, _, _ in _commands(app)]
        assert any(t.startswith("marks: ") for t in titles)
        assert any(t.startswith("export: ") for t in titles)
        footer = {key for key, b in app.active_bindings.items() if b.binding.show}
        assert {"m", "l", "e"} <= footer


# -- snapshot -----------------------------------------------------------------------------
def test_marks_panel_snapshot(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("m", "j", "j", "a")
        await drain(pilot)
        await pilot.press(*"says [bold]more[/bold]", "enter")
        await drain(pilot)
        await pilot.press("l")
        await settle(pilot)

    app = ReaderApp(documents_from_texts(STORY))
    assert snap_compare(app, terminal_size=(130, 24), run_before=run_before)


async def test_file_names_and_notes_stay_literal_in_the_panel_and_notices(tmp_path):
    app = ReaderApp(documents_from_texts(STORY))
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.copy_to_clipboard = copied.append
        await pilot.press("2", "m", "y")
        await settle(pilot)
        assert app.marks.book.marks[0].source == "notes[red].txt"
        await pilot.press("l")
        await drain(pilot)
        prompt = app.query_one(MarksPanel).list.get_option_at_index(0).prompt
        assert "notes[red].txt" in str(prompt)
        assert (
            copied[-1].startswith("\u201c") and "\u2014 notes[red].txt, characters " in copied[-1]
        )
        assert any("notes[red].txt" in n for n in notices(app))
