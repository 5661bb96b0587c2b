"""The overview strip at the right of a pane: the whole document in one column.

Each cell stands for a slice of the sentences and is coloured by what they hold
(unique to this source, shared by some, shared by all); the rows now on screen
are marked, and the current sentence has a pointer. A click jumps there.

The strip is told what to show (the pane sets its shading, the pane's view tells it
where it is); a click posts :class:`OverviewStrip.Clicked` to the pane.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from reader.ui.panes.rows import SOME, UNIQUE, Window


class OverviewStrip(Widget):
    COMPONENT_CLASSES = {
        "overview--all",
        "overview--some",
        "overview--unique",
        "overview--unknown",
        "overview--view",
        "overview--current",
    }

    DEFAULT_CSS = """
    OverviewStrip {
        width: 1;
        height: 1fr;
        background: $surface-darken-1;
        & > .overview--all { color: $panel-lighten-2; }
        & > .overview--some { color: $success; }
        & > .overview--unique { color: $warning; }
        & > .overview--unknown { color: $panel-lighten-1; }
        & > .overview--view { background: $primary-muted; }
        & > .overview--current { color: $foreground; text-style: bold; }
    }
    """

    @dataclass(eq=False)
    class Clicked(Message):
        """A click on the strip: jump to ``sentence``."""

        sentence: int

    def __init__(self) -> None:
        super().__init__()
        self.kinds: list[int] | None = None  # the shading of each sentence (rows.ALL ...)
        self.window: Window = (-1, -1, -1, 0)  # where the view is (see SentenceRows.window)
        self._buckets: tuple[int, int, list[str]] | None = None
        self._strips: dict[tuple[str, bool, bool], Strip] = {}
        self._last_marks: tuple[int, int, int] | None = None
        self._paint: tuple[int, list[str], tuple[int, int, int]] | None = None

    def set_kinds(self, kinds: list[int] | None) -> None:
        """Shade the cells by ``kinds`` (None: not aligned yet)."""
        self.kinds = kinds
        self.refresh()

    def patch_kinds(self, kinds: list[int], sentences: frozenset[int]) -> None:
        """``kinds`` differs from the shading shown in ``sentences`` only (a correction):
        only the cells holding them are judged again, and repainted if they change."""
        old = self._buckets
        if old is None or old[1] != id(self.kinds) or self.kinds is None:
            self.set_kinds(kinds)
            return
        height, _, classes = old
        n = self.sentences
        self.kinds = kinds
        fresh = list(classes)
        for i in sentences:
            y0 = i * height // max(1, n)
            for y in (y0 - 1, y0, y0 + 1):
                if 0 <= y < height:
                    a, b = self._bucket(y, height, n)
                    if a <= i < b:
                        fresh[y] = self._bucket_class(kinds, a, b, n)
        self._buckets = (height, id(kinds), fresh)
        changed = [Region(0, y, 1, 1) for y, (a, b) in enumerate(zip(classes, fresh)) if a != b]
        if changed:
            self.refresh(*changed)

    @staticmethod
    def _bucket(y: int, height: int, n: int) -> tuple[int, int]:
        a = y * n // height
        return a, max(a + 1, (y + 1) * n // height)

    @staticmethod
    def _bucket_class(kinds: list[int] | None, a: int, b: int, n: int) -> str:
        if kinds is None or a >= n:
            return "overview--unknown"
        part = kinds[a:b]
        unique = sum(1 for k in part if k == UNIQUE)
        some = sum(1 for k in part if k == SOME)
        if unique * 4 >= len(part) and unique:
            return "overview--unique"
        if (some + unique) * 2 >= len(part):
            return "overview--some"
        return "overview--all"

    @property
    def sentences(self) -> int:
        return self.window[3]

    def _bucket_classes(self, height: int) -> list[str]:
        kinds = self.kinds
        n = self.sentences
        key = (height, id(kinds))
        if self._buckets is not None and self._buckets[:2] == key:
            return self._buckets[2]
        out = [self._bucket_class(kinds, *self._bucket(y, height, n), n) for y in range(height)]
        self._buckets = (height, id(kinds), out)
        return out

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._buckets = None
        self._strips.clear()
        self._last_marks = None

    def on_resize(self) -> None:
        self._last_marks = None

    def _strip(self, cls: str, in_view: bool, current: bool) -> Strip:
        key = (cls, in_view, current)
        strip = self._strips.get(key)
        if strip is None:
            style = self.rich_style + self.get_component_rich_style(cls, partial=True)
            glyph = "█" if cls != "overview--all" else "▐"
            if in_view:
                style += self.get_component_rich_style("overview--view", partial=True)
            if current:
                glyph = "◀"
                style += self.get_component_rich_style("overview--current", partial=True)
            strip = self._strips[key] = Strip([Segment(glyph, style)], 1)
        return strip

    def _marks(self) -> tuple[int, int, int]:
        """(first, last) rows of the strip now on screen, and the current sentence's row."""
        height = max(1, self.size.height)
        first, last, current, n = self.window
        if n == 0 or first < 0:
            return (-1, -1, -1)
        # bucket y holds sentences [y*n//height, (y+1)*n//height)
        return (first * height // n, last * height // n, current * height // n)

    def show_window(self, window: Window) -> None:
        """Where the view is now: repaint only the cells whose marks changed (the panes
        scroll on every key)."""
        self.window = window
        marks = self._marks()
        old = self._last_marks
        if marks == old:
            return
        self._last_marks = marks
        if old is None or -1 in old or -1 in marks:
            self.refresh()
            return
        was, now = {*range(old[0], old[1] + 1)}, {*range(marks[0], marks[1] + 1)}
        rows = sorted((was ^ now) | {old[2], marks[2]})
        # One region per run of rows: a jump from the top to the bottom repaints the
        # few cells that changed at both ends, not the whole column.
        regions: list[Region] = []
        for y in rows:
            if regions and regions[-1].bottom == y:
                last = regions.pop()
                regions.append(Region(0, last.y, 1, last.height + 1))
            else:
                regions.append(Region(0, y, 1, 1))
        if regions:
            self.refresh(*regions)

    def _paint_state(self) -> tuple[int, list[str], tuple[int, int, int]]:
        """What every line needs: sentences, the class of each cell, the view marks."""
        n = self.sentences
        return n, self._bucket_classes(max(1, self.size.height)) if n else [], self._marks()

    def render_lines(self, crop: Region) -> list[Strip]:
        # worked out once per paint rather than once per line
        self._paint = self._paint_state()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def render_line(self, y: int) -> Strip:
        n, classes, (first, last, current) = self._paint or self._paint_state()
        if n == 0:
            return self._strip("overview--unknown", False, False)
        return self._strip(classes[y], first <= y <= last, y == current)

    def on_click(self, event: events.Click) -> None:
        height = max(1, self.size.height)
        n = self.sentences
        if n == 0:
            return
        self.post_message(self.Clicked(min(n - 1, max(0, event.y) * n // height)))
