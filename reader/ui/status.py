"""The status line above the footer: consensus legend, sync state, strictness, search
count, alignment progress and messages. Everything shown is a Content object or fixed
text, never markup built from file names or document text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, ProgressBar, Static

from reader.ui.literal import safe_content


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

    def compose(self) -> ComposeResult:
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

    def set_message(self, text: str | Content, error: bool = False, warning: bool = False) -> None:
        msg = self.query_one("#status-message", Static)
        msg.update(safe_content(text))  # a search query, a file name: literally
        msg.set_class(error, "-error")
        msg.set_class(warning and not error, "-warning")

    def set_progress(self, fraction: float | None) -> None:
        bar = self.query_one("#status-progress", ProgressBar)
        bar.set_class(fraction is None, "-hidden")
        if fraction is not None:
            bar.update(progress=fraction)
