"""Choose which sources get a pane when they do not all fit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from reader.ui.literal import sanitise


class PanePicker(ModalScreen[list[int] | None]):
    """Returns the chosen source indexes, or None when cancelled."""

    DEFAULT_CSS = """
    PanePicker {
        align: center middle;
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
        & SelectionList { height: auto; max-height: 20; }
        & .picker-hint { color: $text-muted; height: auto; }
    }
    """

    BINDINGS = [
        Binding("escape,q", "cancel", "Cancel", id="picker.cancel"),
        Binding("enter", "apply", "Show these", id="picker.apply", priority=True),
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
                Content(
                    f"Space toggles, Enter shows the chosen sources "
                    f"(up to {self.capacity} fit at this width), Esc cancels."
                ),
                classes="picker-hint",
            )
            yield SelectionList[int](
                *[
                    Selection(Content(f"{i + 1}  {sanitise(name)}"), i, i in self.shown)
                    for i, name in enumerate(self.names)
                ]
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_apply(self) -> None:
        chosen = list(self.query_one(SelectionList).selected)
        self.dismiss(sorted(chosen) or None)
