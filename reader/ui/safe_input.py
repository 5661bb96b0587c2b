"""An input box that shows its value literally: control characters and escape
sequences (a note read from the marks file, a path under a folder whose name holds
ESC) are drawn as their visible stand-ins, never sent to the terminal. The value
itself is unchanged: what the user typed or was given is what is saved or used."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Input

from reader.ui.literal import sanitise


class SafeInput(Input):
    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(sanitise(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text

    def _position_to_cell(self, position: int) -> int:
        # the cursor sits where the drawn (sanitised) characters put it
        return cell_len(sanitise(self.value[:position]))
