"""A yes/no question: ``y`` answers yes, ``n`` or Esc answers no; Enter presses the
focused button, which starts on "No" so a stray Enter changes nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from reader.ui.literal import safe_content


class Confirm(ModalScreen[bool]):
    DEFAULT_CSS = """
    Confirm {
        align: center middle;
        & > Vertical {
            width: 70%;
            max-width: 70;
            min-width: 30;
            height: auto;
            border: round $warning;
            background: $surface;
            padding: 0 1;
        }
        & .confirm-text { height: auto; margin: 0 0 1 0; }
        & .confirm-buttons { height: auto; align-horizontal: right; }
        & .confirm-buttons Button { margin: 0 0 0 1; }
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Content, yes: str = "Yes (y)", no: str = "No (n)") -> None:
        super().__init__()
        self.question = safe_content(question)  # file names and text, literally
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="confirm-text")
            with Horizontal(classes="confirm-buttons"):
                yield Button(self.yes, variant="warning", id="confirm-yes")
                yield Button(self.no, id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")
