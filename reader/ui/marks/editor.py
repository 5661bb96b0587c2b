"""A small dialog to give a mark a note and a colour tag.

Enter (in the note) or the Save button saves; Esc cancels. Returns ``(note, tag)``
or None. The quote is shown as Content, never parsed as markup."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from reader.core.marks.marks import TAGS, Mark
from reader.ui.dialogs.compact import CompactWhenShort
from reader.ui.literal import sanitise
from reader.ui.marks.book import excerpt
from reader.ui.safe_input import SafeInput

NOTE_MAX = 500


class MarkEditor(CompactWhenShort, ModalScreen[tuple[str, str] | None]):
    DEFAULT_CSS = """
    MarkEditor {
        align: center middle;
        & > Vertical {
            width: 80%;
            max-width: 80;
            min-width: 34;
            height: auto;
            max-height: 90%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & .editor-quote { color: $text-muted; height: auto; max-height: 6; margin: 0 0 1 0; }
        & .editor-label { height: 1; color: $text; text-style: bold; }
        & Input { margin: 0 0 1 0; }
        & RadioSet { layout: horizontal; height: auto; width: 1fr;
                     overflow-x: auto; scrollbar-size-horizontal: 0; margin: 0 0 1 0; }
        & RadioSet > RadioButton { width: auto; margin: 0 1 0 0; }
        & .editor-buttons { height: auto; align-horizontal: right; }
        & .editor-buttons Button { margin: 0 0 0 1; }
        & .editor-hint { color: $text-muted; height: 1; }
        &.-compact .editor-quote { max-height: 3; margin: 0; }
        &.-compact Input, &.-compact RadioSet { margin: 0; }
        &.-compact .editor-hint { display: none; }
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="mark_editor.cancel"),
        Binding("ctrl+s", "save", "Save", id="mark_editor.save"),
        # Enter saves wherever the focus is, as the hint says (on the colour row it
        # picks the colour under the cursor first); on a button it presses it
        Binding("enter", "enter", "Save", id="mark_editor.enter", priority=True, show=False),
    ]

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "mark: note and colour"
            yield Static(
                Content.assemble(
                    (sanitise(self.mark.source), "bold"),
                    ": ",
                    excerpt(sanitise(self.mark.primary.exact), 300),
                ),
                classes="editor-quote",
            )
            yield Static(Content("Note"), classes="editor-label")
            yield SafeInput(
                value=self.mark.note,
                placeholder="a short note (optional)",
                max_length=NOTE_MAX,
                id="mark-note",
            )
            yield Static(Content("Colour"), classes="editor-label")
            with RadioSet(id="mark-tag"):
                for tag in TAGS:
                    yield RadioButton(Content(tag), value=tag == self.mark.tag, id=f"tag-{tag}")
            with Horizontal(classes="editor-buttons"):
                yield Button("Save", variant="primary", id="mark-save")
                yield Button("Cancel", id="mark-cancel")
            yield Static(Content("Enter saves · Tab moves · Esc cancels"), classes="editor-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """A colour chosen (click, or arrows and Enter/space): back to the note, where
        Enter saves."""
        event.stop()
        self.query_one(Input).focus()

    def _tag(self) -> str:
        index = self.query_one(RadioSet).pressed_index
        return TAGS[index] if 0 <= index < len(TAGS) else self.mark.tag

    def action_enter(self) -> None:
        focused = self.focused
        if isinstance(focused, Button):
            focused.press()
            return
        tag = self._tag()
        if isinstance(focused, RadioSet):
            under = getattr(focused, "_selected", None)  # the button under the cursor
            if isinstance(under, int) and 0 <= under < len(TAGS):
                tag = TAGS[under]
        self.dismiss((self.query_one(Input).value.strip(), tag))

    def action_save(self) -> None:
        self.dismiss((self.query_one(Input).value.strip(), self._tag()))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "mark-save":
            self.action_save()
        else:
            self.action_cancel()
