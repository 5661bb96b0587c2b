"""Pilot tests of correcting the alignment by hand: link (L, move, L or Enter), cancel
(Esc), unlink from the why view (d), undo and redo (ctrl+z, ctrl+y) across panes and
over a hundred steps, the gutter mark of a link the reader made, the start-up report of
corrections not found again, and the app and `reader link` writing one folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pilot_helpers import drain, settle, until

from reader.core.alignment.corrections import LINK, UNLINK
from reader.core.alignment.links import BY_USER
from reader.core.marks.storage import FILE_NAME
from reader.core.text.load import load_paths
from reader.ui.app import ReaderApp
from reader.ui.dialogs.why import WhyScreen

SIZE = (150, 36)

A = (
    "The council approved the new budget on Monday.\n\nSchools will receive more money "
    "next year.\n\nThe mayor praised the vote as a turning point for the city.\n\nCritics "
    "said taxes would rise."
)
B = (
    "On Monday the council passed the budget.\n\nThe mayor welcomed the decision.\n\nMore "
    "money will go to schools next year.\n\nOpponents warned of higher taxes."
)
C = (
    "A budget was approved by the council.\n\nTaxes may rise, critics fear.\n\nThe schools "
    "get more money.\n\nThe mayor was pleased."
)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "story"
    d.mkdir()
    for name, text in (("a.txt", A), ("b.txt", B), ("c.txt", C)):
        (d / name).write_text(text, encoding="utf-8")
    return d


def make_app(folder) -> ReaderApp:
    return ReaderApp(load_paths([folder]).documents, marks_path=folder / FILE_NAME)


def user_links(app: ReaderApp) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    al = app.alignment
    assert al is not None
    out = set()
    for s, src in enumerate(al.sources):
        for i in range(len(src)):
            for c in al.counterparts(s, i):
                if c.by == BY_USER and s < c.source:
                    out.add(((s, i), (c.source, c.sentence)))
    return out


def pending(app: ReaderApp) -> str | None:
    text = app.status.pending
    if text is not None:  # shown on the status line, before the last message
        assert text.plain in str(app.query_one("#status-message").render())
    return None if text is None else text.plain


def message(app: ReaderApp) -> str:
    return str(app.query_one("#status-message").render())


def saved(folder) -> list[dict]:
    path = folder / FILE_NAME
    return json.loads(path.read_text())["corrections"] if path.exists() else []


async def test_link_from_here_to_another_pane(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert (0, 0) not in {(c.source, c.sentence) for c in app.alignment.counterparts(2, 3)}
        await pilot.press("L")  # on a.txt:1
        await drain(pilot)
        assert "linking from a.txt:1" in pending(app)
        await pilot.press("3", "G")  # c.txt, its last sentence: "The mayor was pleased."
        await drain(pilot)
        assert pending(app) is not None  # still pending while moving
        await pilot.press("enter")
        await drain(pilot)
        assert pending(app) is None
        assert user_links(app) == {((0, 0), (2, 3))}
        assert "linked a.txt:1 \u2194 c.txt:4" in message(app)
        # the panes show it at once: the gutter mark of a link the reader made
        deck = app.deck
        assert deck.leader == 2 and deck.panes[2].view.corrected == {3}
        assert 0 in deck.panes[0].view.corrected
        assert app.alignment.best_counterpart(2, 3, 0).sentence == 0  # sync follows it
        await settle(pilot)
        (record,) = saved(folder)
        assert record["op"] == LINK and record["a"]["source"] == "a.txt"
        assert record["b"]["quote"]["exact"] == "The mayor was pleased."


async def test_search_moves_too_and_same_pane_is_refused(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L", "j", "L")  # a.txt:1, then a.txt:2 in the same pane
        await drain(pilot)
        assert "another pane" in message(app) and pending(app) is not None
        await pilot.press("slash")
        await pilot.press(*"mayor was pleased", "enter")
        await settle(pilot)
        assert app.deck.leader == 2
        await pilot.press("L")
        await drain(pilot)
        assert user_links(app) == {((0, 0), (2, 3))}


async def test_escape_cancels_a_pending_link(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L", "2", "j")
        await drain(pilot)
        assert pending(app) is not None
        await pilot.press("escape")
        await drain(pilot)
        assert pending(app) is None and "link cancelled" in message(app)
        await pilot.press("enter", "L")  # Enter is no longer a link; L starts anew
        await drain(pilot)
        assert not user_links(app) and app.corrections.linking == (1, 1)
        await settle(pilot)
        assert saved(folder) == []


async def open_why(app: ReaderApp, pilot) -> WhyScreen:
    """``w`` on the current sentence: the why view, settled."""
    await pilot.press("w")
    await drain(pilot)
    why = app.screen
    assert isinstance(why, WhyScreen)
    return why


async def test_unlink_from_the_why_view_then_undo_and_redo(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.alignment.counterparts(0, 0)
        assert before
        why = await open_why(app, pilot)
        first = why.highlighted_reason()
        gone = (first.source, first.sentence)
        gone_id = f"{gone[0]}:{gone[1]}"
        lst = why.list
        at = lst.index_of(gone_id)
        lines = list(zip(lst.entries, lst._starts))
        await pilot.press("d")
        await drain(pilot)
        assert gone not in {(c.source, c.sentence) for c in app.alignment.counterparts(0, 0)}
        assert gone not in {(r.source, r.sentence) for r in why.reasons.values()} or (
            why.reasons[gone_id].kind != "counterpart"
        )
        assert "unlinked a.txt:1" in message(app)
        # it stays where it was, struck out and never the cursor's; nothing below moves
        if gone_id not in why.reasons:
            assert lst.index_of(gone_id) == at and lst.entry_at(at).disabled
            assert "unlinked by you" in lst.entry_at(at).prompt.plain
            assert "unlinked by you: 1" in lst.entry_at(0).prompt.plain
            below = [(e.id, y) for e, y in lines[at + 1 :]]
            now = [(e.id, y) for e, y in zip(lst.entries, lst._starts)][at + 1 :]
            assert now[: len(below)] == below  # (a note of what is linked nowhere may follow)
            assert lst.highlighted != at
        await pilot.press("ctrl+z")  # in the why view too
        await drain(pilot)
        assert app.alignment.counterparts(0, 0) == before
        assert why.reasons[gone_id].kind == "counterpart"
        assert lst.index_of(gone_id) == at and not lst.entry_at(at).disabled
        await pilot.press("ctrl+y")
        await drain(pilot)
        assert gone not in {(c.source, c.sentence) for c in app.alignment.counterparts(0, 0)}
        await pilot.press("escape")
        await settle(pilot)
        (record,) = saved(folder)
        assert record["op"] == UNLINK
        # a related entry cannot be unlinked
        await pilot.press("w")
        await drain(pilot)
        kinds = [r.kind for r in app.screen.reasons.values()]
        assert "counterpart" in kinds or not kinds


async def test_undo_redo_a_hundred_steps_across_panes_and_strictness(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        original = {
            (s, i): app.alignment.counterparts(s, i)
            for s in range(3)
            for i in range(len(app.sources[s]))
        }
        keeper = app.corrections
        pairs = [((0, i), (1, j)) for i in range(4) for j in range(4)]
        for k in range(105):  # link and unlink, over and over: 105 undo steps
            x, y = pairs[k % len(pairs)]
            keeper.decide(LINK if (k // len(pairs)) % 2 == 0 else UNLINK, x, y)
        keeper.apply()
        await drain(pilot)
        assert len(keeper.undo_steps) == 105
        await pilot.press("2")  # another pane: undo is not per pane
        for _ in range(105):
            await pilot.press("ctrl+z")
        await drain(pilot)
        assert not keeper.corrections
        assert {
            (s, i): app.alignment.counterparts(s, i)
            for s in range(3)
            for i in range(len(app.sources[s]))
        } == original
        await pilot.press("ctrl+z")  # nothing left
        await drain(pilot)
        assert "nothing to undo" in message(app)
        for _ in range(105):
            await pilot.press("ctrl+y")
        await drain(pilot)
        assert len(keeper.undo_steps) == 105 and keeper.corrections
        # the corrections hold at every strictness
        wanted = keeper.corrections
        for _ in range(3):
            await pilot.press("c")
            await settle(pilot)
            assert app.alignment.corrections == wanted


async def test_help_and_palette_list_the_correction_keys(folder):
    from reader.ui.commands import _commands
    from reader.ui.keys import help_rows

    rows = {keys: text for _, keys, text in help_rows()}
    assert "Link from here" in rows["L"] and "Undo" in rows["ctrl+z"] and "Redo" in rows["ctrl+y"]
    assert "unlinks" in rows["w"]
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [t for t, _, _ in _commands(app)]
        for title in (
            "corrections: link this sentence to another",
            "corrections: unlink a counterpart",
            "corrections: undo",
            "corrections: redo",
        ):
            assert title in titles


async def test_corrections_not_found_again_are_reported_once_at_start(folder):
    from reader.core.marks.corrections import CorrectionStore, make_correction
    from reader.core.text.segment import segment

    sources = segment(load_paths([folder]).documents)
    store = CorrectionStore(folder / FILE_NAME)
    store.load()
    store.records.put(make_correction(sources, (0, 2), (1, 1), LINK))  # "The mayor praised"
    store.records.put(make_correction(sources, (0, 0), (2, 3), LINK))
    store.sync()
    (folder / "a.txt").write_text(
        A.replace("The mayor praised the vote as a turning point for the city.\n\n", ""),
        encoding="utf-8",
    )
    app = make_app(folder)
    notes = []
    original = app.notify

    def spy(text, **kwargs):
        notes.append(str(text))
        original(text, **kwargs)

    # before the app starts: a few short texts are split before the first frame, so the
    # corrections may be read (and reported) before run_test hands over
    app.notify = spy  # type: ignore[method-assign]
    app.corrections.notify = spy  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lost = [n for n in notes if "could not be found again" in n]
        assert len(lost) == 1 and "a.txt" in lost[0] and "mayor praised" in lost[0]
        assert user_links(app) == {((0, 0), (2, 3))}  # the other one applies
        assert len(app.corrections.resolved.lost) == 1
    assert len(saved(folder)) == 2  # kept in the file


async def test_the_app_and_reader_link_keep_each_others_corrections(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L", "2", "G", "L")  # the app links a.txt:1 - b.txt:4
        await settle(pilot)
        done = subprocess.run(
            [sys.executable, "-m", "reader", "link", str(folder), "b.txt:2", "c.txt:4"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        await until(
            pilot,
            lambda: ((1, 1), (2, 3)) in user_links(app),
            "the app seeing the command's link",
        )
        assert ((0, 0), (1, 3)) in user_links(app)
        await pilot.press("ctrl+z")  # undoes the app's own link only
        await settle(pilot)
        assert user_links(app) == {((1, 1), (2, 3))}
    ops = sorted((r["a"]["source"], r["b"]["source"]) for r in saved(folder))
    assert ops == [("b.txt", "c.txt")]


async def test_one_undo_history_for_marks_and_corrections(folder):
    """ctrl+z undoes the last change whatever it was: a link, then a mark (issue 10's
    history, shared with the corrections)."""
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")  # a mark on a.txt:1
        await settle(pilot)
        await pilot.press("L", "3", "G", "enter")  # then a link a.txt:1 <-> c.txt:4
        await settle(pilot)
        assert user_links(app) == {((0, 0), (2, 3))} and len(app.marks.book.marks) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert user_links(app) == set() and len(app.marks.book.marks) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.marks.book.marks == []
        await pilot.press("ctrl+y", "ctrl+y")
        await settle(pilot)
        assert user_links(app) == {((0, 0), (2, 3))} and len(app.marks.book.marks) == 1


async def test_why_view_background_follows_a_correction_line_by_line(folder):
    """Under the why view the reading view is painted again only where it changed (a
    correction re-shades a few sentences): the lines kept and the lines composed again
    are what Textual's whole render of the tinted background gives."""
    from textual.containers import Container, Vertical
    from textual.strip import Strip
    from textual.visual import RichVisual, Visual
    from textual.widgets import Static

    from reader.ui.dialogs.backdrop import ReadingScreen, TintedBackground

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = app.screen
        assert isinstance(reading, ReadingScreen)
        why = await open_why(app, pilot)
        asked: list[int] = []
        composed = why._background_lines

        def spy(background, rows, width, hidden=None):
            asked.append(len(rows))
            return composed(background, rows, width, hidden)

        why._background_lines = spy  # type: ignore[method-assign]

        box = why.query_one(Vertical).region  # the dialog: what it covers is never seen

        def seen(strip: Strip, y: int) -> list[list]:
            parts = (
                [(0, box.x), (box.right, SIZE[0])] if box.y <= y < box.bottom else [(0, SIZE[0])]
            )
            return [
                [(s.text, s.style) for s in strip.crop(a, b).simplify()] for a, b in parts if a < b
            ]

        def whole() -> list[list]:
            """Textual's own render of the tinted background, the cells seen."""
            visual = RichVisual(why, TintedBackground(reading, why.styles.background, {}))
            strips = Visual.to_strips(why, visual, *why.size, why.visual_style)
            return [seen(strip, y) for y, strip in enumerate(strips)]

        def kept() -> list[list]:
            return [seen(strip, y) for y, strip in enumerate(why._render_cache.lines)]

        before = whole()
        await pilot.press("d")  # unlink: the panes below are re-shaded and lined up
        await drain(pilot)
        await pilot.pause()
        assert kept() == whole() != before
        assert asked and min(asked) < SIZE[1]  # some lines composed again, not all
        await pilot.press("ctrl+z")
        await drain(pilot)
        await pilot.pause()
        assert kept() == whole()  # the status line says what was undone
        # a widget over the background (not composed under it), a correction redone,
        # the widget gone: what it covered is composed and seen again
        note = Static("a note")
        note.styles.width = 12
        rack = Container()  # as Textual's notifications: a note in a holder
        rack.styles.dock = "right"
        rack.styles.width = rack.styles.height = "auto"
        await why.mount(rack)
        await rack.mount(note)
        await drain(pilot)
        await pilot.pause()
        await pilot.press("ctrl+y")
        await drain(pilot)
        await pilot.pause()
        at = note.region
        assert at.x > box.right  # beside the dialog, over the reading view
        covered = why._render_cache.lines[at.y].crop(at.x, at.right)
        assert at and not covered.text.strip()  # not composed there
        await note.remove()
        await drain(pilot)
        await pilot.pause()
        assert kept() == whole()


async def test_why_view_unlink_paints_the_list_and_the_panes_in_one_frame(folder):
    """The reading view re-shaded by an unlink is painted in the frame that shows the
    why view's new list (not in a frame of its own after it)."""
    from textual._compositor import ChopsUpdate
    from textual.containers import Vertical

    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        why = await open_why(app, pilot)
        box = why.query_one(Vertical).region
        painted: list[set[tuple[int, int]]] = []  # per frame: (line, first column)
        display = app._display

        def spy(screen, update):
            if isinstance(update, ChopsUpdate):
                painted.append({(y, x) for y, x, _ in update.spans})
            display(screen, update)

        app._display = spy  # type: ignore[method-assign]
        await pilot.press("d")
        await drain(pilot)
        await pilot.pause()
        assert painted
        first = painted[0]
        # the list (inside the dialog) and a pane beside it (left of it) in one frame
        assert any(box.x <= x < box.right and box.y <= y < box.bottom for y, x in first)
        assert any(x < box.x for y, x in first)


# -- review: the why view's struck-out entries and its cursor -----------------------------------
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def why_rows(why: WhyScreen) -> list[tuple[str | None, bool, str]]:
    return [(e.id, e.disabled, e.prompt.plain) for e in why.list.entries]


async def why_on_the_sample(app: ReaderApp, pilot) -> WhyScreen:
    """The why view of the third sentence of the sample's first source."""
    await settle(pilot)
    app.deck.move_to(0, 2)
    await drain(pilot)
    return await open_why(app, pilot)


async def test_an_unlink_undone_never_shows_as_unlinked_at_another_strictness():
    app = ReaderApp(load_paths([SAMPLE]).documents, marks_path=None)
    async with app.run_test(size=(150, 40)) as pilot:
        why = await why_on_the_sample(app, pilot)
        lst = why.list
        # a counterpart by its group only: at strict it is no counterpart at all
        from reader.core.alignment.explain import explain
        from reader.core.alignment.links import BY_GROUP

        grouped = [r for r in explain(app.alignment, 0, 2) if r.by == BY_GROUP]
        assert grouped, "the sample's sentence 3 of the first source has one"
        target = f"{grouped[0].source}:{grouped[0].sentence}"
        lst.highlighted = lst.index_of(target)
        await pilot.press("d")
        await settle(pilot)
        assert any(i == target and "unlinked by you" in text for i, _, text in why_rows(why))
        await pilot.press("ctrl+z")
        await settle(pilot)
        for _ in range(3):  # every strictness: the link is in force again
            await pilot.press("c")
            await settle(pilot)
            assert not any("unlinked by you" in text for _, _, text in why_rows(why))


async def test_the_cursor_stays_in_sight_when_the_strictness_changes_the_list():
    app = ReaderApp(load_paths([SAMPLE]).documents, marks_path=None)
    async with app.run_test(size=(150, 24)) as pilot:
        why = await why_on_the_sample(app, pilot)
        lst = why.list
        for _ in range(3):
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("end")
            await drain(pilot)
            for _ in range(2):
                await pilot.press("c")  # the list changes above the cursor
                await settle(pilot)
                await pilot.pause()
                k = lst.highlighted
                if k is None:
                    continue
                top, height = lst.scroll_offset.y, lst.scrollable_content_region.height
                start = lst._starts[k]
                assert top <= start < top + height, (why.alignment.strictness, top, start)
