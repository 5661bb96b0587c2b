"""Choose which sources get a pane when they do not all fit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from reader.ui.literal import sanitise

# the box both pickers draw (a list with a hint under it), inside their own selector
_BOX = """        align: center middle;
        & > Vertical {
            width: 70%;
            max-width: 70;
            min-width: 30;
            height: auto;
            max-height: 90%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        & .picker-hint { color: $text-muted; height: auto; }
"""


class PanePicker(ModalScreen[list[int] | None]):
    """Returns the chosen source indexes, or None when cancelled."""

    DEFAULT_CSS = (
        """
    PanePicker {
"""
        + _BOX
        + """        & SelectionList { height: auto; max-height: 20; }
        & #picker-count { color: $text; height: auto; }
        & #picker-count.-over { color: $text-warning; }
    }
    """
    )

    BINDINGS = [
        Binding("escape,q", "cancel", "Cancel", id="picker.cancel"),
        Binding("enter", "apply", "Show these", id="picker.apply", priority=True),
        Binding("j", "move(1)", "Down", show=False, id="picker.down"),
        Binding("k", "move(-1)", "Up", show=False, id="picker.up"),
    ]

    def __init__(self, names: list[str], shown: list[int], capacity: int) -> None:
        super().__init__()
        self.names = names
        self.shown = set(shown)
        self.capacity = capacity

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "panes"
            yield Static(
                Content("j/k move, space toggles, Enter shows the chosen sources, Esc cancels."),
                classes="picker-hint",
            )
            yield SelectionList[int](
                *[
                    Selection(Content(f"{i + 1}  {sanitise(name)}"), i, i in self.shown)
                    for i, name in enumerate(self.names)
                ]
            )
            yield Static(self._count(len(self.shown)), id="picker-count")

    def _count(self, chosen: int) -> Content:
        fit = self.capacity
        text = f"{chosen} chosen; {fit} fit at this width"
        if chosen > fit:
            text += f": the first {fit} are shown, the others once there is room"
        return Content(text)

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        chosen = len(event.selection_list.selected)
        count = self.query_one("#picker-count", Static)
        count.update(self._count(chosen))
        count.set_class(chosen > self.capacity, "-over")

    def action_move(self, step: int) -> None:
        listing = self.query_one(SelectionList)
        if step > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_apply(self) -> None:
        chosen = list(self.query_one(SelectionList).selected)
        self.dismiss(sorted(chosen) or None)


class ComparePicker(ModalScreen[int | None]):
    """Which source to compare the focused pane with (C): returns its index, or None."""

    DEFAULT_CSS = (
        """
    ComparePicker {
"""
        + _BOX
        + """        & OptionList { height: auto; max-height: 20; }
    }
    """
    )

    BINDINGS = [
        Binding("escape,q", "cancel", "Cancel", id="compare.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="compare.down"),
        Binding("k", "move(-1)", "Up", show=False, id="compare.up"),
    ]

    def __init__(self, names: list[str], leader: int) -> None:
        super().__init__()
        self.names = names
        self.leader = leader

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"compare {self.leader + 1} with"
            yield Static(
                Content(
                    f"{self.leader + 1} {sanitise(self.names[self.leader])} and the source "
                    "chosen, side by side at full width; C again shows the panes as before."
                ),
                classes="picker-hint",
            )
            yield OptionList(
                *[
                    Option(Content(f"{i + 1}  {sanitise(name)}"), id=str(i))
                    for i, name in enumerate(self.names)
                    if i != self.leader
                ]
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if step > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
