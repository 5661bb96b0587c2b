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

    def set_sync(self, on: bool) -> None:
        self.query_one("#status-sync", Label).update("sync on" if on else "sync off")

    def set_strictness(self, shown: str, wanted: str | None = None) -> None:
        """The strictness shown, and the one asked for while it is being prepared."""
        text = shown if wanted is None else f"{shown} → {wanted}…"
        self.query_one("#status-strictness", Label).update(text)

    _pending: Content | None = None  # what is pending, shown before every message
    _message: Content = Content("")
    _state: tuple[bool, bool] = (False, False)

    def set_message(self, text: str | Content, error: bool = False, warning: bool = False) -> None:
        self._message = safe_content(text)  # a search query, a file name: literally
        self._state = (error, warning and not error)
        self._show()

    def set_pending(self, text: str | Content | None) -> None:
        """What is pending (a link being made), shown before the messages until it is
        done or cancelled."""
        self._pending = None if text is None else safe_content(text)
        self._show()

    @property
    def pending(self) -> Content | None:
        return self._pending

    def _show(self) -> None:
        msg = self.query_one("#status-message", Static)
        content = self._message
        if self._pending is not None:
            pending = self._pending.stylize("reverse bold")
            content = Content.assemble(pending, " ", content) if content.plain else pending
        # one line whatever it says: no layout pass (five book-length panes would be
        # laid out again for a status message)
        msg.update(content, layout=False)
        error, warning = self._state
        if msg.has_class("-error") != error:
            msg.set_class(error, "-error")
        if msg.has_class("-warning") != warning:
            msg.set_class(warning, "-warning")

    def set_progress(self, fraction: float | None) -> None:
        bar = self.query_one("#status-progress", ProgressBar)
        bar.set_class(fraction is None, "-hidden")
        if fraction is not None:
            bar.update(progress=fraction)
