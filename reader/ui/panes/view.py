"""The sentence view the reader moves in: keys, wheel and clicks on one source.

:class:`SentenceView` is the :class:`~reader.ui.panes.rows.SentenceRows` of one pane
(one ``ScrollView`` that paints wrapped rows straight from the source text: no widget
per sentence, so eight thousand verses cost no more than eight) plus what the user
does with it. It holds display state only and posts messages: :class:`Moved` when the
user moves (the deck, the one owner of the position, scrolls every pane),
and :class:`StatusNote` for a line in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.actions import SkipAction
from textual.geometry import Size

from reader.core.marks.marks import TAG_COLOURS
from reader.ui.keys import ALIGN_KEYS, MARK_KEYS, PANE_KEYS, bindings
from reader.ui.messages import Moved, Resized, StatusNote
from reader.ui.panes.rows import SentenceRows

#: sources with more sentences than this re-wrap only once a resize has settled
REWRAP_LATER = 2000
RESIZE_SETTLE = 0.08  # seconds without a resize

#: the gutter bar of a mark, in its tag's colour (one rule per tag)
TAG_RULES = "\n".join(
    f"        & > .pane--tag-{name} {{ color: {colour.screen}; }}"
    for name, colour in TAG_COLOURS.items()
)


#: what the view calls when the reader moves it: (source, sentence, screen row)
Mover = Callable[[int, int, "int | None"], None]


class SentenceView(SentenceRows, can_focus=True):
    """The wrapped sentences of one source, painted line by line, moved by the reader."""

    BINDINGS = bindings(PANE_KEYS) + bindings(ALIGN_KEYS) + bindings(MARK_KEYS)

    COMPONENT_CLASSES = {
        "pane--all",
        "pane--some",
        "pane--unique",
        "pane--boiler",
        "pane--current",
        "pane--current-blurred",
        "pane--match",
        "pane--diff",
        "pane--match-word",
        "pane--gutter-some",
        "pane--gutter-unique",
        "pane--gutter-current",
        "pane--gap",
        "pane--hit",
        "pane--hit-word",
        "pane--visual",
        "pane--related",
        *(f"pane--tag-{tag}" for tag in TAG_COLOURS),
    }

    DEFAULT_CSS = (
        """
    SentenceView {
        height: 1fr;
        width: 1fr;
        overflow-y: hidden;
        overflow-x: hidden;
        scrollbar-size-vertical: 0;
        background: $surface;
        color: $foreground;
        & > .pane--all { }
        & > .pane--some { background: $reader-some; }
        & > .pane--unique { background: $reader-unique; }
        & > .pane--boiler { color: $text-disabled; }
        & > .pane--current { background: $reader-current; }
        & > .pane--current-blurred { background: $reader-blurred; }
        & > .pane--match { background: $reader-match; }
        & > .pane--diff { color: $text-warning; text-style: bold underline; }
        & > .pane--match-word { color: $text-success; text-style: bold; }
        & > .pane--gutter-some { color: $success; }
        & > .pane--gutter-unique { color: $warning; }
        & > .pane--gutter-current { color: $primary-lighten-2; text-style: bold; }
        & > .pane--gap { color: $error; text-style: bold; }
        & > .pane--hit { color: $accent; text-style: bold; }
        & > .pane--hit-word { background: $accent 45%; color: $text; }
        & > .pane--visual { background: $reader-visual; }
        & > .pane--related { color: $text-muted; }
"""
        + TAG_RULES
        + """
    }
    """
    )

    def __init__(self, *args, mover: Mover | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # the deck's move, passed down: a key is applied before the next one is read
        # (without a deck, e.g. alone in a test, the move is posted as a message)
        self._mover = mover

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Textual's layout pass gives the view its size: a text seen for the first time,
        or short enough to re-wrap at once, is wrapped now (:meth:`wrap_in_layout`), so
        the frame this pass paints has the text in it."""
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if (
            resized
            and self._rewrap is None
            and (self.wrapped is None or len(self.source) <= REWRAP_LATER)
        ):
            self.wrap_in_layout()
        return resized

    def on_resize(self, event: events.Resize) -> None:
        if (
            self.wrapped is not None
            and self.wrapped.width != self.text_width
            and len(self.source) > REWRAP_LATER
        ):
            # A resize comes in steps (Textual lays the panes out at the old container
            # width first, and a dragged window sends many): re-wrap a long text once,
            # when they stop. Until then the old rows are shown, cut to the new width.
            if self._rewrap is not None:
                self._rewrap.stop()
            self._rewrap = self.set_timer(RESIZE_SETTLE, self._resize_settled)
            self.refresh()
            return
        self.relayout()
        self.post_message(Resized())

    def _resize_settled(self) -> None:
        self._rewrap = None
        self.relayout()
        self.post_message(Resized())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._window_changed()

    def watch_current(self) -> None:
        self._window_changed()
        if self.visual_anchor is not None:
            self.refresh()

    # -- user moves -----------------------------------------------------------------------
    def _post(self, sentence: int, screen_row: int | None = None) -> None:
        n = len(self.source)
        if n == 0:
            return
        sentence = max(0, min(n - 1, sentence))
        if self.hidden and sentence in self.hidden:  # folded by a filter: the next shown
            step = 1 if sentence >= self.current else -1
            found = self.visible_from(sentence, step)
            if found is None:
                found = self.visible_from(sentence, -step)
            if found is None or found == self.current:
                self.app.bell()
                return
            sentence = found
        if self._mover is not None:
            self._mover(self.index, sentence, screen_row)
        else:
            self.post_message(Moved(self.index, sentence, screen_row))

    def action_move(self, step: int) -> None:
        self._post(self.current + step)

    def action_shared(self, step: int) -> None:
        self._next_matching(step, unique=False)

    def action_unique(self, step: int) -> None:
        self._next_matching(step, unique=True)

    def _next_matching(self, step: int, unique: bool) -> None:
        """To the next sentence shared with another source (or unique to this one)."""
        from reader.core.alignment.navigation import next_matching

        found = (
            None
            if self.alignment is None
            else next_matching(self.alignment, self.index, self.current, step, unique)
        )
        if found is None:
            self.app.bell()
            return
        self._post(found)

    # -- visual mode: the app marks the run (app.mark); these start and stop it ---------
    def take_selection(self) -> tuple[int, int, bool]:
        """``(first, last, run)``: the sentences ``m`` marks (the visual run, which ends
        here, or the current sentence)."""
        if self.visual_anchor is None:
            return self.current, self.current, False
        first, last = sorted((self.visual_anchor, self.current))
        self.set_visual(None)
        return first, last, True

    def action_visual(self) -> None:
        if not len(self.source):
            self.app.bell()
            return
        if self.visual_anchor is not None:
            self.action_visual_cancel()
            return
        self.set_visual(self.current)
        self.post_message(
            StatusNote("visual: j/k extend the run, m or Enter marks it, Esc cancels")
        )

    def action_visual_cancel(self) -> None:
        if self.visual_anchor is None:
            raise SkipAction()  # Esc then does what the app binds it to
        self.set_visual(None)
        self.post_message(StatusNote("visual mode cancelled"))

    def on_blur(self) -> None:
        if self.visual_anchor is not None:
            self.set_visual(None)

    def action_edge(self, end: int) -> None:
        self._post(len(self.source) - 1 if end else 0)

    def action_page(self, pages: float) -> None:
        h = max(1, self.size.height)
        delta = max(1, h - 2) if abs(pages) >= 1 else max(1, h // 2)
        self._scroll_by_rows(delta if pages > 0 else -delta, paging=True)

    def _scroll_by_rows(self, delta: int, paging: bool = False) -> None:
        """Scroll by ``delta`` rows keeping the current sentence's screen row: the
        sentence that lands on that row becomes current (less, vim ctrl+d)."""
        lay = self.wrapped
        if lay is None or not len(self.source):
            return
        h = max(1, self.size.height)
        anchor = max(0, min(h - 1, self.screen_row(self.current)))
        limit = max(0, lay.total - h) if paging else max(0, lay.total - 1)
        new_top = max(0, min(limit, self.top_row + delta))
        if new_top == self.top_row:
            if delta > 0 and self.current < len(self.source) - 1:
                return self._post(len(self.source) - 1)
            if delta < 0 and self.current > 0:
                return self._post(0)
            self.app.bell()
            return
        k = lay.sentence_at(new_top + anchor)
        if lay.row_of(k) < new_top and k + 1 < len(self.source):
            k += 1
        self._post(k, lay.row_of(k) - new_top)

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, 3)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, -3)

    def _wheel(self, event: events.MouseEvent, rows: int) -> None:
        """The wheel scrolls the pane under the mouse, which becomes the leader."""
        event.stop()
        event.prevent_default()
        if self.screen.focused is not self:  # has_focus lags behind (set by events)
            self.focus()
        self._scroll_by_rows(rows)

    def on_click(self, event: events.Click) -> None:
        if self.wrapped is None or not len(self.source):
            return
        row = self.top_row + event.y
        if row >= self.wrapped.total:
            return
        k = self.wrapped.sentence_at(row)
        self.focus()
        self._post(k, max(0, self.row_of(k) - self.top_row))
