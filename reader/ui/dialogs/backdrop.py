"""A modal screen whose tinted background (the reading view under it) is painted again
only where the reading view changed, and the screen under it that says where.

Textual paints a modal screen's translucent background by rendering the whole screen
under it and tinting every segment (``BackgroundScreen``), again on every change down
there: a correction made in the why view re-shades a few sentences of the panes, and
the whole reading view was composed, tinted and cut into lines for it, most of that
frame's time. :class:`BackdropScreen` keeps the tinted lines from one render to the
next, composes again only the lines the screen below reported changed, and tints each
style once; before it paints a frame it lets the screen below hand up what changed
there, so a correction's re-shaded panes are in the same frame as the list on top
(the reading screen's own update would bring them a frame, ~17 ms, later). The lines
are the ones Textual's own path gives (a test compares them);
wherever that path could differ (a text selection, aligned content, links styled) the
screen renders the way Textual does.

:class:`ReadingScreen` is the app's own screen (the reading view). Under a modal
screen, Textual's screen hands the regions that changed to the screen on top and also
marks them dirty on itself, so that on its next update it hands them up again, with
the new ones: once the whole screen was marked (a focus change does that), every
later change under the why view repainted the whole background. The reading screen
hands each change up once, as Textual does for an inline app; it repaints itself
whole when it is on top again (Textual's ``_on_screen_resume``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.geometry import Region
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.strip import Strip

from reader.ui.lines import runs

if TYPE_CHECKING:
    from textual._compositor import Compositor

#: tinted styles kept (a screen has a few hundred)
TINTS_KEPT = 4096
#: per line of a screen, the spans of columns (start, end) its widgets cover
Cover = tuple[tuple[tuple[int, int], ...], ...]


class TintedBackground(BackgroundScreen):
    """Textual's tinted background of a modal screen, with each style tinted once
    (``tints``: kept by the screen from one render to the next). Same segments out."""

    def __init__(self, screen: Screen, color: Color, tints: dict[Style | None, Style]) -> None:
        super().__init__(screen, color)
        self.tints = tints

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        segments = console.render(self.screen._compositor, options)
        return self._tinted(segments)

    def tint(self, style: Style | None) -> Style:
        """``style`` as the tinted background shows it."""
        tinted = self.tints.get(style)
        if tinted is None:
            if len(self.tints) > TINTS_KEPT:
                self.tints.clear()
            (done,) = self.process_segments([Segment("", style)], self.color)
            tinted = self.tints[style] = done.style if done.style is not None else Style()
        return tinted

    def _tinted(self, segments: Iterable[Segment]) -> Iterable[Segment]:
        tint = self.tint
        for segment in segments:
            text, style, control = segment
            yield segment if control else Segment(text, tint(style), control)


class ReadingScreen(Screen):
    """The reading view's screen: under a modal screen, what changed is handed up once."""

    def _compositor_refresh(self) -> None:
        app = self.app
        if self is app.screen or self not in app._background_screens or app.is_inline:
            super()._compositor_refresh()
            return
        dirty = self._compositor._dirty_regions
        if dirty:
            top = app.screen
            if isinstance(top, BackdropScreen):
                top.background_changed(dirty)
            else:
                top.refresh(*dirty)
            dirty.clear()
            self._dirty_widgets.clear()
        app._update_mouse_over(self)


class BackdropScreen(ModalScreen[ScreenResultType]):
    """A modal screen over the reading view, its tinted background kept line by line."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._tints: dict[Style | None, Style] = {}  # per background colour
        self._tinted_by: Color | None = None
        self._styled: dict[Style | None, Style] = {}  # the screen's style + the tint
        self._styled_key: tuple[object, ...] | None = None  # what _render_cache shows
        self._covered: tuple[object, Cover] | None = None  # the map it was computed from

    def render(self) -> RenderableType:
        rendered = super().render()
        if type(rendered) is BackgroundScreen:
            if rendered.color != self._tinted_by:  # a theme change: tint again
                self._tints.clear()
                self._tinted_by = rendered.color
            return TintedBackground(rendered.screen, rendered.color, self._tints)
        return rendered

    def background_changed(self, regions: Iterable[Region]) -> None:
        """The screen below changed in ``regions``: they are painted in this screen's
        next frame with its own changes (``refresh`` would mark the whole screen to be
        repainted after them: a second frame, and other widgets' changes left for it)."""
        self._set_dirty(*regions)
        self._dirty_widgets.add(self)
        self.check_idle()

    def _on_timer_update(self) -> None:
        """Before painting a frame, let the screens below hand up what changed there
        (their own update would come a frame later): a correction re-shades the panes
        and changes the list on top in the same frame."""
        app = self.app
        if self is app.screen and not app._batch_count:
            for screen in app._background_screens:
                if (
                    screen._dirty_widgets
                    or screen._layout_required
                    or screen._scroll_required
                    or screen._repaint_required
                ):
                    screen._on_timer_update()
        super()._on_timer_update()

    def _render_content(self) -> None:
        """The lines of the screen's own content (its background): Textual renders
        them all after any change; here only the lines the screen below changed (its
        dirty regions) are composed again, when nothing else changed."""
        visual = self._render()
        background = getattr(visual, "_renderable", None)
        if not isinstance(background, TintedBackground) or not self._as_textual_does():
            self._styled_key = None
            super()._render_content()
            return
        width, height = self.size
        base = self.visual_style.rich_style
        compositor = background.screen._compositor
        if compositor.size != self.size:  # the screen below not laid out at this size yet
            self._styled_key = None
            super()._render_content()
            return
        cover = self._covered_spans()
        key = (self.size, background.screen, background.color, base, cover)
        old = self._render_cache.lines
        if key == self._styled_key and len(old) == height:
            rows = sorted(
                {y for region in self._dirty_regions for y in region.line_range if 0 <= y < height}
            )
            lines = list(old)
        else:
            self._styled.clear()
            rows = list(range(height))
            lines = [Strip.blank(width)] * height
        if rows:
            hidden = {y: cover[y] for y in rows if y < len(cover) and cover[y]}
            strips = self._background_lines(background, rows, width, hidden)
            for y, strip in zip(rows, strips):
                lines[y] = self._styled_strip(background, strip, base, width)
        self._render_cache = type(self._render_cache)(self.size, lines)
        self._styled_key = key
        self._dirty_regions.clear()

    def _covered_spans(self) -> Cover:
        """Per line of the screen, the spans of columns (start, end) its widgets cover:
        a widget paints every cell of its region, so the background there is never
        seen and is not composed (a dialog hides most of the reading view)."""
        widgets = self._compositor.visible_widgets  # the same dict until a new layout
        if self._covered is not None and self._covered[0] is widgets:
            return self._covered[1]
        height = self.size.height
        spans: list[list[tuple[int, int]]] = [[] for _ in range(height)]
        for widget, (region, clip) in widgets.items():
            shown = region.intersection(clip)
            if widget is self or not shown:
                continue
            for y in range(max(shown.y, 0), min(shown.bottom, height)):
                spans[y].append((shown.x, shown.right))
        cover = tuple(tuple(_merged(row)) for row in spans)
        self._covered = (widgets, cover)
        return cover

    def _compositor_refresh(self) -> None:
        """A widget on top that moved, shrank or went (a notification) uncovers
        background never composed: the whole background is composed again."""
        if self._styled_key is not None and self._styled_key[-1] != self._covered_spans():
            self._styled_key = None
            self._set_dirty()
            self._compositor._dirty_regions.add(self.size.region)
        super()._compositor_refresh()

    def _as_textual_does(self) -> bool:
        """Whether Textual's path would only tint and style the lines (no selection,
        no alignment, no link styles, no padding to the width)."""
        return (
            self.text_selection is None
            and self.styles.content_align == ("left", "top")
            and self.is_container
        )

    def _background_lines(
        self,
        background: TintedBackground,
        rows: list[int],
        width: int,
        hidden: dict[int, tuple[tuple[int, int], ...]] | None = None,
    ) -> list[Strip]:
        """The lines ``rows`` of the screen below, as its compositor composes them;
        the parts of a line that ``hidden`` lists wholly (spans of columns) blank."""
        compositor = background.screen._compositor
        if not hidden and len(rows) == len(compositor.cuts) and rows == list(range(len(rows))):
            return compositor.render_strips()[: len(rows)]
        return compose_rows(compositor, rows, hidden)

    def _styled_strip(
        self, background: TintedBackground, strip: Strip, base: Style, width: int
    ) -> Strip:
        """A line of the screen below, tinted and under the screen's own style (what
        Textual's ``_Styled`` adds to every segment), cut to ``width``."""
        styled, tint = self._styled, background.tint
        out = []
        for text, style, control in strip:
            if control:  # as _Styled: the screen's style, no tint, no control
                out.append(Segment(text, base + style if base else style))
                continue
            done = styled.get(style)
            if done is None:
                if len(styled) > TINTS_KEPT:
                    styled.clear()
                done = styled[style] = base + tint(style) if base else tint(style)
            out.append(Segment(text, done))
        line = Strip(out)
        return line.crop(0, width) if line.cell_length > width else line


def compose_rows(
    compositor: Compositor,
    rows: list[int],
    hidden: dict[int, tuple[tuple[int, int], ...]] | None = None,
) -> list[Strip]:
    """The lines ``rows`` (ascending) of the screen ``compositor`` composes, as its
    ``_render_chops`` composes them, asking each widget for those lines only (the
    compositor renders every widget the rows cross whole: five panes for one line).
    ``hidden``: per line, spans of columns never seen; a part of the line (between two
    cuts) wholly inside one is left blank, and a widget seen only there is not asked."""
    cuts = compositor.cuts
    hidden = hidden or {}
    chops: dict[int, dict[int, Strip | None]] = {}
    for y in rows:
        spans = hidden.get(y)
        chops[y] = _parts(cuts[y], spans) if spans else dict.fromkeys(cuts[y][:-1])
    # per line, the cuts (ascending) whose part no widget painted yet
    open_cuts = {y: [cut for cut, part in chops[y].items() if part is None] for y in rows}
    for widget, (region, clip) in compositor.visible_widgets.items():  # front to back
        shown = region.intersection(clip)
        if not shown:
            continue
        first_cut, last_cut = shown.column_span
        top = shown.y
        wanted = []
        for y in rows[bisect_left(rows, top) : bisect_left(rows, top + shown.height)]:
            row_open = open_cuts[y]
            i = bisect_left(row_open, first_cut)
            if i < len(row_open) and row_open[i] < last_cut:
                wanted.append(y)
        for start, end in runs(wanted):
            strips = widget.render_lines(
                Region(shown.x - region.x, start - region.y, shown.width, end - start)
            )
            for y, strip in zip(range(start, end), strips):
                line, row_cuts = chops[y], cuts[y]
                final = row_cuts[
                    bisect_left(row_cuts, first_cut) : bisect_right(row_cuts, last_cut)
                ]
                for cut, part in zip(final, strip.divide([cut - shown.x for cut in final[1:]])):
                    # painted front to back: the first wins; a hidden part is blank already
                    if cut in line and line[cut] is None:
                        line[cut] = part
                open_cuts[y] = [cut for cut in open_cuts[y] if line.get(cut) is None]
    out = []
    for y in rows:
        parts = list(chops[y].values())
        if None in parts:  # a hole: compose as Textual does
            crop = Region(0, y, compositor.size.width, 1)
            parts = list(compositor._render_chops(crop, {y}.__contains__)[y].values())
        out.append(Strip.join(cast("list[Strip]", parts)))
    return out


def _parts(row_cuts: list[int], spans: tuple[tuple[int, int], ...]) -> dict[int, Strip | None]:
    """The parts of a line between ``row_cuts``, in order: None for a part to paint, one
    blank strip for each run of parts wholly inside the hidden ``spans`` (sorted)."""
    line: dict[int, Strip | None] = {}
    blank_from: int | None = None
    k = 0
    for cut, end in zip(row_cuts, row_cuts[1:]):
        while k < len(spans) and spans[k][1] <= cut:
            k += 1
        if k < len(spans) and spans[k][0] <= cut and end <= spans[k][1]:
            if blank_from is None:
                blank_from = cut
            continue
        if blank_from is not None:
            line[blank_from] = Strip.blank(cut - blank_from)
            blank_from = None
        line[cut] = None
    if blank_from is not None:
        line[blank_from] = Strip.blank(row_cuts[-1] - blank_from)
    return line


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (start, end) sorted, those that overlap or touch as one."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
