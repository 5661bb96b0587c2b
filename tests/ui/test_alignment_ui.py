"""Pilot tests of strictness and of the "why" view.

The alignment here is built by hand from a pool of links with known confidences (the
aligner's ``align_sources`` is replaced for these tests), so which link is a
counterpart at which strictness does not move while the aligner is tuned:

    a:1 – b:1  0.95   a:1 – c:1  0.90   b:1 – c:1  0.92   counterparts at every level
    a:4 – b:4  0.70   counterpart at normal and loose, related at strict
    a:2 – b:3  0.45   counterpart at loose only, related at normal and strict
    a:1 – c:4  0.20   related at every level

(``FILE:N`` counted from 1 as in the app; the code below counts from 0.)
"""

from __future__ import annotations

import pytest
from pilot_helpers import drain

import reader.core.alignment.model
import reader.core.alignment.pipeline
from reader.core.alignment.links import LOOSE, NORMAL, STRICT, Link
from reader.core.alignment.model import Alignment, Levels, Pool
from reader.core.text.load import documents_from_texts
from reader.ui.app import ReaderApp
from reader.ui.dialogs.why import WhyScreen
from reader.ui.panes.rows import ALL, SOME, UNIQUE

SIZE = (140, 36)

TEXTS = {
    "a.txt": "Leaders spoke by phone on Thursday.\n\nMarkets rose after the call.\n\n"
    "The weather was mild in Geneva.\n\nTalks will resume in January.",
    "b.txt": "The leaders spoke by phone Thursday.\n\nNobody commented on the economy.\n\n"
    "Stock markets gained after the talk.\n\nTalks resume in January.",
    "c.txt": "Leaders held a phone call on Thursday.\n\nAnalysts were cautious.\n\n"
    "Snow fell in the mountains.\n\nA weak echo of the call on Thursday.",
}

POOL = [
    ((0, 0), (1, 0), 0.95),
    ((0, 0), (2, 0), 0.90),
    ((1, 0), (2, 0), 0.92),
    ((0, 3), (1, 3), 0.70),
    ((0, 1), (1, 2), 0.45),
    ((0, 0), (2, 3), 0.20),
]
LEVELS = Levels(bars={STRICT: 0.8, NORMAL: 0.55, LOOSE: 0.35}, floor=0.15)


@pytest.fixture
def calls(monkeypatch) -> dict[str, int]:
    """Replace the aligner by the pool above; count alignments and classifications."""
    counts = {"align": 0, "classify": 0}

    def align_sources(sources, settings=None, progress=None, strictness=None):
        counts["align"] += 1
        links = [Link(a, b, c, c) for a, b, c in POOL]
        pool = Pool.of(links, LEVELS, [s.name for s in sources])
        return Alignment.classified(
            sources, pool, [frozenset() for _ in sources], strictness or NORMAL
        )

    classify = reader.core.alignment.model.classify

    def counting_classify(*args, **kwargs):
        counts["classify"] += 1
        return classify(*args, **kwargs)

    monkeypatch.setattr(reader.core.alignment.pipeline, "align_sources", align_sources)
    monkeypatch.setattr(reader.core.alignment.model, "classify", counting_classify)
    return counts


def make_app(texts: dict[str, str] = TEXTS) -> ReaderApp:
    return ReaderApp(documents_from_texts(texts), marks_path=None)


def strictness_label(app: ReaderApp) -> str:
    return str(app.query_one("#status-strictness").render())


def option_texts(screen: WhyScreen) -> list[str]:
    lst = screen.list
    return [entry.prompt.plain for entry in lst.entries]


def why_screen(app: ReaderApp) -> WhyScreen:
    assert isinstance(app.screen, WhyScreen)
    return app.screen


async def test_strictness_key_cycles_without_aligning_again(calls, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert calls["align"] == 1
        assert sorted(app.strictness.ready) == [LOOSE, NORMAL, STRICT]
        classified = calls["classify"]  # the three levels, prepared in the worker
        assert classified == 3
        assert strictness_label(app) == NORMAL and app.alignment.strictness == NORMAL
        first = app.alignment
        seen = []
        for _ in range(6):
            await pilot.press("c")
            await drain(pilot)
            seen.append((strictness_label(app), app.alignment.strictness))
            assert app.alignment is first.at(app.alignment.strictness)  # the prepared one
        assert seen == [(LOOSE, LOOSE), (STRICT, STRICT), (NORMAL, NORMAL)] * 2
        assert calls == {"align": 1, "classify": classified}
        assert f"strictness {NORMAL}" in str(app.query_one("#status-message").render())


async def test_strictness_changes_shading_titles_and_support(calls, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.deck.panes[0].view
        title = app.deck.panes[0].title_bar

        def state():
            return (
                view.kinds[:4],
                str(title.render()).split("·")[-1].strip(),
                app.alignment.support(0, 1),
            )

        assert state() == ([ALL, UNIQUE, UNIQUE, SOME], "50% shared", 1)
        await pilot.press("c")  # loose: a:2 – b:3 becomes a counterpart
        await drain(pilot)
        assert state() == ([ALL, SOME, UNIQUE, SOME], "75% shared", 2)
        await pilot.press("c")  # strict: only the first sentence is shared
        await drain(pilot)
        assert state() == ([ALL, UNIQUE, UNIQUE, UNIQUE], "25% shared", 1)
        # the overview strip follows the new shading
        strip = app.deck.panes[0].overview
        classes = strip._bucket_classes(4)
        assert classes == [
            "overview--all",
            "overview--unique",
            "overview--unique",
            "overview--unique",
        ]


async def test_loose_counterpart_is_highlighted_related_only_marked(calls, settle):
    """a:2 – b:3 is related at normal (a quiet gutter mark, no highlight, no sync) and a
    counterpart at loose (highlighted, b's pane lines it up)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await drain(pilot)
        leader, b = app.deck.panes[0].view, app.deck.panes[1].view
        assert (app.deck.leader, leader.current) == (0, 1)
        # normal: related, never a counterpart, never moves the pane
        assert b.marks == {} and b.related == frozenset({2})
        assert b.gap is not None and b.current != 2
        row = b.row_of(2)
        assert b.render_line(row - b.top_row).text.startswith("┆")
        assert app.alignment.is_unique(0, 1)
        # loose: a counterpart, highlighted and synced; no related mark
        await pilot.press("c")
        await drain(pilot)
        assert app.alignment.strictness == LOOSE
        assert set(b.marks) == {2} and b.related == frozenset() and b.gap is None
        assert b.current == 2
        assert b.screen_row(2) == leader.screen_row(1)
        assert b.render_line(b.screen_row(2)).text.startswith("▌")
        assert not app.alignment.is_unique(0, 1)
        # back at normal (via strict) the pane is released again
        await pilot.press("c", "c")
        await drain(pilot)
        assert b.marks == {} and b.related == frozenset({2}) and b.gap is not None


async def test_navigation_and_marks_follow_the_strictness(calls, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.deck.panes[0].view
        await pilot.press("u")  # normal: a:2 is unique
        await drain(pilot)
        assert view.current == 1
        await pilot.press("c", "g")  # loose: a:2 is shared now; u skips it
        await drain(pilot)
        await pilot.press("u")
        await drain(pilot)
        assert view.current == 2
        await pilot.press("k", "m")  # mark a:2 at loose: b:3 is its counterpart
        await drain(pilot)
        mark = app.marks.book.marks[-1]
        assert [t.source for t in mark.targets] == ["a.txt", "b.txt"]
        await pilot.press("c", "c", "j", "j", "m")  # normal: a:4 has b:4; none at strict
        await drain(pilot)
        assert [t.source for t in app.marks.book.marks[-1].targets] == ["a.txt", "b.txt"]
        await pilot.press("c", "c", "k", "m")  # strict: a:3 and a:4 have no counterpart
        await drain(pilot)
        assert app.alignment.strictness == STRICT
        assert [t.source for t in app.marks.book.marks[-1].targets] == ["a.txt"]


async def test_strictness_in_command_palette(calls, settle):
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await drain(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"strictness strict")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.alignment.strictness == STRICT and strictness_label(app) == STRICT


async def test_strictness_chosen_while_aligning_applies_when_ready(calls, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        # at once, before the worker's result: remembered and shown as pending
        assert app.alignment is None
        app.action_cycle_strictness()
        assert strictness_label(app) == f"{NORMAL} → {LOOSE}…"
        await settle(pilot)
        assert app.alignment.strictness == LOOSE and strictness_label(app) == LOOSE


async def test_why_view_lists_counterparts_and_related(calls, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await drain(pilot)
        screen = why_screen(app)
        texts = option_texts(screen)
        assert texts[0] == "counterparts: 2"
        assert texts[1].startswith(
            "● b.txt:1  counterpart · confidence 0.95 · also linked through c.txt"
        )
        assert "The leaders spoke by phone Thursday." in texts[1]
        assert texts[2].startswith("● c.txt:1  counterpart · confidence 0.90")
        assert texts[3].startswith("related, not counterparts")
        assert texts[4].startswith("◦ c.txt:4  related · confidence 0.20")
        assert "A weak echo of the call on Thursday." in texts[4]
        assert str(screen.query_one("#why-title").render()).startswith(
            "a.txt:1  shared by 3 of 3 sources"
        )
        head = screen.query_one("#why-sentence").render()
        assert head.plain == "Leaders spoke by phone on Thursday."
        # the matched words are highlighted in the entry and in the sentence explained
        entry = screen.list.entry_at(1).prompt
        body_start = entry.plain.index("The leaders")
        styled = [entry.plain[s.start : s.end] for s in entry.spans if s.start >= body_start]
        assert styled == ["leaders spoke by phone", "Thursday"]
        assert [head.plain[s.start : s.end] for s in head.spans] == [
            "Leaders spoke by phone",
            "Thursday",
        ]
        # j/k move over the entries (headers are skipped)
        assert screen.highlighted_reason().source == 1
        await pilot.press("j", "j")
        await drain(pilot)
        r = screen.highlighted_reason()
        assert (r.source, r.sentence, r.kind) == (2, 3, "related")
        await pilot.press("k")
        await drain(pilot)
        assert (screen.highlighted_reason().source, screen.highlighted_reason().sentence) == (2, 0)


async def test_why_view_enter_jumps_to_the_sentence(calls, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w", "j", "j")
        await drain(pilot)
        assert why_screen(app).highlighted_reason().sentence == 3
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, WhyScreen)
        view = app.deck.panes[2].view
        assert app.deck.leader == 2 and view.current == 3 and app.focused is view
        # the others line up with c:4's own counterparts (none: gaps), not with a:1
        assert app.deck.panes[0].view.marks == {}


async def test_why_view_escape_closes_and_keeps_the_position(calls, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await drain(pilot)
        await pilot.press("w")
        await drain(pilot)
        texts = option_texts(why_screen(app))
        assert texts[0] == "counterparts: 1" and texts[1].startswith("● b.txt:4")
        assert texts[-1] == "nothing linked in: c.txt"
        await pilot.press("j", "escape")
        await drain(pilot)
        assert not isinstance(app.screen, WhyScreen)
        assert app.deck.leader == 0 and app.deck.panes[0].view.current == 3
        assert app.focused is app.deck.panes[0].view


async def test_why_view_follows_the_strictness_key(calls, settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "w")
        await drain(pilot)
        texts = option_texts(why_screen(app))
        assert texts[0] == "counterparts: none"
        assert texts[2].startswith("◦ b.txt:3  related · confidence 0.45")
        await pilot.press("c")  # loose, from inside the list
        await drain(pilot)
        screen = why_screen(app)
        texts = option_texts(screen)
        assert texts[0] == "counterparts: 1"
        assert texts[1].startswith("● b.txt:3  counterpart · confidence 0.45")
        assert "strictness loose" in str(screen.query_one("#why-title").render())
        assert screen.highlighted_reason().sentence == 2  # the cursor kept its sentence


HOSTILE = {
    "notes[red].txt": "The [bold]spokesman[/bold] said talks were [/b] serious.\n\n"
    "An escape \x1b[31mred\x1b[0m sequence stayed literal.",
    "[link=x]b[/link].txt": "The spokesman said \x1b[2J talks were [/b] serious.\n\n"
    "Weather in Lisbon [i]was[/i] mild.",
}


async def test_why_view_shows_hostile_text_and_names_literally(monkeypatch, settle):
    def align_sources(sources, settings=None, progress=None, strictness=None):
        links = [Link((0, 0), (1, 0), 0.9, 0.9), Link((0, 1), (1, 1), 0.3, 0.3)]
        return Alignment.classified(
            sources,
            Pool.of(links, LEVELS, [s.name for s in sources]),
            [frozenset(), frozenset()],
            strictness or NORMAL,
        )

    monkeypatch.setattr(reader.core.alignment.pipeline, "align_sources", align_sources)
    app = make_app(HOSTILE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await drain(pilot)
        screen = why_screen(app)
        texts = option_texts(screen)
        assert texts[1].startswith("● [link=x]b[/link].txt:1  counterpart")
        assert "The spokesman said ␛[2J talks were [/b] serious." in texts[1]
        assert str(screen.query_one("#why-title").render()).startswith("notes[red].txt:1")
        assert screen.query_one("#why-sentence").render().plain == (
            "The [bold]spokesman[/bold] said talks were [/b] serious."
        )
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "notes[red].txt:1" in shown and "[link=x]b[/link].txt:1" in shown
        lst = screen.list  # the rows as painted
        painted = "\n".join(lst.render_line(y).text for y in range(lst.size.height))
        assert "[link=x]b[/link].txt:1" in painted and "\x1b" not in painted
        assert "The spokesman said ␛[2J talks were [/b] serious." in painted
        await pilot.press("escape", "j", "w")
        await drain(pilot)
        texts = option_texts(why_screen(app))
        assert texts[-1].startswith("◦ [link=x]b[/link].txt:2  related")
        assert "Weather in Lisbon [i]was[/i] mild." in texts[-1]
        head = why_screen(app).query_one("#why-sentence").render().plain
        assert head == "An escape ␛[31mred␛[0m sequence stayed literal."
        assert all("\x1b" not in t for t in option_texts(why_screen(app)))


async def test_why_before_alignment_and_on_real_alignment(sample_docs, settle):
    """On the real aligner's output: the list matches explain() entry for entry."""
    from reader.core.alignment.explain import explain, shown_confidence

    app = ReaderApp(sample_docs, marks_path=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(7):
            await pilot.press("j")
        await pilot.press("w")
        await drain(pilot)
        screen = why_screen(app)
        reasons = explain(app.alignment, 0, 7)
        assert [(r.source, r.sentence) for r in screen.reasons.values()] == [
            (r.source, r.sentence) for r in reasons
        ]
        texts = option_texts(screen)
        for r in reasons:
            ref = f"{app.sources[r.source].name}:{r.sentence + 1}"
            assert any(
                t.startswith(("● " if r.kind == "counterpart" else "◦ ") + ref)
                and f"confidence {shown_confidence(r.confidence)}" in t
                for t in texts
            )


def test_why_view_snapshot(calls, snap_compare):
    """The "why" list on the hand-built pool (its confidences do not move with the
    aligner's calibration): two counterparts, one related sentence."""
    from pilot_helpers import settle

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("w")
        await drain(pilot)

    assert snap_compare(make_app(), terminal_size=(110, 24), run_before=run_before)


async def test_one_source_has_no_strictness_and_no_why(settle):
    app = make_app({"a.txt": TEXTS["a.txt"]})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await drain(pilot)
        message = str(app.query_one("#status-message").render())
        assert message == "one source: nothing is aligned"
        assert strictness_label(app) == NORMAL
        await pilot.press("w")
        await drain(pilot)
        assert not isinstance(app.screen, WhyScreen)
        assert str(app.query_one("#status-message").render()) == message
