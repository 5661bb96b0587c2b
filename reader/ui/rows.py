"""Painting a sentence view's rows: one cached Strip per row and highlight state.

:class:`RowPainter` is mixed into :class:`reader.ui.pane.SentenceView`. A row's
Strip depends on the wrapped layout, the sentence kinds, the hits and the marks
(all of which clear the cache when they change) and, for the few rows of the
current sentence, its counterparts, the gap and the sentences related to it, on
the highlight state, which is part of the cache key. A keypress that moves every pane then paints almost every
visible row from the cache.

``render_lines`` hands those Strips to the compositor directly, with the app's line
filters applied, instead of going through Textual's per-line styles cache: the
view has no border, padding, outline, tint or opacity, so that cache would only
copy each Strip and filter the copy again on every frame. With any of those set,
it falls back to Textual's own path, which gives the same result.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region
from textual.strip import Strip

from reader.ui.wrap import BLANK

# How many sources share a sentence.
ALL, SOME, UNIQUE, BOILER, UNKNOWN = range(5)
KIND_CLASS = {
    ALL: "pane--all",
    SOME: "pane--some",
    UNIQUE: "pane--unique",
    BOILER: "pane--boiler",
    UNKNOWN: "pane--all",
}
GUTTER = 2  # a glyph and a space

#: Rows kept painted: a few screens of plain rows plus the highlighted variants.
CACHE_ROWS = 600


class RowPainter:
    """Row painting for SentenceView (which provides the state used here)."""

    def _init_painter(self) -> None:
        self._cache: LRUCache[object, Strip] = LRUCache(CACHE_ROWS)  # small, for the GC
        self._styles: dict[tuple[str, bool], Style] = {}
        self._blank: Strip | None = None

    def _clear_painted(self) -> None:
        self._cache.clear()

    def _clear_styles(self) -> None:
        self._cache.clear()
        self._styles.clear()
        self._blank = None

    # -- Textual entry points -------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        return self._row_strips(range(self.top_row + y, self.top_row + y + 1), self.size.width)[0]

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self._plain_box():
            return super().render_lines(crop)  # type: ignore[misc]
        width = self.size.width
        top = self.top_row
        y1, y2 = crop.line_range.start, crop.line_range.stop
        strips = self._row_strips(range(top + y1, top + y2), width)
        filters = self.get_line_filters()
        if filters:
            background = self.background_colors[1]
            for line_filter in filters:
                # Strip caches its filtered copy: a cached row is filtered once.
                strips = [strip.apply_filter(line_filter, background) for strip in strips]
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _plain_box(self) -> bool:
        """Whether Textual's styles cache would return the content lines unchanged."""
        styles = self.styles
        return (
            not self.BLANK
            and not any(edge for edge, _ in styles.border)
            and not any(edge for edge, _ in styles.outline)
            and not any(styles.padding)
            and not styles.tint.a
            and styles.text_opacity == 1.0
            and styles.hatch in (None, "none")
            and self.opacity == 1.0
        )

    # -- rows -----------------------------------------------------------------------------
    def _row_strips(self, rows: range, width: int) -> list[Strip]:
        """The (unfiltered) Strip of each row, from the cache where it was painted."""
        lay = self.wrapped
        if lay is None:
            return [self._blank_strip(width)] * len(rows)
        current, marks, gap, related = self.current, self.marks, self.gap, self.related
        leader, visual = self.leader, self.visual_anchor is not None
        any_marks, no_gap = bool(marks), gap is None
        cache = self._cache
        lay_rows, total, sentence_at = lay.rows, lay.total, lay.sentence_at
        out = []
        for row in rows:
            if row >= total or row < 0:
                out.append(self._blank_strip(width))
                continue
            k = sentence_at(row)
            if lay_rows[row] == BLANK:  # the gap between paragraphs is never highlighted
                k = -1
            key: object = row
            if k == current or k in marks or k == gap or k in related or visual:
                spans = marks.get(k)
                key = (
                    row,
                    k == current,
                    leader,
                    any_marks,
                    None if spans is None else tuple(spans),
                    k == gap,
                    no_gap,
                    self.in_visual(k),
                    k in related,
                )
            strip = cache.get(key)
            if strip is None or strip.cell_length != width:
                strip = cache[key] = self._render_row(row, k, width)
            out.append(strip)
        return out

    def _blank_strip(self, width: int) -> Strip:
        blank = self._blank
        if blank is None or blank.cell_length != width:
            blank = self._blank = Strip.blank(width, self.rich_style)
        return blank

    def _style(self, name: str, partial: bool = False) -> Style:
        key = (name, partial)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self.get_component_rich_style(name, partial=partial)
        return style

    def _render_row(self, row: int, k: int, width: int) -> Strip:
        lay = self.wrapped
        assert lay is not None
        if k < 0:
            return Strip.blank(width, self._style("pane--all"))
        kind = self.kinds[k] if self.kinds is not None else UNKNOWN
        base = self._style(KIND_CLASS[kind])
        first = row == lay.first_row[k]
        glyph, gstyle = " ", base
        if kind == UNIQUE:
            glyph, gstyle = "┃", base + self._style("pane--gutter-unique", True)
        elif kind == SOME:
            glyph, gstyle = "│", base + self._style("pane--gutter-some", True)
        highlighted = False
        if k == self.current and (self.leader or k in self.marks):
            base = self._style("pane--current" if self.leader else "pane--match")
            highlighted = True
        elif k in self.marks:
            base = self._style("pane--match")
            highlighted = True
        elif k == self.current and self.gap is None and not self.marks:
            base = self._style("pane--current-blurred")
        if self.visual_anchor is not None and self.in_visual(k):
            base = self._style("pane--visual")
        if highlighted:
            glyph, gstyle = "▌", base + self._style("pane--gutter-current", True)
        if k == self.gap and first:
            glyph, gstyle = "▸", base + self._style("pane--gap", True)
        elif k in self.hits and first:
            glyph, gstyle = "•", base + self._style("pane--hit", True)
        elif k in self.related and not highlighted:
            # related to the current sentence, not a counterpart: a quiet mark only
            glyph, gstyle = "┆", base + self._style("pane--related", True)
        tag = self.marked.get(k)
        mark = (
            Segment("▌", base + self._style(f"pane--tag-{tag}", True))
            if tag
            else Segment(" ", base)
        )
        segments = [Segment(glyph, gstyle), mark]
        s, e = lay.rows[row]
        used = GUTTER
        if (s, e) != BLANK and e > s:
            text = self.display_text
            spans = self.marks.get(k, ())
            diff = base + self._style("pane--diff", True) if spans else base
            pos = s
            for a, b in spans:
                if b <= pos or a >= e:
                    continue
                a = max(a, pos)
                b = min(b, e)
                if a > pos:
                    segments.append(Segment(text[pos:a], base))
                segments.append(Segment(text[a:b], diff))
                pos = b
            if pos < e:
                segments.append(Segment(text[pos:e], base))
            chunk = text[s:e]
            used += len(chunk) if chunk.isascii() else cell_len(chunk)
        if used < width:  # pad here: one Strip per row, not one plus its padded copy
            segments.append(Segment(" " * (width - used), base))
            return Strip(segments, width)
        return Strip(segments, used).adjust_cell_length(width, base)
