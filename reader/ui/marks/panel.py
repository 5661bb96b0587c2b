"""The marks panel: every mark of the session, at the right of the panes.

``l`` opens it (and closes it when it has the focus). Enter jumps to the mark, ``a``
edits its note and colour, ``d``/Delete removes it (after a confirmation), ``y``
copies it, Esc or ``l`` closes the panel. The panel only posts messages; the app
owns the marks. Every entry is Content built from plain text (file names and quotes
are never parsed as markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.core.marks.marks import TAG_COLOURS, Mark
from reader.ui.literal import sanitise
from reader.ui.marks.book import MarkBook, excerpt, lost_counterparts, orphan_counts


def mark_prompt(mark: Mark, book: MarkBook | None = None) -> Content:
    """Two or three lines: colour swatch, source and state; the quote; the note."""
    orphaned = mark.orphaned
    colour = TAG_COLOURS.get(mark.tag)
    head: list[tuple[str, str] | str] = [
        ("▌ ", f"bold {colour.screen if colour else 'white'}"),
        (sanitise(mark.source), "bold"),
    ]
    extra = len(mark.targets) - 1
    if extra:
        head.append((f"  +{extra}", "dim"))
    lost = lost_counterparts(mark)
    if orphaned:
        head.append(("  orphaned", "bold $text-error"))
    elif lost:
        head.append((f"  {lost} counterpart{'' if lost == 1 else 's'} lost", "$text-warning"))
    lines = [
        Content.assemble(*head),
        Content.assemble(("  ", ""), (excerpt(sanitise(mark.primary.exact), 80), "italic")),
    ]
    if mark.note:
        lines.append(Content.assemble(("  ✎ ", "$text-accent"), excerpt(sanitise(mark.note), 80)))
    return Content("\n").join(lines)


class MarkList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="marks_panel.down"),
        Binding("k", "cursor_up", "Up", show=False, id="marks_panel.up"),
        Binding("a", "edit", "Edit", id="marks_panel.edit"),
        Binding("d,delete", "remove", "Remove", id="marks_panel.remove"),
        Binding("y", "app.copy", "Copy", id="marks_panel.copy"),
        Binding("escape,l", "close", "Close", id="marks_panel.close"),
    ]

    def _mark_id(self) -> str | None:
        i = self.highlighted
        if i is None or not (0 <= i < self.option_count):
            return None
        return self.get_option_at_index(i).id

    def action_edit(self) -> None:
        mark_id = self._mark_id()
        if mark_id is None:
            return self.app.bell()
        self.post_message(MarksPanel.Edit(mark_id))

    def action_remove(self) -> None:
        mark_id = self._mark_id()
        if mark_id is None:
            return self.app.bell()
        self.post_message(MarksPanel.Remove(mark_id))

    def action_close(self) -> None:
        self.post_message(MarksPanel.Closed())  # the panel closes, the app refocuses


class MarksPanel(Vertical):
    WIDTH = 44

    DEFAULT_CSS = """
    MarksPanel {
        width: 44;
        height: 1fr;
        display: none;
        border-left: tall $panel-lighten-2;
        background: $surface;
        &.-open { display: block; }
        & > .marks-title { height: 1; background: $panel; color: $text; text-style: bold;
                           padding: 0 1; }
        & > .marks-hint { height: auto; color: $text-muted; padding: 0 1; }
        & > MarkList { height: 1fr; border: none; background: $surface; padding: 0; }
        & > MarkList:focus { border: none; }
        & > .marks-empty { color: $text-muted; padding: 1 1; height: auto; }
    }
    """

    @dataclass(eq=False)
    class Jump(Message):
        """Enter on a mark: go there."""

        mark_id: str

    @dataclass(eq=False)
    class Edit(Jump):
        """``a`` on a mark: its note and colour."""

    @dataclass(eq=False)
    class Remove(Jump):
        """``d`` on a mark: remove it (the app asks first)."""

    @dataclass(eq=False)
    class Closed(Message):
        """Esc or ``l``: the panel closed."""

    def compose(self) -> ComposeResult:
        yield Static(Content("marks"), classes="marks-title", id="marks-title")
        yield Static(
            Content("Enter jumps · a edits · d removes · y copies · Esc closes"),
            classes="marks-hint",
        )
        yield Static(
            Content("No marks yet: m marks the current sentence, v starts a run."),
            classes="marks-empty",
            id="marks-empty",
        )
        yield MarkList(id="marks-list")

    @property
    def list(self) -> MarkList:
        return self.query_one(MarkList)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, mark_id: str | None = None) -> None:
        """Show the panel and focus the list, on ``mark_id`` when given."""
        self.add_class("-open")
        if mark_id is not None:
            for i in range(self.list.option_count):
                if self.list.get_option_at_index(i).id == mark_id:
                    self.list.highlighted = i
                    break
        self.list.focus()

    def close(self) -> None:
        self.remove_class("-open")

    def highlighted_id(self) -> str | None:
        return self.list._mark_id()

    def set_marks(self, marks: Sequence[Mark], book: MarkBook | None = None) -> None:
        """Rebuild the list, keeping the highlighted mark when it still exists."""
        lst = self.list
        keep = self.highlighted_id()
        old_index = lst.highlighted
        lst.clear_options()
        lst.add_options([Option(mark_prompt(m, book), id=m.id) for m in marks])
        orphans, partly = orphan_counts(marks)
        title = (
            f"marks ({len(marks)})"
            + (f" · {orphans} orphaned" if orphans else "")
            + (f" · {partly} with counterparts lost" if partly else "")
        )
        self.query_one("#marks-title", Static).update(Content(title))
        self.query_one("#marks-empty").display = not marks
        if not marks:
            return
        ids = [m.id for m in marks]
        if keep in ids:
            lst.highlighted = ids.index(keep)
        else:
            lst.highlighted = min(old_index or 0, len(marks) - 1)

    def on_marks_panel_closed(self, message: Closed) -> None:
        self.close()  # and the message goes on to the app

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Jump(event.option.id))
