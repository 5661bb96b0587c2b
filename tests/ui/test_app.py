"""Pilot tests of the reading view: the sync invariant after every kind of move,
search, pane focus, help, resize, loading problems and literal rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from reader.core.sources import documents_from_texts
from reader.ui.app import ReaderApp
from reader.ui.help_screen import HelpScreen
from reader.ui.keys import APP_KEYS, PANE_KEYS, help_rows
from reader.ui.pane import SentenceView

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "cases"

SIZE = (160, 40)


def wheel(widget, down: bool) -> None:
    """Pilot has no wheel: post the event the driver would."""
    cls = events.MouseScrollDown if down else events.MouseScrollUp
    widget.post_message(cls(widget, 5, 5, 0, 1 if down else -1, 0, False, False, False))


def assert_synced(app: ReaderApp) -> None:
    """The counterpart (or the gap where it would be) of the leader's current
    sentence starts on the leader's screen row in every shown pane."""
    al = app.alignment
    assert al is not None
    leader = app.panes[app.leader].view
    row = leader.screen_row(leader.current)
    assert 0 <= row < leader.size.height, "current sentence is off screen"
    for i in app.shown:
        if i == app.leader:
            continue
        view = app.panes[i].view
        j, found = al.locate(app.leader, leader.current, i)
        assert view.screen_row(j) == row, (
            f"pane {i}: sentence {j} (found={found}) on row {view.screen_row(j)}, leader row {row}"
        )
        marked = {c.sentence for c in al.counterparts(app.leader, leader.current) if c.source == i}
        assert set(view.marks) == marked
        assert (view.gap is None) == found


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
        for key in keys:
            before = app.panes[app.leader].view.current
            await pilot.press(key)
            await pilot.pause()
            assert_synced(app)
        assert app.leader == 0
        if keys[0] in ("j", "J", "G", "space", "ctrl+d", "u"):
            assert app.panes[0].view.current != before or keys[-1] != keys[0]


async def test_sync_invariant_after_mouse(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.panes[0].view
        for _ in range(4):
            await pilot.mouse_down(view)  # nothing should move on a bare press
            await pilot.pause()
        wheel(view, down=True)
        wheel(view, down=True)
        await pilot.pause()
        assert view.top_row > 0
        assert_synced(app)
        wheel(view, down=False)
        await pilot.pause()
        assert_synced(app)
        # A click in another pane makes it the leader, with its sentence current.
        other = app.panes[2].view
        clicked = other.wrapped.sentence_at(other.top_row + 12)
        await pilot.click(other, offset=(5, 12))
        await pilot.pause()
        assert app.leader == 2
        assert other.current == clicked
        assert_synced(app)
        # A click on the overview strip jumps there.
        strip = app.panes[2].overview
        await pilot.click(strip, offset=(0, strip.size.height - 2))
        await pilot.pause()
        assert other.current > len(other.source) * 3 // 4
        assert_synced(app)


async def test_pane_focus_keys(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, SentenceView) and app.leader == 0
        await pilot.press("tab")
        await pilot.pause()
        assert app.leader == 1 and app.focused is app.panes[1].view
        assert_synced(app)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.leader == 0
        await pilot.press("4")
        await settle(pilot)
        assert app.leader == 3 and app.focused is app.panes[3].view
        await pilot.press("j", "J")
        await pilot.pause()
        assert_synced(app)
        await pilot.press("9")  # no ninth source: nothing breaks
        await pilot.pause()
        assert app.leader == 3


async def test_sync_toggle(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert not app.sync_on
        tops = [p.view.top_row for p in app.panes]
        await pilot.press("G")
        await pilot.pause()
        assert app.panes[0].view.top_row != tops[0]
        assert [p.view.top_row for p in app.panes[1:]] == tops[1:]
        await pilot.press("s")
        await pilot.pause()
        assert app.sync_on
        assert_synced(app)


async def test_search_fuzzy_with_count(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused.id == "search-input"
        await pilot.press(*"Ushakof", "enter")  # misspelt on purpose
        await settle(pilot)
        assert app.hits, "fuzzy search found nothing"
        first = app.hit_index
        hit = app.hits[first]
        assert app.leader == hit.source
        assert app.panes[hit.source].view.current == hit.sentence
        assert isinstance(app.focused, SentenceView)
        message = str(app.query_one("#status-message").render())
        assert f"of {len(app.hits)}" in message
        assert_synced(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.hit_index == (first + 1) % len(app.hits)
        assert_synced(app)
        await pilot.press("N")
        await pilot.pause()
        assert app.hit_index == first
        # Typing in the search box never fires the pane's letter keys.
        current = app.panes[app.leader].view.current
        await pilot.press("slash", "j", "k", "s", "q", "escape")
        await pilot.pause()
        assert app.sync_on and app.is_running
        assert app.panes[app.leader].view.current == current


async def test_help_screen_lists_every_key(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for key in PANE_KEYS + APP_KEYS:
            if key.help:
                assert key.help in text
        assert len(help_rows()) >= len(PANE_KEYS)
        await pilot.press("q")  # closes the dialog, not the app
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen) and app.is_running
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_resize_rewraps_and_hides_panes(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("J", "J")
        await pilot.pause()
        assert len(app.shown) == 5
        width = app.panes[0].view.wrapped.width
        await pilot.resize_terminal(70, 24)
        await settle(pilot)
        assert len(app.shown) == 2
        assert app.leader in app.shown
        assert app.panes[0].view.wrapped.width != width
        assert_synced(app)
        await pilot.press("j")
        await pilot.pause()
        assert_synced(app)
        # 40x12 still works: one pane.
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        assert app.shown == [app.leader]
        await pilot.press("j", "J", "space", "G")
        await pilot.pause()
        assert_synced(app)
        # A hidden source comes back with its number key, replacing the other pane.
        await pilot.press("3")
        await settle(pilot)
        assert app.shown == [2] and app.leader == 2
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert len(app.shown) == 5
        assert_synced(app)


async def test_a_long_text_rewraps_when_a_resize_settles(settle, monkeypatch):
    """Past REWRAP_LATER sentences a pane keeps its rows (cut to the new width) while
    resizes come in, then wraps its text at the final width and lines up again."""
    import reader.ui.pane as pane_module
    from reader.core.sources import documents_from_texts

    monkeypatch.setattr(pane_module, "RESIZE_SETTLE", 0.5)  # long, so "not yet" is sure
    lines = [
        f"Sentence number {k} tells of the talks between the two leaders."
        for k in range(pane_module.REWRAP_LATER + 300)
    ]
    docs = documents_from_texts({"a.txt": " ".join(lines), "b.txt": " ".join(reversed(lines))})
    wrapped: list[tuple[str, int]] = []
    real_layout = pane_module.layout

    def counting_layout(source, text, width):
        wrapped.append((source.name, width))
        return real_layout(source, text, width)

    monkeypatch.setattr(pane_module, "layout", counting_layout)
    app = ReaderApp(docs)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        await settle(pilot)
        wrapped.clear()
        view = app.panes[0].view
        old = view.wrapped.width
        for size in ((90, 30), (70, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert view.wrapped.width == old and wrapped == []  # not yet
        assert_synced(app)  # on the old rows, still lined up
        await pilot.pause(1.0)
        await settle(pilot)
        assert view.wrapped.width == view.text_width != old
        assert sorted(wrapped) == [("a.txt", view.text_width), ("b.txt", view.text_width)]
        assert_synced(app)
        await pilot.press("j")
        await pilot.pause()
        assert_synced(app)


async def test_pane_picker_and_hide(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=(70, 24)) as pilot:
        await settle(pilot)
        assert app.shown == [0, 1]
        await pilot.press("p")
        await pilot.pause()
        # unselect 1 and 2 (cursor starts on 1), select 4
        await pilot.press("space", "down", "space", "down", "down", "down", "space", "enter")
        await settle(pilot)
        assert app.shown == [3, 4] or app.shown == [2, 4] or 4 in app.shown
        assert 0 not in app.shown
        await pilot.press("x")
        await settle(pilot)
        assert len(app.shown) == 1 or app.leader in app.shown
        assert_synced(app)


async def test_markup_and_control_characters_render_literally(markup_docs, settle):
    app = ReaderApp(markup_docs)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [str(p.title_bar.render()) for p in app.panes]
        assert "notes[red].txt" in titles[0]
        assert "[link=x]other[/link].txt" in titles[1]
        rendered = []
        for pane in app.panes:
            view = pane.view
            rendered += [view.render_line(y).text for y in range(view.size.height)]
        text = "\n".join(rendered)
        assert "[/b]" in text and "[bold]spokesman[/bold]" in text
        assert "\x1b" not in text and "\t" not in text
        assert "␛[31mred" in text
        assert "東京の会議は長く続いた。" in text and "🙂" in text
        # every row fits its pane: wide characters and the long word wrapped
        for pane in app.panes:
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
        for pane in app.panes:
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
            for pane in app.panes:
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
        assert len(app.panes) == 1 and app.alignment is None
        assert "read-only" in str(app.query_one("#status-message").render())
        await pilot.press("j", "J", "u", "G", "s", "space")
        await pilot.pause()
        assert app.panes[0].view.current == 1


async def test_no_documents_shows_message(settle):
    app = ReaderApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No text to show" in str(app.query_one("#message").render())
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_alignment_error_is_readable(sample_docs, monkeypatch, settle):
    import reader.core.align as align_module

    def boom(*args, **kwargs):
        raise ValueError("matrix [red]exploded[/red]")

    monkeypatch.setattr(align_module, "align_sources", boom)
    app = ReaderApp(sample_docs, warnings=["skipped b[old].bin: looks like a binary file"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = str(app.query_one("#status-message").render())
        assert "matrix [red]exploded[/red]" in message
        assert len(app.panes) == 5 and app.alignment is None
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.panes[0].view.current == 2


async def test_theme_switch_repaints(sample_docs, settle):
    app = ReaderApp(sample_docs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.panes[0].view
        dark = view.render_line(0)
        app.theme = "textual-light"
        await pilot.pause()
        light = view.render_line(0)
        assert dark.text == light.text
        assert list(dark)[2].style != list(light)[2].style


async def test_command_palette_names_are_literal(markup_docs, settle):
    from textual.command import CommandPalette

    app = ReaderApp(markup_docs)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"show 2")
        await settle(pilot)
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "[link=x]other[/link].txt" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert app.leader == 1 and app.focused is app.panes[1].view


@pytest.mark.skipif(
    not (EVAL / "bible-nt-5" / "sources").is_dir(),
    reason="../shared/eval (bible-nt-5) is not present",
)
async def test_big_case_opens_before_alignment_ends(settle):
    """5 x ~8k sentences: the panes show (and move) while the aligner still runs in
    its worker, with a progress bar; afterwards the sync invariant holds."""
    from reader.core.sources import load_paths

    app = ReaderApp(load_paths([EVAL / "bible-nt-5" / "sources"]).documents)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):
            await pilot.pause()
            if app.panes and app.panes[0].view.wrapped is not None:
                break
        assert app.panes and app.alignment is None, "panes should come before alignment"
        bar = app.query_one("#status-progress")
        assert not bar.has_class("-hidden")
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.panes[0].view.current == 2
        await settle(pilot)
        assert app.alignment is not None and bar.has_class("-hidden")
        for key in ("j", "J", "space", "G", "g", "u"):
            await pilot.press(key)
            await pilot.pause()
            assert_synced(app)


@pytest.mark.skipif(
    not (EVAL / "bible-nt-5" / "gold.json").is_file(),
    reason="../shared/eval (bible-nt-5) is not present",
)
async def test_big_case_G_lands_every_pane_on_the_last_verse(settle):
    """`G` in any pane brings every pane to the last verse of Revelation (the "Amen."s that
    close other books must not pull a pane there)."""
    import json

    from reader.core.sources import load_paths

    gold = json.loads((EVAL / "bible-nt-5" / "gold.json").read_text(encoding="utf-8"))
    app = ReaderApp(load_paths([EVAL / "bible-nt-5" / "sources"]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        while app.alignment is None:
            await app.workers.wait_for_complete()
            await settle(pilot)
        for k in range(len(app.panes)):
            await pilot.press(str(k + 1), "g", "G")
            await settle(pilot)
            for pane in app.panes:
                src = pane.view.source
                start, end = src.sentences[pane.view.current]
                first, last = gold["units"][src.name][-1]
                assert start < last and first < end, (k, src.name, pane.view.current)
