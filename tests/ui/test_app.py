"""Pilot tests of the reading view: the sync invariant after every kind of move,
search, pane focus, help, resize, loading problems and literal rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import drain, until
from textual import events

from reader.core.text.load import documents_from_texts
from reader.ui.app import ReaderApp
from reader.ui.dialogs.help import HelpScreen
from reader.ui.keys import ALIGN_KEYS, APP_KEYS, HELP_EXTRA, MARK_KEYS, PANE_KEYS, help_rows
from reader.ui.panes.view import SentenceView

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "cases"

SIZE = (160, 40)


def wheel(widget, down: bool) -> None:
    """Pilot has no wheel: post the event the driver would."""
    cls = events.MouseScrollDown if down else events.MouseScrollUp
    widget.post_message(cls(widget, 5, 5, 0, 1 if down else -1, 0, False, False, False))


def assert_synced(app: ReaderApp) -> None:
    """The counterpart (or the gap where it would be) of the leader's current
    sentence starts on the leader's screen row in every shown pane; before the
    reader's first move, every pane shows its own first line instead."""
    al = app.alignment
    assert al is not None
    if not app.deck.following:
        assert all(app.deck.panes[i].view.top_row == 0 for i in app.deck.shown)
        return
    leader = app.deck.panes[app.deck.leader].view
    row = leader.screen_row(leader.current)
    assert 0 <= row < leader.size.height, "current sentence is off screen"
    for i in app.deck.shown:
        if i == app.deck.leader:
            continue
        view = app.deck.panes[i].view
        j, found = al.locate(app.deck.leader, leader.current, i)
        assert view.screen_row(j) == row, (
            f"pane {i}: sentence {j} (found={found}) on row {view.screen_row(j)}, leader row {row}"
        )
        marked = {
            c.sentence for c in al.counterparts(app.deck.leader, leader.current) if c.source == i
        }
        assert set(view.marks) == marked
        assert (view.gap is None) == found


def expected_sentence(app: ReaderApp, key: str, before: int) -> int | None:
    """Where ``key`` takes the leader (pane 0) from sentence ``before``, by the core's
    navigation; None for the page keys, whose target depends on the wrapped rows."""
    from reader.core.alignment.navigation import next_matching

    al = app.alignment
    last = len(app.deck.panes[0].view.source) - 1
    steps = {"j": 1, "down": 1, "k": -1, "up": -1}
    if key in steps:
        return max(0, min(last, before + steps[key]))
    if key in ("J", "right_square_bracket", "K", "left_square_bracket"):
        step = 1 if key in ("J", "right_square_bracket") else -1
        found = next_matching(al, 0, before, step, unique=False)
        return before if found is None else found
    if key in ("u", "U"):
        found = next_matching(al, 0, before, 1 if key == "u" else -1, unique=True)
        return before if found is None else found
    return {"G": last, "end": last, "g": 0, "home": 0}.get(key)


@pytest.mark.parametrize(
    "keys",
    [
        ["j"],
        ["j", "j", "j", "k"],
        ["down", "down", "up"],
        ["J"],
        ["J", "J", "K"],
        ["right_square_bracket", "left_square_bracket", "right_square_bracket"],
        ["u"],
        ["u", "u", "U"],
        ["G"],
        ["G", "g"],
        ["end", "home"],
        ["ctrl+d"],
        ["ctrl+d", "ctrl+d", "ctrl+u"],
        ["space"],
        ["space", "space", "b"],
        ["pagedown"],
    ],
)
async def test_sync_invariant_after_keys(sample_docs, keys, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_synced(app)
        view = app.deck.panes[0].view
        for key in keys:
            before = view.current
            await pilot.press(key)
            await drain(pilot)
            assert_synced(app)
            expected = expected_sentence(app, key, before)
            if expected is not None:
                assert view.current == expected, (key, before)
            elif key in ("ctrl+d", "space", "pagedown"):  # a page down from mid-text moves
                assert view.current > before, (key, before)
            else:  # ctrl+u, b: back up
                assert view.current < before, (key, before)
        assert app.deck.leader == 0


async def test_sync_invariant_after_mouse(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.deck.panes[0].view
        for _ in range(4):
            await pilot.mouse_down(view)  # nothing should move on a bare press
            await drain(pilot)
        wheel(view, down=True)
        wheel(view, down=True)
        await drain(pilot)
        assert view.top_row > 0
        assert_synced(app)
        wheel(view, down=False)
        await drain(pilot)
        assert_synced(app)
        # A click in another pane makes it the leader, with its sentence current.
        other = app.deck.panes[2].view
        clicked = other.wrapped.sentence_at(other.top_row + 12)
        await pilot.click(other, offset=(5, 12))
        await drain(pilot)
        assert app.deck.leader == 2
        assert other.current == clicked
        assert_synced(app)
        # A click on the overview strip jumps there.
        strip = app.deck.panes[2].overview
        await pilot.click(strip, offset=(0, strip.size.height - 2))
        await drain(pilot)
        assert other.current > len(other.source) * 3 // 4
        assert_synced(app)


async def test_pane_focus_keys(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, SentenceView) and app.deck.leader == 0
        await pilot.press("tab")
        await drain(pilot)
        assert app.deck.leader == 1 and app.focused is app.deck.panes[1].view
        assert_synced(app)
        await pilot.press("shift+tab")
        await drain(pilot)
        assert app.deck.leader == 0
        await pilot.press("4")
        await settle(pilot)
        assert app.deck.leader == 3 and app.focused is app.deck.panes[3].view
        await pilot.press("j", "J")
        await drain(pilot)
        assert_synced(app)
        await pilot.press("9")  # no ninth source: nothing breaks
        await drain(pilot)
        assert app.deck.leader == 3


async def test_sync_toggle(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await drain(pilot)
        assert not app.deck.sync_on
        tops = [p.view.top_row for p in app.deck.panes]
        await pilot.press("G")
        await drain(pilot)
        assert app.deck.panes[0].view.top_row != tops[0]
        assert [p.view.top_row for p in app.deck.panes[1:]] == tops[1:]
        await pilot.press("s")
        await drain(pilot)
        assert app.deck.sync_on
        assert_synced(app)


async def test_search_fuzzy_with_count(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await drain(pilot)
        assert app.focused.id == "search-input"
        await pilot.press(*"Ushakof", "enter")  # misspelt on purpose
        await settle(pilot)
        assert app.search_bar.hits, "fuzzy search found nothing"
        first = app.search_bar.current
        hit = app.search_bar.hits[first]
        assert app.deck.leader == hit.source
        assert app.deck.panes[hit.source].view.current == hit.sentence
        assert isinstance(app.focused, SentenceView)
        message = str(app.query_one("#status-message").render())
        assert f"of {len(app.search_bar.hits)}" in message
        assert_synced(app)
        await pilot.press("n")
        await drain(pilot)
        assert app.search_bar.current == (first + 1) % len(app.search_bar.hits)
        assert_synced(app)
        await pilot.press("N")
        await drain(pilot)
        assert app.search_bar.current == first
        # Typing in the search box never fires the pane's letter keys.
        current = app.deck.panes[app.deck.leader].view.current
        await pilot.press("slash", "j", "k", "s", "q", "escape")
        await drain(pilot)
        assert app.deck.sync_on and app.is_running
        assert app.deck.panes[app.deck.leader].view.current == current


async def test_help_screen_lists_every_key(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await drain(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.plain()
        for key in PANE_KEYS + APP_KEYS:
            if key.help:
                assert key.help in text
        # every row of the help table is on the screen, and only the keys' own texts
        for _section, keys, help_text in help_rows():
            assert keys in text and help_text in text
        helps = [k.help for k in PANE_KEYS + ALIGN_KEYS + MARK_KEYS + APP_KEYS if k.help]
        assert sorted(row[2] for row in help_rows()) == sorted(
            helps + [text for _keys, text in HELP_EXTRA]
        )
        await pilot.press("q")  # closes the dialog, not the app
        await drain(pilot)
        assert not isinstance(app.screen, HelpScreen) and app.is_running
        await pilot.press("f1")
        await drain(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await drain(pilot)
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await drain(pilot)
        assert not app.is_running


async def test_resize_rewraps_and_hides_panes(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("J", "J")
        await drain(pilot)
        assert len(app.deck.shown) == 5
        width = app.deck.panes[0].view.wrapped.width
        await pilot.resize_terminal(70, 24)
        await settle(pilot)
        assert len(app.deck.shown) == 2
        assert app.deck.leader in app.deck.shown
        assert app.deck.panes[0].view.wrapped.width != width
        assert_synced(app)
        await pilot.press("j")
        await drain(pilot)
        assert_synced(app)
        # 40x12 still works: one pane.
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        assert app.deck.shown == [app.deck.leader]
        await pilot.press("j", "J", "space", "G")
        await drain(pilot)
        assert_synced(app)
        # A hidden source comes back with its number key, replacing the other pane.
        await pilot.press("3")
        await settle(pilot)
        assert app.deck.shown == [2] and app.deck.leader == 2
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert len(app.deck.shown) == 5
        assert_synced(app)


async def test_a_long_text_rewraps_when_a_resize_settles(settle, monkeypatch):
    """Past REWRAP_LATER sentences a pane keeps its rows (cut to the new width) while
    resizes come in, then wraps its text at the final width, once, and lines up again.
    The settle delay is under the test's control: no clock decides "not yet"."""
    import reader.ui.panes.rows as rows_module
    import reader.ui.panes.view as view_module

    monkeypatch.setattr(view_module, "RESIZE_SETTLE", 3600.0)  # settles when we let it
    lines = [
        f"Sentence number {k} tells of the talks between the two leaders."
        for k in range(view_module.REWRAP_LATER + 300)
    ]
    docs = documents_from_texts({"a.txt": " ".join(lines), "b.txt": " ".join(reversed(lines))})
    wrapped: list[tuple[str, int]] = []
    real_layout = rows_module.layout

    def counting_layout(source, text, width, *hidden):
        wrapped.append((source.name, width))
        return real_layout(source, text, width, *hidden)

    monkeypatch.setattr(rows_module, "layout", counting_layout)
    app = ReaderApp(docs)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        await settle(pilot)
        wrapped.clear()
        views = [pane.view for pane in app.deck.panes]
        old = views[0].wrapped.width
        for size in ((90, 30), (70, 30)):
            await pilot.resize_terminal(*size)
            await drain(pilot)
        # a re-wrap waits for the resizes to stop: the old rows, still lined up
        assert all(v._rewrap is not None and v.wrapped.width == old for v in views)
        assert wrapped == []
        assert_synced(app)
        # the last resize settles at once
        monkeypatch.setattr(view_module, "RESIZE_SETTLE", 0.001)
        await pilot.resize_terminal(72, 30)
        await until(pilot, lambda: all(v._rewrap is None for v in views), "the re-wrap")
        await settle(pilot)
        width = views[0].text_width
        assert width != old and [v.wrapped.width for v in views] == [width, width]
        assert sorted(wrapped) == [("a.txt", width), ("b.txt", width)]
        assert_synced(app)
        await pilot.press("j")
        await drain(pilot)
        assert_synced(app)


async def test_pane_picker_and_hide(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=(70, 24)) as pilot:
        await settle(pilot)
        assert app.deck.shown == [0, 1]
        await pilot.press("p")
        await drain(pilot)
        # unselect 1 and 2 (cursor starts on 1), select 4
        await pilot.press("space", "down", "space", "down", "down", "down", "space", "enter")
        await settle(pilot)
        assert (app.deck.shown, app.deck.leader, app.deck.hidden) == ([4], 4, {0, 1, 2, 3})
        await pilot.press("x")  # the only pane shown is never hidden
        await settle(pilot)
        assert (app.deck.shown, app.deck.leader) == ([4], 4)
        await pilot.press("4")  # source 4 comes back beside it and takes the focus
        await settle(pilot)
        assert (app.deck.shown, app.deck.leader, app.deck.hidden) == ([3, 4], 3, {0, 1, 2})
        assert_synced(app)
        await pilot.press("x")  # hides the leader: the other pane leads
        await settle(pilot)
        assert (app.deck.shown, app.deck.leader, app.deck.hidden) == ([4], 4, {0, 1, 2, 3})
        assert app.focused is app.deck.panes[4].view
        assert_synced(app)


async def test_markup_and_control_characters_render_literally(markup_docs, settle):
    app = ReaderApp(markup_docs)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [str(p.title_bar.render()) for p in app.deck.panes]
        assert "notes[red].txt" in titles[0]
        assert "[link=x]other[/link].txt" in titles[1]
        rendered = []
        for pane in app.deck.panes:
            view = pane.view
            rendered += [view.render_line(y).text for y in range(view.size.height)]
        text = "\n".join(rendered)
        assert "[/b]" in text and "[bold]spokesman[/bold]" in text
        assert "\x1b" not in text and "\t" not in text
        assert "␛[31mred" in text
        assert "東京の会議は長く続いた。" in text and "🙂" in text
        # every row fits its pane: wide characters and the long word wrapped
        for pane in app.deck.panes:
            view = pane.view
            for y in range(view.size.height):
                assert view.render_line(y).cell_length == view.size.width
        screen = app.export_screenshot()
        assert "notes[red].txt" in screen.replace("&#160;", " ")


async def test_fast_render_lines_match_textual_styles_path(sample_docs, settle):
    """The views hand their cached rows to the compositor themselves: every segment
    must be what Textual's own per-line styles path would have produced."""
    from textual.geometry import Region
    from textual.widget import Widget

    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "J", "j")
        await settle(pilot)
        for pane in app.deck.panes:
            view = pane.view
            assert view._plain_box()
            w, h = view.size
            for crop in (Region(0, 0, w, h), Region(3, 2, w - 5, h - 4)):
                ours = [list(s) for s in view.render_lines(crop)]
                view._styles_cache.clear()
                textual = [list(s) for s in Widget.render_lines(view, crop)]
                assert ours == textual


async def test_overview_partial_repaints_are_complete(sample_docs, settle):
    """The overview strips repaint only the cells that changed: after jumps both
    ways, what they show (cached lines) is what a full repaint would give."""
    from textual.geometry import Region

    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for keys in (["G"], ["g"], ["space", "space"], ["J", "j"], ["G", "k"]):
            await pilot.press(*keys)
            await settle(pilot)
            for pane in app.deck.panes:
                strip = pane.overview
                full = Region(0, 0, *strip.size)
                shown = [list(s) for s in strip.render_lines(full)]
                strip._styles_cache.clear()
                assert shown == [list(s) for s in strip.render_lines(full)], keys


async def test_one_source_is_read_only(settle):
    docs = documents_from_texts({"only.txt": "One sentence here. And another one."})
    app = ReaderApp(docs)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(app.deck.panes) == 1 and app.alignment is None
        assert "read-only" in str(app.query_one("#status-message").render())
        await pilot.press("j", "J", "u", "G", "s", "space")
        await drain(pilot)
        assert app.deck.panes[0].view.current == 1


async def test_no_documents_shows_message(settle):
    app = ReaderApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        await drain(pilot)
        assert "No text to show" in str(app.query_one("#message").render())
        await pilot.press("q")
        await drain(pilot)
        assert not app.is_running


async def test_alignment_error_is_readable(sample_docs, monkeypatch, settle):
    import reader.core.alignment.pipeline as align_module

    def boom(*args, **kwargs):
        raise ValueError("matrix [red]exploded[/red]")

    monkeypatch.setattr(align_module, "align_sources", boom)
    app = ReaderApp(sample_docs, warnings=["skipped b[old].bin: looks like a binary file"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = str(app.query_one("#status-message").render())
        assert "matrix [red]exploded[/red]" in message
        assert len(app.deck.panes) == 5 and app.alignment is None
        await pilot.press("j", "j")
        await drain(pilot)
        assert app.deck.panes[0].view.current == 2


async def test_theme_switch_repaints(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.deck.panes[0].view
        dark = view.render_line(0)
        app.theme = "textual-light"
        await drain(pilot)
        light = view.render_line(0)
        assert dark.text == light.text
        assert list(dark)[2].style != list(light)[2].style


async def test_command_palette_names_are_literal(markup_docs, settle):
    from textual.command import CommandPalette

    app = ReaderApp(markup_docs)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await drain(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"show 2")
        await settle(pilot)
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "[link=x]other[/link].txt" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert app.deck.leader == 1 and app.focused is app.deck.panes[1].view


@pytest.mark.skipif(
    not (EVAL / "bible-nt-5" / "sources").is_dir(),
    reason="../shared/eval (bible-nt-5) is not present",
)
async def test_big_case_opens_before_alignment_ends(settle):
    """5 x ~8k sentences: the panes show (and move) while the aligner still runs in
    its worker, with a progress bar; afterwards the sync invariant holds."""
    from reader.core.text.load import load_paths

    app = ReaderApp(load_paths([EVAL / "bible-nt-5" / "sources"]).documents)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await drain(pilot)
            if app.deck.panes and app.deck.panes[0].view.wrapped is not None:
                break
        assert app.deck.panes and app.alignment is None, "panes should come before alignment"
        bar = app.query_one("#status-progress")
        for _ in range(600):  # the bar shows with the first progress (after ~0.2 s)
            if not bar.has_class("-hidden") or app.alignment is not None:
                break
            await pilot.pause(0.05)
        assert not bar.has_class("-hidden") and app.alignment is None
        await pilot.press("j", "j")
        await drain(pilot)
        assert app.deck.panes[0].view.current == 2
        await settle(pilot)
        assert app.alignment is not None and bar.has_class("-hidden")
        for key in ("j", "J", "space", "G", "g", "u"):
            await pilot.press(key)
            await drain(pilot)
            assert_synced(app)


@pytest.mark.skipif(
    not (EVAL / "bible-nt-5" / "gold.json").is_file(),
    reason="../shared/eval (bible-nt-5) is not present",
)
async def test_big_case_G_lands_every_pane_on_the_last_verse(settle):
    """`G` in any pane brings every pane to the last verse of Revelation (the "Amen."s that
    close other books must not pull a pane there)."""
    import json

    from reader.core.text.load import load_paths

    gold = json.loads((EVAL / "bible-nt-5" / "gold.json").read_text(encoding="utf-8"))
    app = ReaderApp(load_paths([EVAL / "bible-nt-5" / "sources"]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        while app.alignment is None:
            await app.workers.wait_for_complete()
            await settle(pilot)
        for k in range(len(app.deck.panes)):
            await pilot.press(str(k + 1), "g", "G")
            await settle(pilot)
            for pane in app.deck.panes:
                src = pane.view.source
                start, end = src.sentences[pane.view.current]
                first, last = gold["units"][src.name][-1]
                assert start < last and first < end, (k, src.name, pane.view.current)


async def test_the_status_line_shows_progress_only_once_the_work_has_run_a_while():
    """A quick alignment never paints its steps; a step that starts early and runs long
    is shown once QUIET_START has passed; the end of the work drops a step not shown."""
    from textual.app import App
    from textual.content import Content

    from reader.ui.status import QUIET_START, StatusBar

    class Host(App[None]):
        def compose(self):
            yield StatusBar(id="status")

    app = Host()
    async with app.run_test(size=(100, 3)) as pilot:
        status = app.query_one(StatusBar)
        bar = app.query_one("#status-progress")
        message = app.query_one("#status-message")
        status.work_started()
        status.progress(Content("aligning: pairs"), 0.3)
        await pilot.pause()
        assert bar.has_class("-hidden") and "pairs" not in str(message.render())
        await pilot.pause(QUIET_START + 0.1)
        assert not bar.has_class("-hidden") and "pairs" in str(message.render())
        status.set_progress(None)  # done
        status.work_started()  # a second alignment, done before QUIET_START
        status.progress(Content("aligning: words"), 0.5)
        status.set_progress(None)
        await pilot.pause(QUIET_START + 0.1)
        assert bar.has_class("-hidden") and "words" not in str(message.render())


# -- the process ends once its work is saved, even if the terminal never lets go ------------
def test_end_within_ends_a_process_that_hangs():
    import subprocess
    import sys

    script = (
        "import threading\n"
        "from reader.ui.signals import end_within\n"
        "end_within(0.3, 7)\n"
        "threading.Event().wait()  # as Textual's driver waiting on a dead output thread\n"
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=30)
    assert done.returncode == 7


@pytest.mark.parametrize("code, armed", [(129, True), (143, True), (None, False)])
async def test_a_signalled_exit_arms_the_deadline_after_saving(monkeypatch, code, armed):
    import reader.ui.signals as signals

    calls: list[tuple[float, int]] = []
    monkeypatch.setattr(signals, "end_within", lambda s, c: calls.append((s, c)))
    app = ReaderApp(
        documents_from_texts({"a.txt": "One sentence here.", "b.txt": "Another one."}),
        marks_path=None,
        exit_on_signals=True,
    )
    async with app.run_test() as pilot:
        await pilot.pause()
        app.exit(return_code=code) if code is not None else app.exit()
    assert calls == ([(signals.EXIT_GRACE, code)] if armed else [])
