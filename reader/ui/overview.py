"""The overview strip at the right of a pane: the whole document in one column.

Each cell stands for a slice of the sentences and is coloured by what they hold
(unique to this source, shared by some, shared by all); the rows now on screen
are marked, and the current sentence has a pointer. A click jumps there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from reader.ui.messages import Moved

if TYPE_CHECKING:
    from reader.ui.pane import SentenceView


class OverviewStrip(Widget):
    COMPONENT_CLASSES = {"overview--all", "overview--some", "overview--unique",
                         "overview--unknown", "overview--view", "overview--current"}

    DEFAULT_CSS = """
    OverviewStrip {
        width: 1;
        height: 1fr;
        background: $surface-darken-1;
        & > .overview--all { color: $panel-lighten-2; }
        & > .overview--some { color: $success; }
        & > .overview--unique { color: $warning; }
        & > .overview--unknown { color: $panel-lighten-1; }
        & > .overview--view { background: $accent-muted; }
        & > .overview--current { color: $primary-lighten-2; text-style: bold; }
    }
    """

    def __init__(self, view: SentenceView) -> None:
        super().__init__()
        self.view = view
        self._buckets: tuple[int, int, list[str]] | None = None

    def _bucket_classes(self, height: int) -> list[str]:
        from reader.ui.pane import SOME, UNIQUE

        kinds = self.view.kinds
        n = len(self.view.source)
        key = (height, id(kinds))
        if self._buckets is not None and self._buckets[:2] == key:
            return self._buckets[2]
        out = []
        for y in range(height):
            a, b = y * n // height, max(y * n // height + 1, (y + 1) * n // height)
            if kinds is None or a >= n:
                out.append("overview--unknown")
                continue
            part = kinds[a:b]
            unique = sum(1 for k in part if k == UNIQUE)
            some = sum(1 for k in part if k == SOME)
            if unique * 4 >= len(part) and unique:
                out.append("overview--unique")
            elif (some + unique) * 2 >= len(part):
                out.append("overview--some")
            else:
                out.append("overview--all")
        self._buckets = (height, id(kinds), out)
        return out

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._buckets = None

    def render_line(self, y: int) -> Strip:
        height = max(1, self.size.height)
        n = len(self.view.source)
        base = self.rich_style
        if n == 0:
            return Strip.blank(1, base)
        classes = self._bucket_classes(height)
        style = base + self.get_component_rich_style(classes[y], partial=True)
        glyph = "█" if classes[y] != "overview--all" else "▐"
        lay = self.view.wrapped
        if lay is not None and lay.total:
            first = lay.sentence_at(self.view.top_row)
            last = lay.sentence_at(self.view.top_row + self.view.size.height - 1)
            a, b = y * n // height, max(y * n // height + 1, (y + 1) * n // height)
            if a <= last and b > first:
                style = style + self.get_component_rich_style("overview--view", partial=True)
            if a <= self.view.current < b:
                glyph = "◀"
                style = style + self.get_component_rich_style("overview--current", partial=True)
        return Strip([Segment(glyph, style)], 1)

    def on_click(self, event: events.Click) -> None:
        height = max(1, self.size.height)
        n = len(self.view.source)
        if n == 0:
            return
        sentence = min(n - 1, max(0, event.y) * n // height)
        self.view.focus()
        self.post_message(Moved(self.view.index, sentence, max(0, self.view.size.height // 3)))
