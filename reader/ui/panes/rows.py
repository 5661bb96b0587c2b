"""A source's sentences on screen: the display state of a pane and the painting of
its rows, one cached Strip per row and highlight state.

:class:`SentenceRows` is a ``ScrollView`` that holds what a pane shows (the wrapped
layout, the current sentence, the highlights, hits and marks the deck gives it) and
paints it line by line; :class:`reader.ui.panes.view.SentenceView` adds what the user
does with it (keys, wheel, clicks). A row's Strip depends on the wrapped layout, the sentence kinds, the hits and the marks
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

from collections.abc import Callable, Iterable, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from reader.core.alignment.model import Alignment
from reader.core.text.segment import Source
from reader.ui.literal import sanitise
from reader.ui.panes.shading import (
    ALL,
    BOILER,
    SOME,
    UNIQUE,
    UNKNOWN,
    sentence_kinds,
)
from reader.ui.panes.wrap import BLANK, FOLD, Layout, layout

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


#: (first sentence on screen, last, current, sentences): what the overview strip marks
Window = tuple[int, int, int, int]


class SentenceRows(ScrollView):
    """The wrapped sentences of one source and what is highlighted, painted line by line."""

    current: reactive[int] = reactive(0, layout=False, repaint=False)

    def __init__(
        self,
        source: Source,
        index: int,
        on_window: Callable[[Window], None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.index = index
        self.display_text = sanitise(source.text)
        self.kinds: list[int] | None = None
        self.wrapped: Layout | None = None
        self.leader = False
        # sentence -> differing-word spans, for the current sentence and its counterparts
        self.marks: dict[int, list[tuple[int, int]]] = {}
        self.gap: int | None = None  # sentence before which a missing counterpart would sit
        self.related: frozenset[int] = frozenset()  # related to the leader's sentence
        self.hit_spans: dict[int, list[tuple[int, int]]] = {}  # search matches
        self.word_kind = "differences"  # what ``marks`` spans are: matches or differences
        self.hidden: frozenset[int] = frozenset()  # folded away by a filter
        #: linked by the reader to the leader's sentence (and that sentence itself, when
        #: it has such a link): a gutter mark sets these links apart from computed ones
        self.corrected: frozenset[int] = frozenset()
        self.marked: dict[int, str] = {}  # sentence -> tag of the mark covering it
        self.visual_anchor: int | None = None  # visual mode: where the selection started
        self._rewrap: Timer | None = None  # a re-wrap waiting for a resize to settle
        self.alignment: Alignment | None = None  # what the shading shows (None: not aligned)
        self._on_window = on_window  # told where the view is (the pane's overview strip)
        self._cache: LRUCache[object, Strip] = LRUCache(CACHE_ROWS)  # small, for the GC
        self._styles: dict[tuple[str, bool], Style] = {}
        self._blank: Strip | None = None

    # -- layout -----------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        return max(4, self.size.width - GUTTER)

    def relayout(self) -> None:
        if self.size.width <= 0:
            return
        before = self.virtual_size
        rewrapped = self._rewrap is None and self._wrap()
        self.virtual_size = self._scrolled_size()
        if rewrapped or self.virtual_size != before:  # else nothing painted has changed
            self.refresh()
        self._window_changed()

    def wrap_in_layout(self) -> None:
        """Wrap at the width Textual's layout pass has just given the view, from inside
        that pass (:meth:`SentenceView._size_updated`): the frame it paints then has
        the text. Wrapped later (the Resize event), the panes' rows come one layout and
        one paint of every pane after their first frame. The virtual size is set
        without asking for another layout (it only scrolls: the view has no scrollbar);
        the Resize event's :meth:`relayout` then finds nothing to do."""
        if self.size.width > 0 and self._wrap():
            self.set_reactive(SentenceRows.virtual_size, self._scrolled_size())

    def _wrap(self) -> bool:
        """Wrap the rows at the text width, unless they are wrapped at it; True if so."""
        width = self.text_width
        if self.wrapped is not None and self.wrapped.width == width:
            return False
        self.wrapped = layout(self.source, self.display_text, width, self.hidden)
        self._clear_painted()
        return True

    def _scrolled_size(self) -> Size:
        """The virtual size: the rows, and blank rows after the end, so any sentence can
        sit on any screen row (the sync invariant then never has to give way at the end
        of a short source)."""
        total = self.wrapped.total if self.wrapped else 0
        return Size(self.size.width, total + max(0, self.size.height - 1))

    def row_of(self, sentence: int) -> int:
        return self.wrapped.row_of(sentence) if self.wrapped else 0

    @property
    def top_row(self) -> int:
        return round(self.scroll_y)

    def screen_row(self, sentence: int) -> int:
        return self.row_of(sentence) - self.top_row

    def natural_row(self, sentence: int) -> int:
        """The screen row for ``sentence`` after the smallest scroll that shows it."""
        if self.wrapped is None:
            return 0
        h = max(1, self.size.height)
        top = self.wrapped.row_of(sentence)
        height = min(self.wrapped.height_of(sentence), h)
        margin = 2 if h >= 10 else 0
        lo = min(margin, top)
        hi = max(lo, h - height - margin)
        return max(lo, min(hi, top - self.top_row))

    def show_sentence(self, sentence: int, screen_row: int) -> None:
        """Scroll (no animation) so ``sentence`` starts on ``screen_row``."""
        moved = sentence != self.current
        self.current = sentence
        # a scroll repaints the view by itself (ScrollView.watch_scroll_y); the rows
        # whose highlight changed were repainted by set_highlight
        self.scroll_to(
            y=max(0, self.row_of(sentence) - screen_row), animate=False, force=True, immediate=True
        )
        if moved:
            self.refresh()
        self._window_changed()

    def window(self) -> Window:
        """The sentences on screen (first, last), the current one and how many there are."""
        n = len(self.source)
        lay = self.wrapped
        if n == 0 or lay is None or not lay.total:
            return (-1, -1, -1, n)
        return (
            lay.sentence_at(self.top_row),
            lay.sentence_at(self.top_row + self.size.height - 1),
            self.current,
            n,
        )

    def _window_changed(self) -> None:
        if self._on_window is not None:
            self._on_window(self.window())

    # -- state from the deck -------------------------------------------------------------
    def set_alignment(self, alignment: Alignment | None, kinds: list[int] | None = None) -> None:
        """Shade by ``alignment`` (``kinds``: its :func:`sentence_kinds` for this source,
        when already computed)."""
        self.alignment = alignment
        if alignment is None:
            self.kinds = None
        else:
            self.kinds = kinds if kinds is not None else sentence_kinds(alignment, self.index)
        self._clear_painted()
        self.refresh()

    def set_highlight(
        self,
        marks: dict[int, list[tuple[int, int]]],
        gap: int | None,
        leader: bool,
        related: frozenset[int] = frozenset(),
        corrected: frozenset[int] = frozenset(),
    ) -> None:
        old_marks, old_gap, old_leader = self.marks, self.gap, self.leader
        old_related, old_corrected = self.related, self.corrected
        self.marks = marks
        self.gap = gap
        self.leader = leader
        self.related = related
        self.corrected = corrected
        if (marks, gap, leader, related, corrected) == (
            old_marks,
            old_gap,
            old_leader,
            old_related,
            old_corrected,
        ):
            return
        # only the rows of the sentences highlighted before or now can look different
        # (and the current sentence's, which the others' presence blurs)
        self._refresh_sentences(
            {self.current, gap, old_gap}
            | marks.keys()
            | old_marks.keys()
            | related
            | old_related
            | corrected
            | old_corrected
        )

    def patch_alignment(
        self, alignment: Alignment, kinds: list[int], sentences: frozenset[int]
    ) -> None:
        """Shade by ``alignment`` where only ``sentences`` changed (a correction): their
        painted rows are dropped, every other row stays cached."""
        self.alignment = alignment
        self.kinds = kinds
        lay = self.wrapped
        if lay is None or not sentences:
            return
        rows: set[int] = set()
        for k in sentences:
            top = lay.row_of(k)
            rows.update(range(top, top + lay.height_of(k)))
        cache = self._cache
        for key in list(cache.keys()):
            row = key if isinstance(key, int) else key[0]  # type: ignore[index]
            if row in rows:
                cache.discard(key)
        self._refresh_sentences(sentences)

    def _refresh_sentences(self, sentences: Iterable[int | None]) -> None:
        """Repaint the screen rows of ``sentences`` that are on screen, nothing else."""
        lay = self.wrapped
        if lay is None:
            self.refresh()
            return
        top, height, width, n = self.top_row, self.size.height, self.size.width, len(self.source)
        regions = []
        for k in sentences:
            if k is None or not 0 <= k < n:
                continue
            a = lay.row_of(k) - top
            b = min(height, a + lay.height_of(k))
            a = max(0, a)
            if a < b:
                regions.append(Region(0, a, width, b - a))
        if regions:
            self.refresh(*regions)

    @property
    def hits(self) -> frozenset[int]:
        """The sentences with a search match."""
        return frozenset(self.hit_spans)

    def set_hits(self, hit_spans: dict[int, list[tuple[int, int]]]) -> None:
        self.hit_spans = dict(hit_spans)
        self._clear_painted()
        self.refresh()

    def set_marked(self, marked: dict[int, str]) -> None:
        if marked != self.marked:
            self.marked = dict(marked)
            self._clear_painted()
            self.refresh()

    def set_hidden(self, hidden: frozenset[int]) -> None:
        """Fold the sentences ``hidden`` (a filter): each run becomes one row."""
        if hidden != self.hidden:
            self.hidden = hidden
            self.wrapped = None
            self._clear_painted()
            self.relayout()

    def visible_from(self, sentence: int, step: int) -> int | None:
        """The first sentence from ``sentence`` (itself included) in direction ``step``
        that no filter hides; None when there is none that way."""
        n = len(self.source)
        k = sentence
        while 0 <= k < n:
            if k not in self.hidden:
                return k
            k += 1 if step >= 0 else -1
        return None

    def set_visual(self, anchor: int | None) -> None:
        self.visual_anchor = anchor
        self.refresh()

    def in_visual(self, k: int) -> bool:
        a = self.visual_anchor
        return a is not None and min(a, self.current) <= k <= max(a, self.current)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()
        self._blank = None

    def _clear_painted(self) -> None:
        self._cache.clear()

    # -- Textual entry points -------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        return self._row_strips(range(self.top_row + y, self.top_row + y + 1), self.size.width)[0]

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self._plain_box():
            return super().render_lines(crop)
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
        corrected = self.corrected
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
            if lay_rows[row][0] == FOLD:  # a run of sentences a filter hides
                fold_key = ("fold", row, lay_rows[row][1])
                strip = cache.get(fold_key)
                if strip is None or strip.cell_length != width:
                    strip = cache[fold_key] = self._fold_strip(lay_rows[row][1], width)
                out.append(strip)
                continue
            if lay_rows[row] == BLANK:  # the gap between paragraphs is never highlighted
                k = -1
            key: object = row
            if k in (current, gap) or k in marks or k in related or visual:
                spans = marks.get(k)
                key = (
                    row,
                    k == current,
                    leader,
                    any_marks,
                    None if spans is None else (self.word_kind, tuple(spans)),
                    k == gap,
                    no_gap,
                    self.in_visual(k),
                    k in related,
                    k in corrected,
                )
            strip = cache.get(key)
            if strip is None or strip.cell_length != width:
                strip = cache[key] = self._render_row(row, k, width)
            out.append(strip)
        return out

    def _fold_strip(self, n: int, width: int) -> Strip:
        style = self._style("pane--boiler")
        text = f"  … {n} sentence{'' if n == 1 else 's'} …"
        return Strip([Segment(text, style)], cell_len(text)).adjust_cell_length(width, style)

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

    def _word_class(self) -> str:
        return "pane--match-word" if self.word_kind == "matches" else "pane--diff"

    def _overlaid(
        self,
        s: int,
        e: int,
        base: Style,
        words: Sequence[tuple[int, int]],
        found: Sequence[tuple[int, int]],
    ) -> list[Segment]:
        """The text ``s:e`` as segments: ``words`` (differing or matching words) and
        ``found`` (a search match) styled on top of ``base``, where they overlap too."""
        word_style = self._style(self._word_class(), True)
        hit_style = self._style("pane--hit-word", True)
        cuts = {s, e}
        for a, b in (*words, *found):
            if a < e and b > s:
                cuts.update((max(a, s), min(b, e)))
        points = sorted(cuts)
        text = self.display_text
        out = []
        for a, b in zip(points, points[1:]):
            style = base
            if any(x <= a and b <= y for x, y in words):
                style = style + word_style
            if any(x <= a and b <= y for x, y in found):
                style = style + hit_style
            out.append(Segment(text[a:b], style))
        return out

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
            # a link the reader made (or this sentence's, when it has one) looks different
            glyph = "◆" if k in self.corrected else "▌"
            gstyle = base + self._style("pane--gutter-current", True)
        if k == self.gap and first:
            glyph, gstyle = "▸", base + self._style("pane--gap", True)
        elif k in self.hit_spans and first:
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
            found = self.hit_spans.get(k, ())
            if found:
                segments.extend(self._overlaid(s, e, base, spans, found))
            else:
                diff = base + self._style(self._word_class(), True) if spans else base
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
