"""The why view's list keeps the lines it rendered when its options are set again
(reader/ui/dialogs/why.py, ReasonList): what it paints is what a fresh list paints."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.ui.dialogs.why import ReasonList


def options(names: list[str]) -> list[Option]:
    head = Option(Content(f"entries: {len(names)}"), disabled=True)
    return [head] + [Option(Content(f"{n}\n  the text of {n} " * 3), id=n) for n in names]


class Lists(App):
    CSS = "OptionList { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield ReasonList(id="kept")
        yield OptionList(id="fresh")


def painted(lst: OptionList) -> list[tuple[str, list[object]]]:
    """Each row's text and the option a click there selects."""
    out = []
    for y in range(lst.size.height):
        strip = lst.render_line(y)
        out.append((strip.text, [seg.style.meta.get("option") for seg in strip if seg.style]))
    return out


async def test_options_set_again_paint_as_a_fresh_list():
    app = Lists()
    async with app.run_test(size=(60, 30)) as pilot:
        kept = app.query_one("#kept", ReasonList)
        fresh = app.query_one("#fresh", OptionList)
        kept.show_options(options(["a", "b", "c"]))
        kept.highlighted = 3
        await pilot.pause()
        first = {id(o) for o in kept.options}
        # b unlinked: the header changes, a stays, c moves up one (its click target too)
        kept.show_options(options(["a", "c"]))
        kept.highlighted = 2
        fresh.set_options(options(["a", "c"]))
        fresh.highlighted = 2
        await pilot.pause()
        assert id(kept.options[1]) in first and id(kept.options[2]) in first  # kept
        assert id(kept.options[0]) not in first  # the header changed
        assert painted(kept) == painted(fresh)
        assert [2] in [sorted(set(m) - {None}) for _, m in painted(kept)]
