"""The search box: `/` opens it, Enter searches every source, Esc closes it.

The box keeps the last search's results (the app runs the search in a worker and
hands them over) and answers ``n``/``N``: which match comes after a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from reader.ui.safe_input import SafeInput

if TYPE_CHECKING:
    from reader.core.alignment.navigation import Hit


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

    @dataclass(eq=False)
    class Submitted(Message):
        """Enter: search every source for ``query``."""

        query: str

    @dataclass(eq=False)
    class Closed(Message):
        """Esc: the box closed without a search."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.last_query = ""  # the last search
        self.hits: list[Hit] = []  # its matches, in reading order
        self.current = -1  # the match shown last (index into hits)

    def set_results(self, query: str, hits: list[Hit]) -> None:
        self.last_query, self.hits, self.current = query, hits, -1

    def step(self, here: tuple[int, int], step: int) -> Hit | None:
        """The match after (``step`` 1) or before (-1) sentence ``here`` (source,
        sentence), wrapping around; it becomes the current match. None: no matches."""
        if not self.hits:
            return None
        keys = [(h.source, h.sentence) for h in self.hits]
        if step > 0:
            after = [k for k, key in enumerate(keys) if key > here]
            k = after[0] if after else 0
        else:
            before = [k for k, key in enumerate(keys) if key < here]
            k = before[-1] if before else len(keys) - 1
        self.current = k
        return self.hits[k]

    def compose(self) -> ComposeResult:
        yield Label("/")
        yield SafeInput(
            placeholder="search all sources (fuzzy); Enter to search, Esc to close",
            id="search-input",
            select_on_focus=True,
            compact=True,  # one row, no border (Input's :focus border would eat the row)
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
