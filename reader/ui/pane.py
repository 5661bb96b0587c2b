"""One source on screen: a title, a Line-API sentence view and an overview strip.

:class:`SentenceView` is one ``ScrollView`` that paints wrapped rows straight from
the source text (:mod:`reader.ui.rows`): no widget per sentence, so eight thousand
verses cost no more than eight. It holds display state only (the wrapped layout,
its current sentence, the highlights the app gives it) and posts :class:`Moved`
when the user moves; the app, the one owner of the position, scrolls every pane.
"""

from __future__ import annotations

from textual import events
from textual.actions import SkipAction
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.timer import Timer
from textual.widget import Widget

from reader.core.marks import TAGS
from reader.core.model import Alignment, Source
from reader.ui.keys import ALIGN_KEYS, MARK_KEYS, PANE_KEYS, bindings
from reader.ui.messages import Moved, Resized
from reader.ui.overview import OverviewStrip
from reader.ui.rows import ALL, BOILER, GUTTER, SOME, UNIQUE, RowPainter
from reader.ui.wrap import Layout, layout, sanitise

#: sources with more sentences than this re-wrap only once a resize has settled
REWRAP_LATER = 2000
RESIZE_SETTLE = 0.08  # seconds without a resize


def sentence_kinds(alignment: Alignment, source: int) -> list[int]:
    n_sources = len(alignment.sources)
    out = []
    for i in range(len(alignment.sources[source])):
        if alignment.is_boilerplate(source, i):
            out.append(BOILER)
            continue
        sup = alignment.support(source, i)
        out.append(UNIQUE if sup <= 1 else ALL if sup >= n_sources else SOME)
    return out


class SentenceView(RowPainter, ScrollView, can_focus=True):
    """The wrapped sentences of one source, painted line by line."""

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
        "pane--gutter-some",
        "pane--gutter-unique",
        "pane--gutter-current",
        "pane--gap",
        "pane--hit",
        "pane--visual",
        "pane--related",
        *(f"pane--tag-{tag}" for tag in TAGS),
    }

    DEFAULT_CSS = """
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
        & > .pane--gutter-some { color: $success; }
        & > .pane--gutter-unique { color: $warning; }
        & > .pane--gutter-current { color: $primary-lighten-2; text-style: bold; }
        & > .pane--gap { color: $error; text-style: bold; }
        & > .pane--hit { color: $accent; text-style: bold; }
        & > .pane--visual { background: $reader-visual; }
        & > .pane--related { color: $text-muted; }
        & > .pane--tag-yellow { color: #d4b106; }
        & > .pane--tag-green { color: #3fa34d; }
        & > .pane--tag-blue { color: #3d7eff; }
        & > .pane--tag-pink { color: #e055a8; }
        & > .pane--tag-orange { color: #e8772e; }
    }
    """

    current: reactive[int] = reactive(0, layout=False, repaint=False)

    def __init__(self, source: Source, index: int, **kwargs) -> None:
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
        self.hits: frozenset[int] = frozenset()
        self.marked: dict[int, str] = {}  # sentence -> tag of the mark covering it
        self.visual_anchor: int | None = None  # visual mode: where the selection started
        self._rewrap: Timer | None = None  # a re-wrap waiting for a resize to settle
        self._init_painter()

    # -- layout -----------------------------------------------------------------------
    @property
    def text_width(self) -> int:
        return max(4, self.size.width - GUTTER)

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

    def relayout(self) -> None:
        width = self.text_width
        if self.size.width <= 0:
            return
        if (self.wrapped is None or self.wrapped.width != width) and self._rewrap is None:
            self.wrapped = layout(self.source, self.display_text, width)
            self._clear_painted()
        self._update_virtual_size()
        self.refresh()

    def _update_virtual_size(self) -> None:
        total = self.wrapped.total if self.wrapped else 0
        # Blank rows after the end, so any sentence can sit on any screen row: the
        # sync invariant then never has to give way at the end of a short source.
        self.virtual_size = Size(self.size.width, total + max(0, self.size.height - 1))

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
        self.current = sentence
        self.scroll_to(
            y=max(0, self.row_of(sentence) - screen_row), animate=False, force=True, immediate=True
        )
        self.refresh()

    # -- state from the app -------------------------------------------------------------
    def set_alignment(self, alignment: Alignment | None, kinds: list[int] | None = None) -> None:
        """Shade by ``alignment`` (``kinds``: its :func:`sentence_kinds` for this source,
        when already computed)."""
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
    ) -> None:
        self.marks = marks
        self.gap = gap
        self.leader = leader
        self.related = related
        self.refresh()

    def set_hits(self, hits: frozenset[int]) -> None:
        self.hits = hits
        self._clear_painted()
        self.refresh()

    def set_marked(self, marked: dict[int, str]) -> None:
        if marked != self.marked:
            self.marked = dict(marked)
            self._clear_painted()
            self.refresh()

    def set_visual(self, anchor: int | None) -> None:
        self.visual_anchor = anchor
        self.refresh()

    def in_visual(self, k: int) -> bool:
        a = self.visual_anchor
        return a is not None and min(a, self.current) <= k <= max(a, self.current)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._clear_styles()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._update_overview()

    def watch_current(self) -> None:
        self._update_overview()
        if self.visual_anchor is not None:
            self.refresh()

    def _update_overview(self) -> None:
        pane = self.parent.parent if self.parent is not None else None
        if isinstance(pane, SourcePane):
            pane.overview.update_marks()

    # -- user moves -----------------------------------------------------------------------
    def _post(self, sentence: int, screen_row: int | None = None) -> None:
        n = len(self.source)
        if n == 0:
            return
        self.post_message(Moved(self.index, max(0, min(n - 1, sentence)), screen_row))

    def action_move(self, step: int) -> None:
        self._post(self.current + step)

    def _alignment(self) -> Alignment | None:
        return getattr(self.app, "alignment", None)

    def action_shared(self, step: int) -> None:
        from reader.core.navigation import next_shared

        al = self._alignment()
        if al is None:
            return self.app.bell()
        found = next_shared(al, self.index, self.current, step)
        if found is None:
            return self.app.bell()
        self._post(found)

    def action_unique(self, step: int) -> None:
        from reader.core.navigation import next_unique

        al = self._alignment()
        if al is None:
            return self.app.bell()
        found = next_unique(al, self.index, self.current, step)
        if found is None:
            return self.app.bell()
        self._post(found)

    # -- visual mode: the app marks the run (app.mark); these only start and stop it ---
    def action_visual(self) -> None:
        if not len(self.source):
            return self.app.bell()
        if self.visual_anchor is not None:
            return self.action_visual_cancel()
        self.set_visual(self.current)
        self.app.status.set_message("visual: j/k extend the run, m or Enter marks it, Esc cancels")

    def action_visual_mark(self) -> None:
        if self.visual_anchor is None:
            raise SkipAction()
        self.app.action_mark()

    def action_visual_cancel(self) -> None:
        if self.visual_anchor is None:
            raise SkipAction()  # Esc then does what the app binds it to
        self.set_visual(None)
        self.app.status.set_message("visual mode cancelled")

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
            return self.app.bell()
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


class TitleBar(Widget):
    """One line of Content; updating it repaints without a layout pass (a Static would
    relayout the whole screen, a 100 ms hitch with five big panes)."""

    DEFAULT_CSS = """
    TitleBar { height: 1; width: 1fr; }
    """

    def __init__(self, content: Content, **kwargs) -> None:
        super().__init__(**kwargs)
        self.content = content

    def update(self, content: Content) -> None:
        self.content = content
        self.refresh()

    def render(self) -> Content:
        return self.content


class SourcePane(Vertical):
    """Title bar, sentence view and overview strip of one source."""

    DEFAULT_CSS = """
    SourcePane {
        width: 1fr;
        min-width: 20;
        height: 1fr;
        & > .pane-title {
            height: 1;
            width: 1fr;
            background: $panel;
            color: $text-muted;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        &:focus-within > .pane-title { background: $accent 40%; color: $text; }
        & > Horizontal { height: 1fr; }
    }
    """

    def __init__(self, source: Source, index: int) -> None:
        super().__init__(id=f"pane-{index}")
        self.source = source
        self.index = index
        self.view = SentenceView(source, index, id=f"view-{index}")
        self.overview = OverviewStrip(self.view)
        self._figures = f"{len(source)} sent."
        self._note = ""
        self.title_bar = TitleBar(self._title(), classes="pane-title")

    def compose(self):
        yield self.title_bar
        with Horizontal():
            yield self.view
            yield self.overview

    def _title(self) -> Content:
        parts = [
            (f"{self.index + 1} ", "bold"),
            (sanitise(self.source.name), "bold"),
            (f"  {self._figures}", "dim"),
        ]
        if self._note:
            parts.append((f"  {self._note}", "bold $text-error"))
        return Content.assemble(*parts)

    def set_alignment(self, alignment: Alignment | None, kinds: list[int] | None = None) -> None:
        # the language is known once the aligner has recognised it
        lang = f"{self.source.lang} · " if self.source.lang else ""
        self._figures = f"{lang}{len(self.source)} sent."
        if alignment is not None:
            self._figures += f" · {alignment.shared_fraction(self.index):.0%} shared"
        self.title_bar.update(self._title())
        self.view.set_alignment(alignment, kinds)
        self.overview.refresh()

    def set_note(self, note: str) -> None:
        if note != self._note:
            self._note = note
            self.title_bar.update(self._title())
