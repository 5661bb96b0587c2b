"""Dialogs that fold to borderless fields and buttons on short terminals."""

from __future__ import annotations

from textual import events

#: terminal rows below which dialogs drop their boxes
COMPACT_BELOW = 28


class CompactWhenShort:
    """A mixin for modal screens: on a terminal under :data:`COMPACT_BELOW` rows every
    radio set, checkbox, input and button loses its box (Textual's ``compact``), and
    the screen gets the ``-compact`` class for its own CSS (fewer margins, no hints),
    so the buttons stay on screen instead of falling off the dialog."""

    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.height < COMPACT_BELOW
        for widget in self.query("RadioSet, Checkbox, Input, Button"):
            widget.compact = compact
        self.set_class(compact, "-compact")
