"""The search box: `/` opens it, Enter searches every source, Esc closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from reader.ui.safe_input import SafeInput


class SearchBar(Horizontal):
    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        display: none;
        background: $panel;
        &.-open { display: block; }
        & > Label { width: auto; padding: 0 1; color: $accent; text-style: bold; }
        & > Input { width: 1fr; height: 1; border: none; padding: 0; background: $panel; }
    }
    """

    BINDINGS = [Binding("escape", "close", "Close search", id="search.close")]

    class Submitted(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Label("/")
        yield SafeInput(
            placeholder="search all sources (fuzzy); Enter to search, Esc to close",
            id="search-input",
            select_on_focus=True,
        )

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def on_mount(self) -> None:
        self.input.disabled = True  # a hidden box must never take the focus

    def open(self) -> None:
        self.add_class("-open")
        self.input.disabled = False
        self.input.focus()

    def _hide(self) -> None:
        self.remove_class("-open")
        self.input.disabled = True

    def action_close(self) -> None:
        self._hide()
        self.post_message(self.Closed())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._hide()
        self.post_message(self.Submitted(event.value))
