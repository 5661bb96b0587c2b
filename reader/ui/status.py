"""The status line above the footer: consensus legend, sync state, strictness, search
count, alignment progress and messages. Everything shown is a Content object or fixed
text, never markup built from file names or document text."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, ProgressBar, Static

from reader.ui.literal import safe_content

if TYPE_CHECKING:
    from textual.timer import Timer

#: work done within this many seconds shows no progress at all (a few articles align
#: in ~30 ms and report ~16 steps: each a repaint of the status line before the aligned
#: frame); longer work shows its latest step from then on
QUIET_START = 0.2


class Position(Widget):
    """Where the reader is: ``12/48`` (the focused pane's sentence of its count) and
    ``+3 hidden`` (sources without a pane). Updated on every move: its width is kept
    for the longest text of this count (``48/48``), so a move repaints it without a
    layout pass (one costs ~10 ms with five big panes)."""

    DEFAULT_CSS = """
    Position { width: 5; height: 1; padding: 0 1; color: $text; text-style: bold; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = ""
        self.room = 0  # the cells kept for the text

    def update(self, text: str, room: int) -> None:
        """Show ``text``, keeping ``room`` cells for it (the longest it can be now)."""
        if room != self.room:
            self.room = room
            self.styles.width = room + 2  # the padding; a layout pass, only now
        if text != self.text:
            self.text = text
            self.refresh()

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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.position = Position(id="status-position")  # told of every move

    def compose(self) -> ComposeResult:
        yield self.position
        yield Label("shared by:", classes="legend-title")
        yield Label("all", classes="legend-all")
        yield Label("some", classes="legend-some")
        yield Label("unique", classes="legend-unique")
        yield Label("boilerplate", classes="legend-boiler")
        yield Label("sync on", id="status-sync")
        yield Label("strictness:", classes="strictness-title")
        yield Label("normal", id="status-strictness")
        yield Static("", id="status-message", markup=False)
        yield ProgressBar(total=1.0, show_eta=False, id="status-progress", classes="-hidden")

    def set_sync(self, on: bool, aligned: bool = True) -> None:
        """Sync on or off; "not aligned" while there is nothing to sync by."""
        text = ("sync on" if on else "sync off") if aligned else "not aligned"
        self.query_one("#status-sync", Label).update(text)

    def set_strictness(self, shown: str, wanted: str | None = None) -> None:
        """The strictness shown, and the one asked for while it is being prepared."""
        text = shown if wanted is None else f"{shown} → {wanted}…"
        self.query_one("#status-strictness", Label).update(text)

    _pending: Content | None = None  # what is pending, shown before every message
    _message: Content = Content("")
    _state: tuple[bool, bool] = (False, False)

    def set_position(self, sentence: int, total: int, hidden: int) -> None:
        """``sentence`` (from 0) of ``total`` in the focused pane; ``hidden`` sources."""
        text = f"{sentence + 1}/{total}" if total else "0/0"
        longest = f"{total}/{total}"
        if hidden:
            text += f" · +{hidden} hidden"
            longest += f" · +{hidden} hidden"
        self.position.update(f"{text:>{len(longest)}}", len(longest))

    def set_message(
        self,
        text: str | Content,
        error: bool = False,
        warning: bool = False,
        transient: bool = False,
    ) -> None:
        """``transient``: about where the reader is now (a search match, a mark): the
        next move clears it (:meth:`moved`), so it never goes stale."""
        self._message = safe_content(text)  # a search query, a file name: literally
        self._state = (error, warning and not error)
        self.transient = transient
        self._show()

    def moved(self) -> None:
        """The reader moved: a transient message no longer applies."""
        if self.transient:
            self.set_message("")

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

    _work_started = 0.0
    _progress: tuple[Content, float] | None = None  # the latest step, not shown yet
    _progress_timer: Timer | None = None

    def work_started(self) -> None:
        """Long work (the alignment) starts: its progress shows from QUIET_START on."""
        self._work_started = time.monotonic()

    def progress(self, text: Content, fraction: float) -> None:
        """A step of the work: shown at once after QUIET_START, else kept until then
        (a step that starts early and runs long still shows; a quick alignment never
        paints its steps)."""
        self._progress = (text, fraction)
        if self._progress_timer is not None:
            return
        wait = QUIET_START - (time.monotonic() - self._work_started)
        if wait > 0:
            self._progress_timer = self.set_timer(wait, self._show_progress)
        else:
            self._show_progress()

    def _show_progress(self) -> None:
        self._progress_timer = None
        if self._progress is not None:
            text, fraction = self._progress
            self._progress = None
            self.set_progress(fraction)
            self.set_message(text)

    def set_progress(self, fraction: float | None) -> None:
        """Show the bar at ``fraction``; None hides it (the work ended: a step still
        waiting to be shown is dropped)."""
        if fraction is None:
            self._progress = None
            if self._progress_timer is not None:
                self._progress_timer.stop()
                self._progress_timer = None
        bar = self.query_one("#status-progress", ProgressBar)
        bar.set_class(fraction is None, "-hidden")
        if fraction is not None:
            bar.update(progress=fraction)
