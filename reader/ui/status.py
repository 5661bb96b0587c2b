"""The status line above the footer: consensus legend, sync state, strictness, search
count, alignment progress and messages. Everything shown is a Content object or fixed
text, never markup built from file names or document text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, ProgressBar, Static

from reader.ui.literal import safe_content


class Position(Widget):
    """Where the reader is: ``12/48`` (the focused pane's sentence of its count) and
    ``+3 hidden`` (sources without a pane). Updated on every move, so it repaints
    without a layout pass unless its width changes."""

    DEFAULT_CSS = """
    Position { width: auto; height: 1; padding: 0 1; color: $text; text-style: bold; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = ""

    def update(self, text: str) -> None:
        if text != self.text:
            layout = len(text) != len(self.text)
            self.text = text
            self.refresh(layout=layout)

    def render(self) -> Content:
        return Content(self.text)


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text-muted;
        & > Label { width: auto; padding: 0 1 0 0; }
        & > .legend-title { color: $text-muted; padding: 0 1 0 1; }
        & > .legend-all { background: $surface; color: $foreground; padding: 0 1; }
        & > .legend-some { background: $success 25%; color: $foreground; padding: 0 1; }
        & > .legend-unique { background: $warning 35%; color: $foreground; padding: 0 1; }
        & > .legend-boiler { color: $text-disabled; padding: 0 1; }
        & > #status-sync { padding: 0 1; }
        & > .strictness-title { padding: 0 0 0 1; }
        & > #status-strictness { padding: 0 1 0 1; color: $text; }
        & > #status-message { width: 1fr; padding: 0 1; text-wrap: nowrap;
                              text-overflow: ellipsis; }
        & > #status-message.-error { color: $text-error; text-style: bold; }
        & > #status-message.-warning { color: $text-warning; text-style: bold; }
        & > ProgressBar { width: 24; padding: 0 1 0 0; }
        & > ProgressBar Bar { width: 14; }
        & > ProgressBar.-hidden { display: none; }
        &.-narrow > .legend-title, &.-narrow > .legend-boiler,
        &.-narrow > .strictness-title { display: none; }
    }
    """

    transient = False  # the message shown is about where the reader is now

    def compose(self) -> ComposeResult:
        yield Position(id="status-position")
        yield Label("shared by:", classes="legend-title")
        yield Label("all", classes="legend-all")
        yield Label("some", classes="legend-some")
        yield Label("unique", classes="legend-unique")
        yield Label("boilerplate", classes="legend-boiler")
        yield Label("sync on", id="status-sync")
        yield Label("strictness:", classes="strictness-title")
        yield Label("normal", id="status-strictness")
        yield Static("", id="status-message", markup=False)
        yield ProgressBar(total=1.0, show_eta=False, id="status-progress")

    def set_sync(self, on: bool, aligned: bool = True) -> None:
        """Sync on or off; "not aligned" while there is nothing to sync by."""
        text = ("sync on" if on else "sync off") if aligned else "not aligned"
        self.query_one("#status-sync", Label).update(text)

    def set_strictness(self, shown: str, wanted: str | None = None) -> None:
        """The strictness shown, and the one asked for while it is being prepared."""
        text = shown if wanted is None else f"{shown} → {wanted}…"
        self.query_one("#status-strictness", Label).update(text)

    def set_position(self, sentence: int, total: int, hidden: int) -> None:
        """``sentence`` (from 0) of ``total`` in the focused pane; ``hidden`` sources."""
        text = f"{sentence + 1}/{total}" if total else "0/0"
        if hidden:
            text += f" · +{hidden} hidden"
        self.query_one(Position).update(text)

    def set_message(
        self,
        text: str | Content,
        error: bool = False,
        warning: bool = False,
        transient: bool = False,
    ) -> None:
        """``transient``: about where the reader is now (a search match, a mark): the
        next move clears it (:meth:`moved`), so it never goes stale."""
        msg = self.query_one("#status-message", Static)
        msg.update(safe_content(text))  # a search query, a file name: literally
        msg.set_class(error, "-error")
        msg.set_class(warning and not error, "-warning")
        self.transient = transient

    def moved(self) -> None:
        """The reader moved: a transient message no longer applies."""
        if self.transient:
            self.set_message("")

    def set_progress(self, fraction: float | None) -> None:
        bar = self.query_one("#status-progress", ProgressBar)
        bar.set_class(fraction is None, "-hidden")
        if fraction is not None:
            bar.update(progress=fraction)
