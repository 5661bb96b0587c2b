"""One source on screen: its title, its sentence view and its overview strip."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget

from reader.core.alignment.model import Alignment
from reader.core.text.segment import Source
from reader.ui.literal import sanitise
from reader.ui.messages import Moved
from reader.ui.panes.overview import OverviewStrip
from reader.ui.panes.view import SentenceView


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
        self.overview = OverviewStrip()
        # the view tells the strip where it is (a service passed down, no climbing)
        self.view = SentenceView(
            source, index, on_window=self.overview.show_window, id=f"view-{index}"
        )
        self._figures = f"{len(source)} sent."
        self._note = ""
        self.title_bar = TitleBar(self._title(), classes="pane-title")

    def compose(self) -> ComposeResult:
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
        self.overview.set_kinds(self.view.kinds)

    def patch_alignment(
        self, alignment: Alignment, kinds: list[int], sentences: frozenset[int]
    ) -> None:
        """A correction changed the links of ``sentences`` only: re-shade those."""
        lang = f"{self.source.lang} · " if self.source.lang else ""
        figures = (
            f"{lang}{len(self.source)} sent. · {alignment.shared_fraction(self.index):.0%} shared"
        )
        if figures != self._figures:  # a title painted again costs a frame its time
            self._figures = figures
            self.title_bar.update(self._title())
        self.view.patch_alignment(alignment, kinds, sentences)
        if sentences:
            self.overview.patch_kinds(kinds, sentences)

    def on_overview_strip_clicked(self, message: OverviewStrip.Clicked) -> None:
        """A click on the strip: this pane's view takes the focus and the sentence
        clicked becomes current (posted from here: a message the view posted while its
        parent handles one would stop at the parent)."""
        message.stop()
        self.view.focus()
        self.post_message(Moved(self.index, message.sentence, max(0, self.view.size.height // 3)))

    def set_note(self, note: str) -> None:
        if note != self._note:
            self._note = note
            self.title_bar.update(self._title())
