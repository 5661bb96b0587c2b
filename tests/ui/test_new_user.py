"""The reading view as a new user meets it (issue 10): each test here failed before
the fix it covers. Every test works on a copy of the sample data in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import drain, settle

from reader.core.text.load import load_paths
from reader.ui.app import ReaderApp
from reader.ui.dialogs.export import ExportDialog

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SIZE = (160, 40)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "story"
    dest.mkdir()
    for f in sorted(SAMPLE.iterdir()):
        if f.is_file() and not f.name.startswith("."):
            (dest / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return dest


# -- bug 1: export to the default place from a relative DIR ---------------------------------
async def test_export_to_the_default_place_from_a_relative_folder(folder, monkeypatch):
    monkeypatch.chdir(folder.parent)
    app = ReaderApp(load_paths(["story"]).documents)  # as `reader story/` makes it
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("e")
        await drain(pilot)
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog), app.screen.query_one("#export-error")
        assert (folder / "reader-marks.md").is_file()
        assert not (folder / "story").exists()


# -- bug 5: every key of a burst counts -----------------------------------------------------
def burst(app: ReaderApp, keys: str) -> None:
    """Keys sent back to back, as a terminal delivers a fast typist's or a held key's
    (pilot.press waits for the app to idle after each key)."""
    from textual import events

    driver = app._driver
    assert driver is not None
    for key in keys.split():
        driver.send_message(events.Key(key, " " if key == "space" else key))


async def test_a_burst_of_j_moves_once_per_key(folder):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.deck.panes[0].view
        assert view.current == 0
        burst(app, "j j j j j")
        await settle(pilot)
        assert view.current == 5
        burst(app, "j j j k j j j j j j")
        await settle(pilot)
        assert view.current == 13
        assert app.deck.leader == 0


async def test_j_then_m_in_a_burst_marks_the_sentence_moved_to(folder):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "j j m")
        await settle(pilot)
        assert sorted(app.marks.book.per_source()[0]) == [2]


async def test_a_burst_of_pages_pages_once_per_key(folder):
    async def landing(keys: str, together: bool) -> tuple[int, int]:
        app = ReaderApp(load_paths([folder]).documents)
        async with app.run_test(size=(160, 16)) as pilot:
            await settle(pilot)
            if together:
                burst(app, keys)
            else:
                for key in keys.split():
                    await pilot.press(key)
                    await drain(pilot)
            await settle(pilot)
            view = app.deck.panes[0].view
            return view.current, view.top_row

    one_by_one = await landing("space space space", together=False)
    assert one_by_one[0] > 0
    assert await landing("space space space", together=True) == one_by_one
    assert await landing("space space b ctrl+d", together=True) == await landing(
        "space space b ctrl+d", together=False
    )


# -- bug 4: the search box shows what is typed; a hit shows the words that matched --------
async def test_the_search_box_shows_the_text_typed_and_hits_mark_the_words(folder):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await drain(pilot)
        box = app.search_bar.input
        assert box.has_focus and box.content_size.height == 1  # not eaten by a border
        assert "search all sources" in "".join(s.text for s in box.render_line(0))
        await pilot.press(*"ushakov")
        await drain(pilot)
        assert "".join(s.text for s in box.render_line(0)).startswith("ushakov")
        await pilot.press("enter")
        await settle(pilot)
        exact = [h for h in app.search_bar.hits if h.score == 100]
        assert len(exact) >= 3
        for hit in exact:
            text = app.sources[hit.source].text
            assert hit.spans and all(text[a:b].casefold() == "ushakov" for a, b in hit.spans)
        hit = exact[0]
        app.deck.jump_to(hit.source, hit.sentence)
        await drain(pilot)
        view = app.deck.panes[hit.source].view
        assert view.hit_spans[hit.sentence] == list(hit.spans)
        # the matched word is painted apart from the rest of its row
        hit_style = view.get_component_rich_style("pane--hit-word", partial=True)
        a = hit.spans[0][0]
        row = view.wrapped.row_of(hit.sentence)
        while not (view.wrapped.rows[row][0] <= a < view.wrapped.rows[row][1]):
            row += 1
        strip = view._row_strips(range(row, row + 1), view.size.width)[0]
        styled = [seg.text for seg in strip if seg.style and hit_style.bgcolor == seg.style.bgcolor]
        assert "".join(styled).casefold() == "ushakov"


# -- bug 3: the focused pane's title stands out, after every way of moving the focus ----------
def lit_titles(app: ReaderApp) -> list[int]:
    """The shown panes whose title is painted unlike the others' (the focused one)."""
    shown = app.deck.shown
    looks = {i: app.deck.panes[i].title_bar.rich_style for i in shown}
    counts: dict[object, int] = {}
    for style in looks.values():
        counts[style] = counts.get(style, 0) + 1
    return [i for i in shown if counts[looks[i]] == 1 and len(shown) > 1]


async def test_the_focused_pane_title_stands_out(folder):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert lit_titles(app) == [0]
        for key, leader in (("tab", 1), ("4", 3), ("shift+tab", 2), ("x", None)):
            await pilot.press(key)
            await settle(pilot)
            expected = app.deck.leader if leader is None else leader
            assert app.deck.leader == expected
            assert lit_titles(app) == [expected], key
            assert app.deck.panes[expected].title_bar.content.plain.startswith("▶")
        app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert lit_titles(app) == [app.deck.leader]


# -- bug 6: a then Esc leaves nothing behind ------------------------------------------------
async def test_a_then_escape_makes_no_mark_and_a_then_enter_keeps_it(folder):
    from reader.ui.marks.editor import MarkEditor

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await drain(pilot)
        assert isinstance(app.screen, MarkEditor)
        await pilot.press("escape")
        await settle(pilot)
        assert app.marks.book.marks == []
        assert app.deck.panes[0].view.marked == {}
        await pilot.press("a")
        await drain(pilot)
        await pilot.press(*"why", "enter")
        await settle(pilot)
        assert [m.note for m in app.marks.book.marks] == ["why"]
        # on a marked sentence, Esc leaves the mark as it was
        await pilot.press("a")
        await drain(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert [m.note for m in app.marks.book.marks] == ["why"]
        # the mark a made is undone like one m made
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.marks.book.marks == []


# -- bug 7: one count of orphaned marks on every surface ------------------------------------
def _target(source: str, exact: str, start: int, role: str = "primary") -> dict:
    return {
        "source": source,
        "role": role,
        "score": None if role == "primary" else 0.9,
        "quote": {"exact": exact, "prefix": "", "suffix": ""},
        "position": {"start": start, "end": start + len(exact)},
    }


async def test_orphaned_marks_are_counted_alike_everywhere(folder):
    import json

    from reader.core.marks.storage import FILE_NAME
    from reader.ui.marks.panel import MarksPanel

    names = sorted(p.name for p in folder.iterdir())
    first = (folder / names[0]).read_text(encoding="utf-8")
    live = first[:40]
    gone = "Zebras sang opera on the moon while everyone watched."
    marks = [
        {"id": "gone-1", "note": "", "tag": "pink", "created": "", "modified": "",
         "counterparts": False, "targets": [_target(names[0], gone, 5)]},
        {"id": "half-2", "note": "", "tag": "blue", "created": "", "modified": "",
         "counterparts": True,
         "targets": [_target(names[0], live, 0), _target(names[1], gone, 3, "counterpart")]},
    ]  # fmt: skip
    doc = {"format": "reader-marks", "version": 1, "marks": marks}
    (folder / FILE_NAME).write_text(json.dumps(doc), encoding="utf-8")
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications if "could not be found" in n.message]
        assert len(said) == 1
        assert said[0].startswith("1 saved mark could not be found again")
        assert "1 other has counterparts that could not be found" in said[0]
        await pilot.press("l")
        await drain(pilot)
        panel = app.query_one(MarksPanel)
        title = str(panel.query_one("#marks-title").render())
        assert "1 orphaned" in title and "1 with counterparts lost" in title
        rows = [str(panel.list.get_option_at_index(i).prompt) for i in range(2)]
        assert "orphaned" in rows[0] and "counterparts lost" not in rows[0]
        assert "1 counterpart lost" in rows[1] and "orphaned" not in rows[1]


# -- bug 8: Esc stops the alignment calmly; r (or the palette) aligns again -------------------
async def test_a_stopped_alignment_is_calm_and_r_aligns_again(folder, monkeypatch):
    import asyncio
    import threading

    from reader.core.alignment import pipeline
    from reader.ui.commands import _commands

    real = pipeline.align_sources
    started, release = threading.Event(), threading.Event()

    def slow(sources, progress=None, **kwargs):
        started.set()
        while not release.wait(0.01):
            progress("waiting", 0.1)  # raises once Esc cancelled the worker
        return real(sources, progress=progress, **kwargs)

    monkeypatch.setattr(pipeline, "align_sources", slow)
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, started.wait, 30)
        await pilot.press("escape")
        await settle(pilot)
        assert app.alignment is None
        message = app.query_one("#status-message")
        text = str(message.render())
        assert "alignment stopped" in text and "r aligns again" in text
        assert not message.has_class("-error")
        assert not [n for n in app._notifications if n.severity == "error"]
        assert str(app.query_one("#status-sync").render()) == "not aligned"
        titles = [t for t, _h, _c in _commands(app)]
        assert "alignment: align again" in titles
        release.set()
        await pilot.press("r")
        await settle(pilot)
        assert app.alignment is not None
        assert str(app.query_one("#status-sync").render()) == "sync on"
        assert "aligned:" in str(message.render())
        # once aligned, Esc no longer stops anything (it only prepares other levels)
        await pilot.press("escape")
        await settle(pilot)
        assert app.alignment is not None


# -- bug 9: the smaller ones ------------------------------------------------------------------
async def test_the_pane_picker_moves_with_j_k_and_says_what_does_not_fit(folder):
    from textual.widgets import SelectionList

    from reader.ui.dialogs.picker import PanePicker

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=(80, 24)) as pilot:  # two panes fit
        await settle(pilot)
        assert app.deck.capacity() == 2
        await pilot.press("p")
        await drain(pilot)
        picker = app.screen
        assert isinstance(picker, PanePicker)
        listing = picker.query_one(SelectionList)
        for k in range(5):
            assert listing.highlighted == k
            if k not in app.deck.shown:
                await pilot.press("space")
            if k < 4:
                await pilot.press("j")
            await drain(pilot)
        await pilot.press("k")
        await drain(pilot)
        assert listing.highlighted == 3
        hint = str(picker.query_one("#picker-count").render())
        assert "5 chosen" in hint and "2 fit" in hint
        await pilot.press("enter")
        await settle(pilot)
        assert app.deck.shown == [0, 1]
        said = [n.message for n in app._notifications]
        assert any("3 of the 5 chosen" in m and "do not fit" in m for m in said), said


async def test_enter_on_the_colour_row_saves_at_once(folder):
    from textual.widgets import RadioSet

    from reader.ui.marks.editor import MarkEditor

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await drain(pilot)
        editor = app.screen
        assert isinstance(editor, MarkEditor)
        await pilot.press("tab")  # to the colour row
        await drain(pilot)
        assert isinstance(editor.focused, RadioSet)
        await pilot.press("right", "right", "enter")  # the third colour, Enter once
        await settle(pilot)
        assert not isinstance(app.screen, MarkEditor)
        assert [m.tag for m in app.marks.book.marks] == ["blue"]


async def test_a_search_count_does_not_outlive_the_next_move(folder):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = app.query_one("#status-message")
        await pilot.press("slash", *"ushakov", "enter")
        await settle(pilot)
        assert "match 1 of" in str(message.render())
        await pilot.press("n")
        await drain(pilot)
        assert "match 2 of" in str(message.render())
        await pilot.press("g")
        await drain(pilot)
        assert "match" not in str(message.render())


def test_align_text_without_json_is_refused(capsys):
    from reader.cli import main

    assert main(["align", str(SAMPLE), "--text"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--text" in err and "--json" in err


# -- expectation 1: where am I ------------------------------------------------------------------
async def test_the_status_line_says_where_the_focused_pane_is_and_what_is_hidden(folder):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=(80, 24)) as pilot:  # two of five panes fit
        await settle(pilot)
        position = app.query_one("#status-position")
        n0 = len(app.sources[0])
        assert str(position.render()).strip() == f"1/{n0} · +3 hidden"
        burst(app, "j j j j j")
        await settle(pilot)
        assert str(position.render()).strip() == f"6/{n0} · +3 hidden"
        await pilot.press("tab")
        await settle(pilot)
        leader = app.deck.leader
        view = app.deck.panes[leader].view
        assert str(position.render()).strip() == (
            f"{view.current + 1}/{len(app.sources[leader])} · +3 hidden"
        )
        await pilot.press("5")  # shows a hidden source in place of the oldest pane
        await settle(pilot)
        assert app.deck.leader == 4
        assert str(position.render()).strip().endswith("· +3 hidden")
        await pilot.resize_terminal(160, 24)
        await settle(pilot)
        assert "hidden" not in str(position.render()).strip()


# -- review: the why view's Enter on a counterpart in a hidden pane ------------------------------
async def test_why_enter_on_a_counterpart_in_a_hidden_pane_shows_it_there(folder):
    from reader.ui.dialogs.why import ReasonList, WhyScreen

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=(80, 24)) as pilot:  # panes 1 and 2 shown
        await settle(pilot)
        al = app.alignment
        hidden = [i for i in range(5) if i not in app.deck.shown]
        k, target = next(
            (k, c)
            for k in range(len(app.sources[0]))
            for c in al.counterparts(0, k)
            if c.source in hidden and c.sentence > 0
        )
        app.deck.move_to(0, k)
        await drain(pilot)
        await pilot.press("w")
        await drain(pilot)
        why = app.screen
        assert isinstance(why, WhyScreen)
        listing = why.query_one(ReasonList)
        wanted = next(
            i
            for i, entry in enumerate(listing.entries)
            if (r := why.reasons.get(entry.id or "")) is not None
            and (r.source, r.sentence) == (target.source, target.sentence)
        )
        listing.highlighted = wanted
        await pilot.press("enter")
        await settle(pilot)
        assert target.source in app.deck.shown and app.deck.leader == target.source
        assert app.deck.panes[target.source].view.current == target.sentence
        assert (
            str(app.query_one("#status-position").render())
            .strip()
            .startswith(f"{target.sentence + 1}/")
        )


# -- expectation 2: titles that fit ----------------------------------------------------------------
def title_text(pane) -> str:
    bar = pane.title_bar
    return "".join(seg.text for seg in bar.render_line(0)).rstrip()


@pytest.mark.parametrize("width", [160, 100])
async def test_titles_keep_count_and_share_readable_and_shorten_the_name(folder, width):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        for i in app.deck.shown:
            pane = app.deck.panes[i]
            text = title_text(pane)
            share = f"{app.alignment.shared_fraction(i):.0%}"
            assert f"{i + 1} " in text[:4], text
            assert f"{len(app.sources[i])}" in text and share in text, text
            assert "…" in text  # the 24-character name is what gave way
            assert pane.title_bar.tooltip == app.sources[i].name
            assert len(text) <= pane.title_bar.size.width
        # focusing a pane with a shortened title says its full name
        await pilot.press("tab")
        await drain(pilot)
        assert app.sources[1].name in str(app.query_one("#status-message").render())


# -- expectation 3: start at the top ------------------------------------------------------------
async def test_every_pane_opens_at_its_first_line_and_sync_starts_with_the_first_move(folder):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for i in app.deck.shown:
            pane = app.deck.panes[i]
            assert pane.view.top_row == 0, i
            assert pane.title_bar.note == "", i
        await pilot.press("j")
        await settle(pilot)
        al = app.alignment
        lead = app.deck.panes[0].view
        row = lead.screen_row(1)
        for i in app.deck.shown[1:]:
            j, found = al.locate(0, 1, i)
            view = app.deck.panes[i].view
            if found:
                assert view.screen_row(j) == row and view.current == j, i


# -- expectation 4: highlight what matches, not only what differs --------------------------------
PAIR = {
    "a.txt": (
        "Biden and Putin spoke by phone for fifty minutes on Thursday.\n\n"
        "Kremlin aide Yuri Ushakov told reporters the conversation had been frank and useful."
    ),
    "b.txt": (
        "Biden and Putin spoke by telephone for fifty minutes on Thursday.\n\n"
        "The talk was useful and frank, Ushakov, a Kremlin aide, said afterwards."
    ),
}


def test_words_compared_both_ways_and_the_automatic_choice():
    from reader.core.alignment.navigation import compare_words, word_spans
    from reader.core.text.load import documents_from_texts
    from reader.core.text.segment import segment

    a, b = segment(documents_from_texts(PAIR))

    def words(src, spans):
        return [src.text[s:e] for s, e in spans]

    near = compare_words(a, 0, b, 0)
    assert near.share > 0.8
    assert words(a, near.differ[0]) == ["phone"] and words(b, near.differ[1]) == ["telephone"]
    reworded = compare_words(a, 1, b, 1)
    assert reworded.share < 0.6
    assert {"Ushakov", "frank", "useful", "Kremlin"} <= set(words(a, reworded.match[0]))
    # auto: the differences of near-identical pairs, the matches of reworded ones
    assert word_spans([near], "auto") == ("differences", near.differ[0], [near.differ[1]])
    assert word_spans([reworded], "auto") == ("matches", reworded.match[0], [reworded.match[1]])
    assert word_spans([near], "matches")[0] == "matches"
    assert word_spans([reworded], "none") == ("none", [], [[]])


async def test_h_cycles_what_the_words_show():
    from reader.core.text.load import documents_from_texts

    app = ReaderApp(documents_from_texts(PAIR))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lead, other = app.deck.panes[0].view, app.deck.panes[1].view
        src = app.sources[1]
        assert app.alignment.counterparts(0, 0)
        await pilot.press("j", "k")  # the first move starts the sync
        await drain(pilot)
        assert lead.word_kind == "differences"
        assert [src.text[s:e] for s, e in other.marks[0]] == ["telephone"]
        seen = []
        for _ in range(4):
            await pilot.press("h")
            await drain(pilot)
            seen.append(lead.word_kind)
            assert app.deck.word_mode in str(app.query_one("#status-message").render())
        assert seen == ["matches", "differences", "none", "differences"]
        assert app.deck.word_mode == "auto"
        await pilot.press("h")
        await drain(pilot)
        assert "telephone" not in [src.text[s:e] for s, e in other.marks[0]]
        assert "Thursday" in [src.text[s:e] for s, e in other.marks[0]]
        style = other.get_component_rich_style("pane--match-word", partial=True)
        assert style != other.get_component_rich_style("pane--diff", partial=True)


# -- expectation 6: settings that persist ------------------------------------------------------
async def test_the_settings_file_sets_theme_sync_words_keys_and_export(folder, tmp_path):
    from reader.settings import Settings, load_settings

    path = tmp_path / "cfg" / "config.toml"
    settings = Settings(
        theme="nord",
        sync=False,
        words="matches",
        strictness="strict",
        export_format="csv",
        export_folder="exports",
        keymap={"sentence.next": "j,down,ctrl+n", "no.such": "z"},
        path=path,
    )
    (folder / "exports").mkdir()
    app = ReaderApp(load_paths([folder]).documents, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert str(app.query_one("#status-sync").render()) == "sync off"
        assert app.deck.word_mode == "matches"
        assert app.strictness.shown == "strict"
        assert any("no.such" in n.message for n in app._notifications)
        await pilot.press("ctrl+n")
        await drain(pilot)
        assert app.deck.panes[0].view.current == 1
        await pilot.press("e")
        await drain(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.fmt == "csv"
        assert Path(dialog.query_one("#export-path").value) == folder / "exports" / (
            "reader-matches.csv"
        )
        await pilot.press("escape")
        await drain(pilot)
        # choices made in the app are written back
        await pilot.press("s", "h")
        app.theme = "gruvbox"
        await settle(pilot)
        saved, problem = load_settings(path)
        assert problem is None
        assert (saved.sync, saved.words, saved.theme) == (True, "differences", "gruvbox")
        assert saved.keymap == {}  # what the app never changes is never written


async def test_help_shows_keys_as_remapped(folder):
    from reader.settings import Settings
    from reader.ui.dialogs.help import HelpScreen

    settings = Settings(keymap={"sentence.next": "j,ctrl+n"})
    app = ReaderApp(load_paths([folder]).documents, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await drain(pilot)
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.plain()
        assert "j ctrl+n" in body


# -- expectation 7: marks --------------------------------------------------------------------------
async def test_m_on_a_marked_sentence_unmarks_it_and_ctrl_z_brings_it_back(folder):
    from reader.core.marks.storage import FILE_NAME, load_marks

    def on_disk() -> list[str]:
        return [m.id for m in load_marks(folder / FILE_NAME, move_corrupt=False).marks]

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        [mark] = app.marks.book.marks
        assert on_disk() == [mark.id]
        await pilot.press("m")
        await settle(pilot)
        assert app.marks.book.marks == [] and app.deck.panes[0].view.marked == {}
        assert "ctrl+z" in str(app.query_one("#status-message").render())
        assert on_disk() == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [m.id for m in app.marks.book.marks] == [mark.id]
        assert app.deck.panes[0].view.marked
        assert on_disk() == [mark.id]
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.marks.book.marks == [] and on_disk() == []
        await pilot.press("ctrl+z", "ctrl+z")  # back before the unmark, then the mark
        await settle(pilot)
        assert app.marks.book.marks == [] and on_disk() == []
        assert "nothing to undo" not in str(app.query_one("#status-message").render())
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "nothing to undo" in str(app.query_one("#status-message").render())


async def test_mark_steps_say_when_they_wrap(folder):
    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = app.query_one("#status-message")
        await pilot.press("m", "j", "j", "m", "j", "j")
        await settle(pilot)
        await pilot.press("M")
        await drain(pilot)
        assert app.deck.panes[0].view.current == 0
        assert "wrapped" in str(message.render()) and "first" in str(message.render())
        await pilot.press("M")
        await drain(pilot)
        assert app.deck.panes[0].view.current == 2
        assert "wrapped" not in str(message.render())
        await pilot.press("apostrophe")
        await drain(pilot)
        await pilot.press("apostrophe")
        await drain(pilot)
        assert app.deck.panes[0].view.current == 2
        assert "wrapped" in str(message.render()) and "last" in str(message.render())


# -- expectation 8: narrow terminals -------------------------------------------------------------
def visible(widget, width: int, height: int) -> bool:
    region = widget.region
    return region.width > 0 and region.right <= width and 0 <= region.y < height


async def test_the_footer_keeps_help_and_quit_at_40_columns(folder):
    from textual.widgets._footer import FooterKey

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        keys = {k.action: k for k in app.query(FooterKey)}
        assert visible(keys["quit"], 40, 12) and visible(keys["help"], 40, 12)


async def test_the_footer_is_rebuilt_only_when_its_keys_change(folder):
    """Moving between panes (the same keys) keeps the footer's keys; the search box
    (other keys) rebuilds them, and closing it brings the panes' keys back."""
    from textual.widgets._footer import FooterKey

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        before = list(app.query(FooterKey))
        shown = {k.action for k in before}
        assert {"help", "quit"} <= shown
        for key in ("tab", "tab", "shift+tab"):  # focus moves between panes
            await pilot.press(key)
            await drain(pilot)
        assert app.focused is not app.deck.panes[0].view
        assert list(app.query(FooterKey)) == before  # the same widgets: not rebuilt
        await pilot.press("slash")  # the search box: other keys
        await drain(pilot)
        searching = {k.action for k in app.query(FooterKey)}
        assert searching != shown
        await pilot.press("escape")
        await drain(pilot)
        assert {k.action for k in app.query(FooterKey)} == shown


async def test_help_pages_and_wraps_under_its_own_column(folder):
    from textual.containers import VerticalScroll

    from reader.ui.dialogs.help import HelpScreen

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await drain(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        body = help_screen.query_one("#help-body", VerticalScroll)
        texts = list(help_screen.query(".help-text"))
        keys = list(help_screen.query(".help-keys"))
        assert texts and len(texts) == len(keys)
        wrapped = [t for t in texts if t.region.height > 1]
        assert wrapped  # long lines wrap at 40 columns ...
        column = texts[0].region.x
        assert all(t.region.x == column for t in texts)  # ... under their own column
        assert all(k.region.right <= column for k in keys)
        page = body.scrollable_content_region.height
        await pilot.press("space")
        await drain(pilot)
        assert body.scroll_y >= page - 2
        await pilot.press("G")
        await drain(pilot)
        assert body.scroll_y == body.max_scroll_y > 0
        await pilot.press("b")
        await drain(pilot)
        assert body.scroll_y <= body.max_scroll_y - page + 2
        await pilot.press("g")
        await drain(pilot)
        assert body.scroll_y == 0


async def test_the_export_dialog_shows_every_option_at_40_by_12(folder):
    from textual.widgets import Button, Checkbox, Input, RadioButton

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await drain(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        widgets = [
            *dialog.query(RadioButton),
            dialog.query_one(Checkbox),
            dialog.query_one(Input),
            *dialog.query(Button),
        ]
        assert len(widgets) == 4 + 1 + 1 + 2
        hidden = [str(w) for w in widgets if not visible(w, 40, 12)]
        assert not hidden, hidden


# -- expectation 5: filters and compare ----------------------------------------------------------
def rows_text(view) -> list[str]:
    return [
        "".join(seg.text for seg in view._row_strips(range(r, r + 1), view.size.width)[0])
        for r in range(view.wrapped.total)
    ]


async def test_f_folds_what_the_filter_hides_and_keeps_the_sync(folder):
    from reader.ui.panes.rows import ALL, SOME, UNIQUE

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.deck.panes[0].view
        kinds = view.kinds
        await pilot.press("f")  # shared only
        await settle(pilot)
        assert app.deck.filter == "shared"
        assert "shared only" in str(app.query_one("#status-message").render())
        shown = [k for k in range(len(kinds)) if kinds[k] in (ALL, SOME)]
        assert view.kinds[view.current] in (ALL, SOME)
        folds = [t for t in rows_text(view) if "sentence" in t and "…" in t]
        hidden = len(kinds) - len(shown)
        assert folds and sum(int(t.split("…")[1].split()[0]) for t in folds) == hidden
        # j goes from shared sentence to shared sentence, and the panes stay in step
        for _ in range(3):
            before = view.current
            await pilot.press("j")
            await drain(pilot)
            assert view.current == next(k for k in shown if k > before)
            al = app.alignment
            row = view.screen_row(view.current)
            for i in app.deck.shown[1:]:
                j, found = al.locate(0, view.current, i)
                if found:
                    assert app.deck.panes[i].view.screen_row(j) == row
        await pilot.press("f")  # unique only
        await settle(pilot)
        assert app.deck.filter == "unique"
        assert kinds[view.current] == UNIQUE
        await pilot.press("f")  # everything again
        await settle(pilot)
        assert app.deck.filter == "all"
        assert not [t for t in rows_text(view) if "…" in t and "sentences" in t]


async def test_compare_shows_the_focused_pane_and_one_chosen_at_full_width(folder):
    from textual.widgets import OptionList

    from reader.ui.dialogs.picker import ComparePicker

    app = ReaderApp(load_paths([folder]).documents)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("C")
        await drain(pilot)
        picker = app.screen
        assert isinstance(picker, ComparePicker)
        listing = picker.query_one(OptionList)
        assert listing.option_count == 4  # every other source
        await pilot.press("j", "j", "enter")  # the third of 1, 2, 4, 5: source 4
        await settle(pilot)
        assert app.deck.shown == [2, 3] and app.deck.leader == 2
        widths = [app.deck.panes[i].outer_size.width for i in (2, 3)]
        assert sum(widths) >= SIZE[0] - 2 and abs(widths[0] - widths[1]) <= 1
        await pilot.press("C")  # back to the panes shown before
        await settle(pilot)
        assert app.deck.shown == [0, 1, 2, 3, 4]
