"""One source on screen: its title, its sentence view and its overview strip."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget

from reader.core.alignment.model import Alignment
from reader.core.text.segment import Source
from reader.ui.literal import sanitise
from reader.ui.messages import Moved
from reader.ui.panes.overview import OverviewStrip
from reader.ui.panes.view import Mover, SentenceView


def shorten(name: str, width: int) -> str:
    """``name`` in at most ``width`` cells: the middle gives way, the start and the
    end (the extension, a number) stay: ``000_64ae…bad.txt``."""
    if cell_len(name) <= width:
        return name
    if width <= 1:
        return "…"[:width]
    keep = width - 1
    head = (keep * 3 + 4) // 5
    tail = keep - head
    start = set_cell_size(name, head)
    end = name[len(name) - tail :] if tail else ""
    while cell_len(end) > tail:
        end = end[1:]
    return start + "…" + end


class TitleBar(Widget):
    """One line: the pane's number, its file name and its figures, fitted to the width
    (the name is shortened first, then the figures compacted, so the count and the
    share stay readable); the full name is the tooltip. Updating it repaints without a
    layout pass (a Static would relayout the whole screen, a 100 ms hitch with five
    big panes)."""

    DEFAULT_CSS = """
    TitleBar { height: 1; width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lead = ""  # "▶ " on the leader
        self.number = ""
        self.file_name = ""
        self.figures: tuple[str, str] = ("", "")  # (full, compact)
        self.note = ""
        self.shortened = False  # the name did not fit whole at the last paint

    def update(
        self, lead: str, number: str, name: str, figures: tuple[str, str], note: str
    ) -> None:
        self.lead, self.number, self.file_name, self.figures, self.note = (
            lead,
            number,
            name,
            figures,
            note,
        )
        if self.tooltip != name:
            self.tooltip = name
        self.refresh()

    @property
    def content(self) -> Content:
        return self.fitted(self.size.width or 10_000)

    def fitted(self, width: int) -> Content:
        head = f"{self.lead}{self.number} "
        note = f"  {self.note}" if self.note else ""
        name = self.file_name
        figures = self.figures[0]
        if cell_len(head) + cell_len(name) + 2 + cell_len(figures) + cell_len(note) > width:
            figures = self.figures[1]
            if note:
                note = "  ▸ none"  # "no counterpart here ▸", compact
            room = width - cell_len(head) - cell_len(note) - 2 - cell_len(figures)
            name = shorten(name, max(8, room))
        self.shortened = name != self.file_name
        parts = [(head, "bold"), (name, "bold"), (f"  {figures}", "dim")]
        if note:
            parts.append((note, "bold $text-error"))
        return Content.assemble(*parts)

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
        &.-leader > .pane-title { background: $accent 50%; color: $text; text-style: bold; }
        & > Horizontal { height: 1fr; }
    }
    """

    def __init__(self, source: Source, index: int, mover: Mover | None = None) -> None:
        super().__init__(id=f"pane-{index}")
        self.source = source
        self.index = index
        self.overview = OverviewStrip()
        # the view tells the strip where it is (a service passed down, no climbing)
        self.view = SentenceView(
            source, index, on_window=self.overview.show_window, mover=mover, id=f"view-{index}"
        )
        self._figures = (f"{len(source)} sent.", f"{len(source)}")
        self._note = ""
        self.leader = False
        self.title_bar = TitleBar(classes="pane-title")
        self._retitle()

    def compose(self) -> ComposeResult:
        yield self.title_bar
        with Horizontal():
            yield self.view
            yield self.overview

    def _retitle(self) -> None:
        self.title_bar.update(
            "▶ " if self.leader else "",
            f"{self.index + 1}",
            sanitise(self.source.name),
            self._figures,
            self._note,
        )

    def set_alignment(self, alignment: Alignment | None, kinds: list[int] | None = None) -> None:
        # the language is known once the aligner has recognised it
        self._set_figures(alignment)
        self.view.set_alignment(alignment, kinds)
        self.overview.set_kinds(self.view.kinds)

    def _set_figures(self, alignment: Alignment | None) -> None:
        """The title's figures: language, sentences, the share found elsewhere (and
        their compact form, for a narrow pane)."""
        lang = f"{self.source.lang} · " if self.source.lang else ""
        n = len(self.source)
        full, compact = f"{lang}{n} sent.", f"{n}"
        if alignment is not None:
            share = f"{alignment.shared_fraction(self.index):.0%}"
            full += f" · {share} shared"
            compact += f" · {share}"
        if (full, compact) == self._figures:
            return  # a title painted again costs a frame its time
        self._figures = (full, compact)
        self._retitle()

    def patch_alignment(
        self, alignment: Alignment, kinds: list[int], sentences: frozenset[int]
    ) -> None:
        """A correction changed the links of ``sentences`` only: re-shade those."""
        self._set_figures(alignment)
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

    def set_leader(self, leader: bool) -> None:
        """Whether this is the pane the reader works in (the deck says so)."""
        if leader != self.leader:
            self.leader = leader
            self.set_class(leader, "-leader")
            self._retitle()

    def set_note(self, note: str) -> None:
        if note != self._note:
            self._note = note
            self._retitle()
