"""Dialogs that fold to borderless fields and buttons on short terminals."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, RadioSet

#: terminal rows below which dialogs drop their boxes
COMPACT_BELOW = 28


class CompactWhenShort(Screen[Any]):
    """A base for the dialogs (with ``ModalScreen``): on a terminal under :data:`COMPACT_BELOW` rows every
    radio set, checkbox, input and button loses its box (Textual's ``compact``), and
    the screen gets the ``-compact`` class for its own CSS (fewer margins, no hints),
    so the buttons stay on screen instead of falling off the dialog."""

    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.height < COMPACT_BELOW
        widgets: list[RadioSet | Checkbox | Input | Button] = [
            *self.query(RadioSet),
            *self.query(Checkbox),
            *self.query(Input),
            *self.query(Button),
        ]
        for widget in widgets:
            widget.compact = compact
        self.set_class(compact, "-compact")
