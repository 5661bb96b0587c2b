"""The reading view's shell: the app that holds the panes, the marks, the status line
and the search box, runs the long work in workers and routes messages.

What it holds, each owning its state (attributes down, messages up):

- :class:`~reader.ui.panes.deck.PaneDeck`: one pane per source and the one owner of
  "where we are" (a pane the user moves posts ``Moved``; the deck lines every pane up);
- :class:`~reader.ui.marks.keeper.MarkKeeper`: the marks, their saving and loading;
  :class:`~reader.ui.marks.panel.MarksPanel` lists them;
- :class:`~reader.ui.search.SearchBar` (the last search's matches) and
  :class:`~reader.ui.status.StatusBar`.

The app loads and aligns in workers, gives the deck and the keeper the sources and the
alignment (at the strictness shown), and turns keys and messages into calls on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from reader.core.text.load import Document
from reader.core.text.segment import Source
from reader.settings import Settings
from reader.ui.aligner import (
    Aligner,
    AlignmentReady,
    AlignmentStopped,
    LoadFailed,
    LoadProgress,
    SourcesReady,
    StrictnessReady,
)
from reader.ui.collector import CHECK_EVERY, HOLD_LIMIT, QuietCollector
from reader.ui.footer import ReaderFooter
from reader.ui.keys import APP_KEYS, bindings
from reader.ui.literal import safe_content, sanitise
from reader.ui.marks.corrections import CorrectionKeeper
from reader.ui.marks.keeper import MarkKeeper, marks_file
from reader.ui.marks.panel import MarksPanel
from reader.ui.messages import (
    CorrectionsChanged,
    LinkPending,
    MarksChanged,
    SearchDone,
    StatusNote,
)
from reader.ui.panes.deck import PaneDeck
from reader.ui.panes.levels import Prepared, Strictness, describe, next_level
from reader.ui.panes.palette import tint_variables
from reader.ui.preferences import Preferences
from reader.ui.search import SearchBar
from reader.ui.status import StatusBar
from reader.ui.undo import UndoStack

if TYPE_CHECKING:
    from textual.command import Provider

    from reader.core.alignment.model import Alignment
    from reader.ui.align_process import AlignProcess
    from reader.ui.dialogs.why import WhyScreen


#: characters of text split into sentences before the first frame rather than in a
#: worker (about 10 ms: a handful of news articles; a book goes to the worker)
SEGMENT_AT_ONCE = 200_000
#: seconds the first frame of a few articles waits for the alignment process's result:
#: it needs ~0.25 s of CPU from launch, about what the interface needs to its first
#: frame; a frame painted without it would be painted again once it came
EARLY_WAIT = 0.1
#: seconds after a frame is composed by which the driver's writer thread has written it
FRAME_WRITTEN = 0.05


def _reader_commands() -> type[Provider]:
    """Our command-palette commands, imported when the palette first opens (the
    palette's module is not needed for the first frame)."""
    from reader.ui.commands import ReaderCommands

    return ReaderCommands


class ReaderApp(App[None]):
    TITLE = "reader"
    CSS_PATH = "reader.tcss"
    BINDINGS = bindings(APP_KEYS)

    def __init__(
        self,
        documents: Sequence[Document],
        warnings: Iterable[str] = (),
        marks_path: Path | bool | None = True,
        exit_on_signals: bool = False,
        align_process: AlignProcess | None = None,
        settings: Settings | None = None,
    ) -> None:
        """``marks_path``: the marks save file; True (default) for the sidecar next to
        the documents (none for documents not read from files), None for no saving.
        ``exit_on_signals``: SIGTERM, SIGHUP, SIGINT quit as q does (see ui/signals.py).
        ``align_process``: the alignment of ``documents`` already running in a process
        of its own (see ui/align_process.py); without it the app aligns in a thread.
        ``settings``: the reader's settings (default: the defaults, saved nowhere; the
        command line reads the settings file)."""
        super().__init__()
        self.preferences = Preferences(settings, id="preferences")
        self.exit_on_signals = exit_on_signals
        self.documents = list(documents)
        self.warnings = list(warnings)
        self.marks_path = marks_file(self.documents) if marks_path is True else marks_path or None
        self.sources: list[Source] = []
        self.strictness = Strictness()
        self.unaligned = ""  # why there is no alignment and will be none (when so)
        self.exit_errors: list[str] = []  # what went wrong while closing (shown after)
        self.collector = QuietCollector()
        self.collector.hold()  # until the first aligned frame (see ui/collector.py)
        self.panel = MarksPanel(id="marks-panel")
        self.deck = PaneDeck(
            reserved=self._panel_width,
            activity=self.collector.touch,
            position=self._show_position,
            user_moved=self._user_moved,
            id="panes",
        )
        self.history = UndoStack()  # ctrl+z / ctrl+y: every change the reader made
        self.marks = MarkKeeper(self.marks_path, history=self.history, id="marks")
        self.corrections = CorrectionKeeper(
            self.marks_path,
            self.deck,
            self.strictness,
            shown=self._alignment_to_views,
            history=self.history,
            quiet=lambda: self.collector.quiet_frame(self.call_after_refresh),
            id="corrections",
        )
        self.search_bar = SearchBar(id="search")
        self.status_bar = StatusBar(id="status")
        self.aligner = Aligner(align_process, id="aligner")

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus the pane tints (``$reader-some`` ...), kept
        apart on the terminal's palette (see :mod:`reader.ui.panes.palette`)."""
        variables = super().get_css_variables()
        variables.update(tint_variables(variables))
        return variables

    # -- building ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The reading view's screen (see :class:`~reader.ui.dialogs.backdrop.ReadingScreen`)."""
        from reader.ui.dialogs.backdrop import ReadingScreen

        return ReadingScreen(id="_default")

    def compose(self) -> ComposeResult:
        message = Static(Content(f"Reading {len(self.documents)} sources…"), id="message")
        if self.documents and sum(len(d.text) for d in self.documents) <= SEGMENT_AT_ONCE:
            # a few articles split in milliseconds: the panes are in the first layout
            # (no "Reading N sources" frame, no second layout of the screen)
            from reader.core.text.segment import segment

            self.sources = segment(self.documents)
            self.deck.take(self.sources)
            message.add_class("-hidden")
        yield message
        with Horizontal(id="body"):
            yield self.deck
            yield self.panel
        yield self.search_bar
        yield self.status_bar
        yield ReaderFooter()
        yield self.marks
        yield self.corrections
        yield self.aligner
        yield self.preferences

    @property
    def settings(self) -> Settings:
        return self.preferences.settings

    @property
    def status(self) -> StatusBar:
        return self.status_bar

    @property
    def alignment(self) -> Alignment | None:
        """The alignment the panes show (at the strictness shown), once it is ready."""
        return self.deck.alignment

    def _show_position(self, sentence: int, total: int, hidden: int) -> None:
        self.status.set_position(sentence, total, hidden)

    def _user_moved(self) -> None:
        self.status.moved()

    def _panel_width(self) -> int:
        """Columns the marks panel takes beside the panes (0 when closed)."""
        panel = self.panel
        return (panel.outer_size.width or panel.WIDTH) if panel.is_open else 0

    def on_load(self) -> None:
        if self.exit_on_signals:  # before the terminal is in application mode
            from reader.ui.signals import install_exit_signals

            install_exit_signals(self)  # removed when the event loop closes

    def _apply_settings(self) -> None:
        """The settings file's choices (what cannot be used is said in one notice); a
        theme chosen later is written back."""
        settings = self.settings
        theme, keymap, problem = self.preferences.usable(self.available_themes)
        if theme:
            self.theme = theme
        if keymap:
            self.set_keymap(keymap)
        if problem:
            self.notify(problem, title="warning", severity="warning", timeout=10)
        self.deck.sync_on = settings.sync
        self.status.set_sync(settings.sync)
        self.deck.word_mode = settings.words
        if settings.strictness != self.strictness.shown:
            self.strictness.wanted = settings.strictness  # applied once prepared
            self.status.set_strictness(self.strictness.shown, settings.strictness)
        self.theme_changed_signal.subscribe(self, lambda theme: self.remember(theme=theme.name))

    def remember(self, **choices: object) -> None:
        """Write a choice made in the app to the settings file (in a thread)."""
        self.preferences.remember(**choices)

    async def on_mount(self) -> None:
        self.set_timer(HOLD_LIMIT, self.collector.release)
        self._apply_settings()
        for w in self.warnings:
            self.notify(w, title="warning", severity="warning", markup=False, timeout=8)
        if not self.documents:
            self._fail_screen("No text to show: no usable files were given.")
            return
        # no progress bar yet: it shows once the alignment has run a while (status.py)
        if self.deck.panes:  # composed with the screen (see compose)
            self.deck.sources_shown()
            self._sources_shown(composed=True)
            return
        self.status.set_message("segmenting…")
        self.aligner.load(self.documents)

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Every notification shows file names and text literally (never as markup)."""
        kwargs["markup"] = False
        super().notify(str(safe_content(message)), title=sanitise(str(title)), **kwargs)

    def _fail_screen(self, text: str) -> None:
        msg = self.query_one("#message", Static)
        msg.update(safe_content(text))
        msg.add_class("-error")
        msg.remove_class("-hidden")
        self.status.set_progress(None)
        self.status.set_message(text, error=True)

    def on_status_note(self, message: StatusNote) -> None:
        self.status.set_message(message.text, error=message.error, transient=message.transient)

    async def on_sources_ready(self, message: SourcesReady) -> None:
        self.sources = message.sources
        self.query_one("#message").add_class("-hidden")
        # awaited, so the first pane can take the focus at once (below): a key pressed
        # as soon as the text shows must reach it, not the widget focused at start-up
        await self.deck.show_sources(self.sources)
        self._sources_shown()

    def _sources_shown(self, composed: bool = False) -> None:
        """The panes are mounted: the marks, the corrections and the alignment start.
        ``composed``: with the screen, before its first frame (a few articles)."""
        deck = self.deck
        self.marks.start(self.sources)
        self.corrections.start(self.sources)
        early = None  # the default level, when the child has already sent it
        if len(self.sources) == 1:
            self.unaligned = "one source: nothing is aligned"
            self.collector.release()
            note = "one source: read-only, nothing to compare it with"
            self.status.set_progress(None)
            self.status.set_message(note)
            self.notify(note, title="reader", markup=False)
        else:
            self.status.set_message("aligning…")
            self.status.work_started()
            process = self.aligner.process
            if process is not None:  # reading its pipe imports nothing
                # the child was quicker than the panes (a few articles): the first
                # frame is aligned, the levels after it come through the worker
                early = process.early(self.sources, EARLY_WAIT if composed else 0.0)
                self.aligner.start(self.sources, shown=early is not None)
            else:  # numpy and scipy load in the worker: after the text is on screen
                self.call_after_refresh(self.aligner.start, self.sources)
        # nothing the user chose has the focus yet (what Textual focused at start-up is
        # in the closed marks panel); the pane's own screen, should a modal be open
        first = deck.panes[deck.shown[0] if deck.shown else 0].view
        first.screen.set_focus(first)
        if early is not None:
            self.on_alignment_ready(AlignmentReady(early))

    def on_load_progress(self, message: LoadProgress) -> None:
        self.status.progress(Content(f"aligning: {message.text}"), message.fraction)

    def on_alignment_ready(self, message: AlignmentReady) -> None:
        self.status.set_sync(self.deck.sync_on)
        levels = self.strictness
        wanted = levels.target
        prepared = self.corrections.corrected(message.prepared)
        levels.add(prepared)
        self._show_level(prepared, resync=False)
        self.status.set_progress(None)
        # after the frame is written, not only composed: Textual's writer thread needs
        # the GIL, which the collection below would hold for tens of milliseconds
        self.call_after_refresh(self.set_timer, FRAME_WRITTEN, self._after_aligned_frame)
        notes = message.prepared.alignment.notes
        if notes:
            # how the alignment was made matters (sources in different languages without
            # the encoder): the first note stays in the status line, every note is shown
            for note in notes:  # (notify and the status line show text literally)
                self.notify(note, title="alignment", severity="warning", timeout=12)
            more = f" (+{len(notes) - 1} more)" if len(notes) > 1 else ""
            self.status.set_message(notes[0] + more, warning=True)
        else:
            self.status.set_message(
                f"aligned: {message.prepared.counterparts} counterpart links"
                f", {message.prepared.related} related"
            )
        self.marks.set_alignment(prepared.alignment)
        self.deck.resync()
        if wanted != levels.shown:  # chosen while the aligner ran
            self.set_strictness(wanted)

    def _after_aligned_frame(self) -> None:
        """The first aligned frame is on screen: now the other strictness levels, and
        the collection that moves the alignment out of the collector's sight (each
        would have delayed that frame: the worker and this thread share the GIL)."""
        self.aligner.level_shown()
        if self.collector.settle():
            self.set_interval(CHECK_EVERY, self.collector.idle)

    def on_strictness_ready(self, message: StrictnessReady) -> None:
        if self.strictness.add(message.prepared):
            self._show_level(message.prepared)

    def on_load_failed(self, message: LoadFailed) -> None:
        self.collector.release()
        text = f"Problem while {message.stage}: {message.text}"
        if self.alignment is None and message.stage in ("segmenting", "aligning"):
            self.unaligned = "no alignment: it failed (r tries again)"
            self.status.set_sync(self.deck.sync_on, aligned=False)
        if not self.deck.panes:
            self._fail_screen(text)
        else:
            self.status.set_progress(None)
            self.status.set_message(text, error=True)
        self.notify(text, severity="error", markup=False, timeout=10)

    def action_cancel(self) -> None:
        """Esc: cancel a pending link, else stop a running alignment."""
        if not self.corrections.cancel_link():
            self.action_cancel_load()

    def action_cancel_load(self) -> None:
        if self.alignment is None:  # aligned: what still runs prepares the levels
            self.aligner.cancel()

    def on_alignment_stopped(self, message: AlignmentStopped) -> None:
        """Esc stopped the alignment: said calmly, with how to start it again."""
        self.unaligned = "alignment stopped: r aligns again"
        self.status.set_progress(None)
        self.status.set_sync(self.deck.sync_on, aligned=False)
        self.status.set_message(
            "alignment stopped: panes scroll independently · r aligns again "
            "(or ctrl+p, alignment: align again)"
        )

    def action_align_again(self) -> None:
        """Align again after the alignment was stopped (Esc) or failed."""
        if self.alignment is not None:
            self.status.set_message("already aligned (c changes the strictness)")
            return
        if len(self.sources) < 2 or self.aligner.aligning:
            self.bell()
            if self.aligner.aligning:
                self.status.set_message("aligning already… (Esc stops it)")
            return
        self.unaligned = ""
        self.status.set_sync(self.deck.sync_on)
        self.status.set_progress(0.0)
        self.status.set_message("aligning…")
        self.status.work_started()
        self.aligner.align(self.sources)

    def on_unmount(self) -> None:
        error = self.marks.flush()
        if error:  # the screen is gone: the command line says it after the app
            self.exit_errors.append(f"{error}; the marks made since the last save are lost")
        error = self.corrections.flush()
        if error:
            self.exit_errors.append(f"{error}; the corrections made since the last save are lost")
        self.collector.restore()
        code = self.return_code
        if self.exit_on_signals and code is not None and code > 128:  # a signal: the
            from reader.ui.signals import EXIT_GRACE, end_within  # terminal may be gone

            end_within(EXIT_GRACE, code)

    # -- strictness: what counts as a counterpart ------------------------------------------
    def action_cycle_strictness(self) -> None:
        self.set_strictness(next_level(self.strictness.target))
        self.remember(strictness=self.strictness.target)

    def set_strictness(self, level: str) -> None:
        """Show the alignment at ``level`` now if it is prepared, else once it is."""
        levels = self.strictness
        problem = "this alignment has one strictness only" if levels.fixed() else self.unaligned
        if problem:
            self.bell()
            self.status.set_message(problem, error=True)
            return
        prepared = levels.ready.get(level)
        if prepared is not None:
            self._show_level(prepared)
            return
        levels.wanted = None if level == levels.shown else level
        self.status.set_strictness(levels.shown, levels.wanted)
        if levels.wanted is not None:
            self.status.set_message(
                f"strictness {level}: applied once " + ("prepared…" if levels.ready else "aligned…")
            )

    def _show_level(self, prepared: Prepared, resync: bool = True) -> None:
        """Swap every pane to ``prepared`` (no aligning, no re-classifying): shading,
        titles, strips, highlights and sync; the why view and new marks follow."""
        prepared = self.corrections.corrected(prepared)
        self.strictness.shown_now(prepared.level)
        self.status.set_strictness(prepared.level, None)
        if resync:
            self.status.set_message(describe(prepared))
        self.deck.set_level(prepared, resync)
        self._alignment_to_views(prepared)

    def _alignment_to_views(self, prepared: Prepared) -> None:
        """New marks and the why view follow the alignment shown."""
        self.marks.alignment = prepared.alignment
        from reader.ui.dialogs.why import WhyScreen

        for screen in self.screen_stack:
            if isinstance(screen, WhyScreen):
                screen.set_alignment(prepared.alignment)

    # -- corrections: the keeper holds them, applies them and says what is pending ---------
    def on_corrections_changed(self, message: CorrectionsChanged) -> None:
        self.corrections.apply()

    def on_link_pending(self, message: LinkPending) -> None:
        self.status.set_pending(message.text)

    def action_link(self) -> None:
        """``L``: link from here (again, or Enter, in another pane: link)."""
        self.corrections.link_here(self._here(), self.unaligned)

    def on_why_screen_unlink(self, message: WhyScreen.Unlink) -> None:
        self.corrections.unlink(message.here, message.other, self.unaligned)

    def action_undo_correction(self) -> None:
        """The why view's ctrl+z: the one history (a mark may be the last change)."""
        self.action_undo()

    def action_redo_correction(self) -> None:
        self.action_redo()

    # -- the panes -------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.status.set_class(event.size.width < 90, "-narrow")
        self.call_after_refresh(self.deck.apply_visibility)
        self.deck.request_resync()

    def _here(self, sentence: bool = True) -> tuple[int, int] | None:
        """(source, sentence) of the leader's current sentence; None without panes, or
        (with ``sentence``) when the leader's source has no sentence."""
        view = self.deck.leader_view
        if view is None or (sentence and not len(view.source)):
            return None
        return view.index, view.current

    def action_focus_pane(self, index: int) -> None:
        deck = self.deck
        if index >= len(deck.panes):
            self.bell()
            return
        deck.show_source(index)
        self.call_after_refresh(deck.panes[index].view.focus)

    def action_cycle_words(self) -> None:
        mode = self.deck.cycle_words()
        self.remember(words=mode)
        what = {
            "auto": "the differences of near-identical sentences, the matches of reworded ones",
            "matches": "the words linked sentences share",
            "differences": "the words that differ between linked sentences",
            "none": "no words marked",
        }[mode]
        self.status.set_message(f"words: {mode}: {what} (h cycles)")

    def action_toggle_sync(self) -> None:
        on = self.deck.toggle_sync()
        self.remember(sync=on)
        self.status.set_sync(on, aligned=self.alignment is not None or not self.unaligned)
        self.notify(
            "sync on: panes follow the current sentence"
            if on
            else "sync off: panes scroll independently",
            markup=False,
            timeout=2,
        )

    def action_pick_panes(self) -> None:
        from reader.ui.dialogs.picker import PanePicker

        deck = self.deck
        if not deck.panes:
            return

        def chosen(result: list[int] | None) -> None:
            if not result:
                return
            deck.choose(result)
            fit = deck.capacity()
            if len(result) > fit:
                self.notify(
                    f"{len(result) - fit} of the {len(result)} chosen sources do not fit at "
                    f"this width: showing {', '.join(str(i + 1) for i in deck.shown)}; "
                    "the others show once there is room (or with 1-9)",
                    title="panes",
                    timeout=6,
                )

        self.push_screen(
            PanePicker([s.name for s in self.sources], deck.shown, deck.capacity()), chosen
        )

    def action_cycle_filter(self) -> None:
        shown = self.deck.cycle_filter()
        if shown is None:
            self.bell()
            self.status.set_message(
                self.unaligned or "the filters need the alignment: it is still running"
            )
            return
        self.status.set_message(
            {
                "all": "every sentence shown (f: shared only, unique only, all)",
                "shared": "shared only: sentences unique to a pane are folded (f: unique only)",
                "unique": "unique only: shared sentences are folded (f: every sentence)",
            }[shown]
        )

    def action_compare(self) -> None:
        from reader.ui.dialogs.picker import ComparePicker

        deck = self.deck
        if deck.comparing:
            deck.end_compare()
            self.status.set_message("the panes shown before the comparison are back")
            return
        if len(deck.panes) < 2:
            self.bell()
            return

        def chosen(other: int | None) -> None:
            if other is not None:
                deck.compare(other)
                self.status.set_message(
                    f"comparing {deck.leader + 1} and {other + 1} · C shows the panes as before"
                )

        self.push_screen(ComparePicker([s.name for s in self.sources], deck.leader), chosen)

    def action_hide_pane(self) -> None:
        if not self.deck.hide_leader():
            self.bell()

    def _focus_leader(self) -> None:
        """Back to the panes (a panel or dialog closed): the leader takes the focus, and
        the panes that fit the width are shown."""
        view = self.deck.leader_view
        if view is not None:
            view.focus()
        self.call_after_refresh(self.deck.apply_visibility)
        self.deck.request_resync()

    # -- why, help -------------------------------------------------------------------------
    def action_why(self) -> None:
        """Why is the current sentence linked? Its counterparts and related sentences."""
        from reader.ui.dialogs.why import WhyScreen

        here = self._here()
        if here is None:
            self.bell()
            return
        if self.alignment is None:
            self.bell()
            self.status.set_message(
                self.unaligned
                or "the alignment is still running: w shows "
                "why sentences are linked once it is done"
            )
            return

        def chosen(target: tuple[int, int] | None) -> None:
            if target is None:
                self.deck.focus_leader()
            else:
                self.deck.jump_to(*target)

        self.push_screen(WhyScreen(self.alignment, *here), chosen)

    def action_help(self) -> None:
        from reader.ui.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.settings.keymap))

    # -- search --------------------------------------------------------------------------
    def action_search(self) -> None:
        if self.sources:
            self.search_bar.open()

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        self.deck.focus_leader()

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        self.deck.focus_leader()
        query = message.query.strip()
        if not query:
            return
        self.status.set_message(Content(f"searching for {query}…"))
        self._search(query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, query: str) -> None:
        from reader.core.alignment.navigation import search

        try:
            hits = search(self.sources, query)
        except Exception as exc:
            self.post_message(LoadFailed("searching", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SearchDone(query, hits))

    def on_search_done(self, message: SearchDone) -> None:
        self.search_bar.set_results(message.query, message.hits)
        per_source: dict[int, dict[int, list[tuple[int, int]]]] = {}
        for h in message.hits:
            per_source.setdefault(h.source, {})[h.sentence] = list(h.spans)
        self.deck.set_hits(per_source)
        if not message.hits:
            self.status.set_message(Content(f"/{message.query}: no matches"), error=True)
            return
        self.action_search_step(1)

    def action_search_step(self, step: int) -> None:
        bar = self.search_bar
        here = self._here(sentence=False)
        hit = bar.step(here, step) if here is not None else None
        if hit is None:
            self.bell()
            return
        self.deck.jump_to(hit.source, hit.sentence)
        self.status.set_message(
            Content(
                f"/{bar.last_query}: match {bar.current + 1} of {len(bar.hits)} · n/N next/previous"
            ),
            transient=True,
        )

    # -- marks ---------------------------------------------------------------------------
    def on_marks_changed(self, message: MarksChanged) -> None:
        self.deck.set_marked(message.per_source)
        self.panel.set_marks(message.marks, self.marks.book)

    def action_mark(self) -> None:
        """``m``: mark the current sentence, or the run selected in visual mode."""
        view = self.deck.leader_view
        if view is None:
            return
        first, last, run = view.take_selection()
        self.marks.mark(view.index, first, last, run)

    def action_mark_run(self) -> None:
        """Enter in visual mode marks the run; with a link pending, links; otherwise
        Enter is not ours."""
        view = self.deck.leader_view
        if view is not None and view.visual_anchor is None and self.corrections.linking:
            self.action_link()
            return
        if view is None or view.visual_anchor is None:
            raise SkipAction()
        self.action_mark()

    def action_annotate(self) -> None:
        here = self._here()
        if here is not None:
            self.marks.annotate(*here)
        elif self.deck.panes:
            self.bell()

    def action_mark_step(self, step: int) -> None:
        here = self._here(sentence=False)
        if here is None:
            return
        target = self.marks.book.next_mark(*here, step)
        if target is None:
            self.bell()
            self.status.set_message("no marks in this pane")
            return
        wrapped = target <= here[1] if step > 0 else target >= here[1]
        self.deck.move_to(here[0], target)
        if wrapped:
            self.status.set_message(
                "wrapped to the first mark in this pane"
                if step > 0
                else "wrapped to the last mark in this pane",
                transient=True,
            )
        else:
            self.status.set_message("", transient=True)

    def action_undo(self) -> None:
        """ctrl+z: the last change the reader made (a mark, a link or unlink)."""
        if not self.history.done:
            self.bell()
            self.status.set_message("nothing to undo", transient=True)
            return
        step = self.history.undo()
        if step is None:  # it cannot be undone now (a correction before the alignment)
            self.bell()
            self.status.set_message(self.unaligned or "the alignment is still running")
        elif step.announce:
            self.status.set_message(f"undone: {step.text} · ctrl+y redoes it", transient=True)

    def action_redo(self) -> None:
        if not self.history.undone:
            self.bell()
            self.status.set_message("nothing to redo", transient=True)
            return
        step = self.history.redo()
        if step is None:
            self.bell()
            self.status.set_message(self.unaligned or "the alignment is still running")
        elif step.announce:
            self.status.set_message(f"redone: {step.text}", transient=True)

    def action_toggle_mark_counterparts(self) -> None:
        self.marks.toggle_counterparts()

    def action_toggle_marks_panel(self) -> None:
        panel = self.panel
        if panel.is_open and panel.has_focus_within:
            panel.close()
            self._focus_leader()
            return
        here = self._here()
        mark = self.marks.book.at(*here) if here is not None else None
        panel.open(mark[0].id if mark else None)  # on the mark under the cursor
        self.call_after_refresh(self.deck.apply_visibility)  # fewer panes may fit now
        self.deck.request_resync()

    def on_marks_panel_jump(self, message: MarksPanel.Jump) -> None:
        mark = self.marks.book.find(message.mark_id)
        if mark is None:
            return
        where = self.marks.book.first_live(mark)
        if where is None:
            self.bell()
            self.notify(
                "This mark is orphaned: its text was not found in the sources as they are now",
                markup=False,
                timeout=5,
            )
            return
        self.deck.jump_to(*where)

    def on_marks_panel_edit(self, message: MarksPanel.Edit) -> None:
        self.marks.edit(message.mark_id)

    def on_marks_panel_remove(self, message: MarksPanel.Remove) -> None:
        self.marks.remove_mark(message.mark_id)

    def on_marks_panel_closed(self, message: MarksPanel.Closed) -> None:
        self._focus_leader()

    # -- copy and export --------------------------------------------------------------
    def action_copy(self) -> None:
        """Copy the highlighted mark (panel), the mark here, or the current sentence,
        with its source name and characters, through the terminal (OSC 52)."""
        if self.panel.has_focus_within:
            self.marks.copy_mark(self.panel.highlighted_id())
        else:
            self.marks.copy_here(self._here())

    def action_export(self) -> None:
        if not self.sources:
            return
        settings = self.settings

        def chosen(fmt: str) -> None:
            if fmt != settings.export_format:
                self.preferences.settings = replace(settings, export_format=fmt)
                self.remember(export_format=fmt)

        self.marks.export(
            self.alignment,
            self._focus_leader,
            folder=settings.export_folder,
            fmt=settings.export_format,
            exported=chosen,
        )

    # -- command palette: Textual's commands (themes, quit, ...) plus ours ---------------
    COMMANDS = App.COMMANDS | {_reader_commands}
