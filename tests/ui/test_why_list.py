"""The why view's list (reader/ui/dialogs/entries.py, EntryList): entries set again
paint what a fresh list paints, only the lines that changed are painted again, and the
keys and the mouse reach the entries (headings and struck-out entries are skipped)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from reader.ui.dialogs.entries import Entry, EntryList

TEXT = "  the text of {} is long enough to wrap onto a second line of the list here"


def entries(names: list[str], gone: tuple[str, ...] = ()) -> list[Entry]:
    head = Entry(Content(f"entries: {len(names) - len(gone)}"), disabled=True)
    out = [head]
    for n in names:
        if n in gone:
            out.append(Entry(Content(f"x {n} unlinked\n" + TEXT.format(n)), n, disabled=True))
        else:
            out.append(Entry(Content(f"{n}\n" + TEXT.format(n)), n))
    return out


class Lists(App):
    CSS = "EntryList { height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        yield EntryList(id="kept")
        yield EntryList(id="fresh")

    def on_entry_list_highlighted(self, event: EntryList.Highlighted) -> None:
        if event.control.id == "kept":
            self.heard.append(("highlighted", event.entry.id))

    def on_entry_list_selected(self, event: EntryList.Selected) -> None:
        self.heard.append(("selected", event.entry.id))


def painted(lst: EntryList) -> list[tuple[str, list[object]]]:
    """Each row's text and styles, as the list paints it."""
    return [
        (strip.text, [seg.style for seg in strip])
        for strip in (lst.render_line(y) for y in range(lst.size.height))
    ]


async def test_entries_set_again_paint_as_a_fresh_list():
    app = Lists()
    async with app.run_test(size=(40, 40)) as pilot:
        kept = app.query_one("#kept", EntryList)
        fresh = app.query_one("#fresh", EntryList)
        app.set_focus(None)  # both painted unfocused
        kept.set_entries(entries(["a", "b", "c"]))
        kept.highlighted = 2
        await pilot.pause()
        first = set(map(id, kept.entries))
        # b unlinked: the heading and b change, a and c are kept
        kept.set_entries(entries(["a", "b", "c"], gone=("b",)))
        kept.highlighted = 3
        fresh.set_entries(entries(["a", "b", "c"], gone=("b",)))
        fresh.highlighted = 3
        await pilot.pause()
        assert [id(e) in first for e in kept.entries] == [False, True, False, True]
        assert painted(kept) == painted(fresh)
        # and when c goes, the lines below it move up as in a fresh list
        kept.set_entries(entries(["a", "b"], gone=("b",)))
        fresh.set_entries(entries(["a", "b"], gone=("b",)))
        await pilot.pause()
        assert kept.highlighted is None and painted(kept) == painted(fresh)


async def test_only_the_lines_that_changed_are_painted_again():
    app = Lists()
    async with app.run_test(size=(40, 40)) as pilot:
        kept = app.query_one("#kept", EntryList)
        kept.set_entries(entries(["a", "b", "c", "d"]))
        kept.highlighted = 1
        await pilot.pause()
        asked: list[int] = []
        render_line = kept.render_line

        def spy(y: int):
            asked.append(y)
            return render_line(y)

        kept.render_line = spy  # type: ignore[method-assign]
        lines = {e.id: (y, n) for e, y, n in zip(kept.entries, kept._starts, kept._heights)}
        kept.set_entries(entries(["a", "b", "c", "d"], gone=("c",)))
        await pilot.pause()
        y, n = lines["c"]
        # the heading (its count) and c's lines; a, b and d stay as painted
        assert sorted(set(asked)) == [0, *range(y, y + n)]
        asked.clear()
        kept.highlighted = 4  # the cursor from a to d: their lines only
        await pilot.pause()
        (ya, na), (yd, nd) = lines["a"], lines["d"]
        assert sorted(set(asked)) == [*range(ya, ya + na), *range(yd, yd + nd)]


async def test_keys_skip_what_cannot_be_chosen_and_enter_or_a_click_selects():
    app = Lists()
    async with app.run_test(size=(40, 40)) as pilot:
        kept = app.query_one("#kept", EntryList)
        kept.set_entries(entries(["a", "b", "c"], gone=("b",)))
        kept.focus()
        await pilot.press("down")  # from nothing: the first that can be chosen
        assert kept.highlighted == 1
        await pilot.press("down")  # over b, struck out
        assert kept.highlighted == 3
        await pilot.press("down")  # the end: it stays
        assert kept.highlighted == 3
        await pilot.press("up", "up")  # never onto b or the heading
        assert kept.highlighted == 1
        await pilot.press("end")
        assert kept.highlighted == 3
        await pilot.press("home", "enter")
        await pilot.pause()
        assert app.heard[-1] == ("selected", "a")
        # a click on the second line of c's entry selects c (the line, not a mark in it)
        y = kept._starts[3] + 1
        await pilot.click(kept, offset=(2, y))
        await pilot.pause()
        assert kept.highlighted == 3 and app.heard[-1] == ("selected", "c")
        await pilot.click(kept, offset=(2, kept._starts[2]))  # b cannot be chosen
        await pilot.pause()
        assert kept.highlighted == 3 and app.heard[-1] == ("selected", "c")
        assert ("highlighted", "c") in app.heard


async def test_the_cursor_is_scrolled_into_sight():
    app = Lists()
    async with app.run_test(size=(40, 12)) as pilot:  # two lists of 6 lines
        kept = app.query_one("#kept", EntryList)
        kept.set_entries(entries([f"n{k}" for k in range(10)]))
        kept.focus()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        last = kept.highlighted
        assert last == 10
        top = kept.scroll_offset.y
        assert top <= kept._starts[last] < top + kept.scrollable_content_region.height
        await pilot.press("pageup")
        await pilot.pause()
        assert kept.highlighted is not None and kept.highlighted < last
        # scrolled away with the wheel, then a smaller terminal: the cursor's entry is
        # scrolled into sight again
        kept.highlighted = 9
        await pilot.pause()
        kept.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        await pilot.resize_terminal(40, 8)
        await pilot.pause()
        await pilot.pause()
        top, height = kept.scroll_offset.y, kept.scrollable_content_region.height
        assert top <= kept._starts[9] < top + height


async def test_an_entry_as_tall_as_the_one_it_replaces_keeps_the_rest_in_place():
    app = Lists()
    async with app.run_test(size=(40, 40)) as pilot:
        kept = app.query_one("#kept", EntryList)
        long = Content("b, with a heading long enough to take two lines of this list\n  b's text")
        kept.set_entries([Entry(Content("a"), "a"), Entry(long, "b"), Entry(Content("c"), "c")])
        await pilot.pause()
        assert kept._heights == [1, 3, 1]
        short = Entry(Content("x b\n  b's text"), "b", disabled=True, min_height=3)
        kept.set_entries([Entry(Content("a"), "a"), short, Entry(Content("c"), "c")])
        await pilot.pause()
        assert kept._heights == [1, 3, 1] and kept._starts[2] == 4
        rows = [kept.render_line(y).text.rstrip() for y in range(5)]
        assert rows == ["a", "x b", "  b's text", "", "c"]


async def test_page_keys_move_past_an_entry_taller_than_the_list():
    app = Lists()
    async with app.run_test(size=(40, 12)) as pilot:  # two lists of 6 lines
        kept = app.query_one("#kept", EntryList)
        tall = Content("tall\n" + "\n".join(f"  line {k}" for k in range(10)))
        kept.set_entries([Entry(Content("a"), "a"), Entry(tall, "t"), Entry(Content("c"), "c")])
        kept.focus()
        await pilot.pause()
        kept.highlighted = 1
        await pilot.press("pagedown")
        assert kept.highlighted == 2
        await pilot.press("pageup")
        assert kept.highlighted == 1
        await pilot.press("pageup")
        assert kept.highlighted == 0
