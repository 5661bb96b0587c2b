"""The reading view: one pane per source, sentence-synced, highlighted by consensus.

The app is the one owner of "where we are": a pane the user moves posts
:class:`Moved`; :meth:`ReaderApp.move_to` sets the leader's current sentence and
then scrolls every other pane (no animation, inside ``batch_update``) so the
counterpart of the current sentence sits on the same screen row. Followers never
post anything back, so there is no feedback loop.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from reader.core.model import Alignment, Source
from reader.core.sources import Document
from reader.ui.collector import CHECK_EVERY, QuietCollector
from reader.ui.commands import ReaderCommands
from reader.ui.help_screen import HelpScreen
from reader.ui.keys import APP_KEYS, bindings
from reader.ui.levels import Prepared, Strictness, describe, next_level, preparation_order
from reader.ui.marking import MarkingMixin, marks_file
from reader.ui.marks_panel import MarksPanel
from reader.ui.messages import (
    AlignmentReady,
    LoadFailed,
    LoadProgress,
    Moved,
    Resized,
    SearchDone,
    SourcesReady,
    StrictnessReady,
)
from reader.ui.palette import tint_variables
from reader.ui.pane import SentenceView, SourcePane
from reader.ui.search import SearchBar
from reader.ui.status import StatusBar
from reader.ui.wrap import safe_content, sanitise

#: Narrowest pane worth reading in; more sources than fit are hidden, never squashed.
MIN_PANE_WIDTH = 30


class _Cancelled(Exception):
    pass


class ReaderApp(MarkingMixin, App):
    TITLE = "reader"
    CSS_PATH = "reader.tcss"
    BINDINGS = bindings(APP_KEYS)

    def __init__(
        self,
        documents: Sequence[Document],
        warnings: Iterable[str] = (),
        marks_path: Path | None | bool = True,
        exit_on_signals: bool = False,
    ) -> None:
        """``marks_path``: the marks save file; True (default) for the sidecar next to
        the documents (none for documents not read from files), None for no saving.
        ``exit_on_signals``: SIGTERM, SIGHUP, SIGINT quit as q does (see ui/signals.py)."""
        super().__init__()
        self.exit_on_signals = exit_on_signals
        self._init_marking(marks_file(documents) if marks_path is True else marks_path or None)
        self.documents = list(documents)
        self.warnings = list(warnings)
        self.sources: list[Source] = []
        self.alignment: Alignment | None = None  # at the strictness shown
        self.strictness = Strictness()
        self.unaligned = ""  # why there is no alignment and will be none (when so)
        self.panes: list[SourcePane] = []
        self.sync_on = True
        self.leader = 0
        self.anchor_row = 0
        self.priority: list[int] = []  # most recently focused first
        self.hidden: set[int] = set()  # hidden by the user
        self.shown: list[int] = []
        self.hits: list = []
        self.hit_index = -1
        self.query_text = ""
        self._resync_pending = False
        self.collector = QuietCollector()

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus the pane tints (``$reader-some`` ...), kept
        apart on the terminal's palette (see :mod:`reader.ui.palette`)."""
        variables = super().get_css_variables()
        variables.update(tint_variables(variables))
        return variables

    # -- building ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Content(f"Reading {len(self.documents)} sources…"), id="message")
        with Horizontal(id="body"):
            yield Horizontal(id="panes")
            yield MarksPanel(id="marks-panel")
        yield SearchBar(id="search")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_load(self) -> None:
        if self.exit_on_signals:  # before the terminal is in application mode
            from reader.ui.signals import install_exit_signals

            install_exit_signals(self)  # removed when the event loop closes

    def on_mount(self) -> None:
        for w in self.warnings:
            self.notify(w, title="warning", severity="warning", markup=False, timeout=8)
        if not self.documents:
            self._fail_screen("No text to show: no usable files were given.")
            return
        self.status.set_progress(0.0)
        self.status.set_message("segmenting…")
        self._load()

    def notify(self, message: str, *, title: str = "", **kwargs) -> None:
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

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self) -> None:
        """Split the documents into sentences. Only ``reader.core.segment`` (pure Python)
        is imported here: numpy and scipy load later, in :meth:`_align`, once the
        panes are on screen, so they never delay the first frame."""
        try:
            from reader.core.segment import segment

            sources = segment(self.documents)
        except Exception as exc:  # a readable line, never a traceback
            self.post_message(LoadFailed("segmenting", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SourcesReady(sources))

    @work(thread=True, exclusive=True, exit_on_error=False, group="align")
    def _align(self, sources: list[Source]) -> None:
        """Align in a thread; post progress in ~0.25 s steps; never touch a widget."""
        worker = get_current_worker()
        started = time.perf_counter()
        last: list = [0.0, ""]

        def progress(text: str, fraction: float) -> None:
            if worker.is_cancelled:
                raise _Cancelled
            now = time.monotonic()
            # a new step at once (the next may be long: loading the encoder, a batch of
            # sentences), the same step's progress every 0.25 s
            if text != last[1] or now - last[0] >= 0.25 or fraction >= 1.0:
                last[:] = [now, text]
                self.post_message(LoadProgress(text, fraction))

        try:
            from reader.core.align import align_sources
            from reader.ui.levels import prepare

            alignment = align_sources(sources, progress=progress)
            ready = prepare(alignment)  # indexes and shading here, not on the first key
        except _Cancelled:
            self.post_message(
                LoadFailed("aligning", "alignment cancelled: panes scroll independently")
            )
            return
        except Exception as exc:
            self.post_message(LoadFailed("aligning", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(AlignmentReady(ready, time.perf_counter() - started))
        # The other strictness levels, next one first: the strictness key then only
        # swaps prepared data. The panes are already aligned and usable meanwhile.
        if alignment.pool is None:
            return
        for level in preparation_order(alignment.strictness):
            if worker.is_cancelled:
                return
            try:
                self.post_message(StrictnessReady(prepare(alignment.at(level))))
            except Exception as exc:
                self.post_message(
                    LoadFailed(f"preparing strictness {level}", f"{type(exc).__name__}: {exc}")
                )
                return

    async def on_sources_ready(self, message: SourcesReady) -> None:
        self.sources = message.sources
        self.query_one("#message").add_class("-hidden")
        self.priority = list(range(len(self.sources)))
        self.panes = [SourcePane(src, i) for i, src in enumerate(self.sources)]
        # awaited, so the first pane can take the focus at once (below): a key pressed
        # as soon as the text shows must reach it, not the widget focused at start-up
        await self.query_one("#panes").mount(*self.panes)
        self._start_marks()
        self._apply_visibility()
        if len(self.sources) == 1:
            self.unaligned = "one source: nothing is aligned"
            note = "one source: read-only, nothing to compare it with"
            self.status.set_progress(None)
            self.status.set_message(note)
            self.notify(note, title="reader", markup=False)
        else:
            self.status.set_message("aligning…")
            self.call_after_refresh(self._align, self.sources)
        # nothing the user chose has the focus yet (what Textual focused at start-up is
        # in the closed marks panel); the pane's own screen, should a modal be open
        first = self.panes[self.shown[0] if self.shown else 0].view
        first.screen.set_focus(first)

    def on_load_progress(self, message: LoadProgress) -> None:
        self.status.set_progress(message.fraction)
        self.status.set_message(Content(f"aligning: {message.text}"))

    def on_alignment_ready(self, message: AlignmentReady) -> None:
        levels = self.strictness
        wanted = levels.target
        levels.add(message.prepared)
        self._show_level(message.prepared, resync=False)
        self.status.set_progress(None)
        self.align_seconds = message.seconds
        if self.collector.settle():
            self.set_interval(CHECK_EVERY, self.collector.idle)
        notes = message.alignment.notes
        if notes:
            # how the alignment was made matters (sources in different languages without
            # the encoder): the first note stays in the status line, every note is shown
            for note in notes:  # (notify and the status line show text literally)
                self.notify(note, title="alignment", severity="warning", timeout=12)
            more = f" (+{len(notes) - 1} more)" if len(notes) > 1 else ""
            self.status.set_message(notes[0] + more, warning=True)
        else:
            self.status.set_message(
                f"aligned: {message.prepared.counterparts} counterpart "
                f"links, {message.prepared.related} related"
            )
        self._add_awaited_counterparts()
        self.resync()
        if wanted != levels.shown:  # chosen while the aligner ran
            self.set_strictness(wanted)

    def on_strictness_ready(self, message: StrictnessReady) -> None:
        if self.strictness.add(message.prepared):
            self._show_level(message.prepared)

    # -- strictness: what counts as a counterpart ------------------------------------------
    def action_cycle_strictness(self) -> None:
        self.set_strictness(next_level(self.strictness.target))

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
        titles, strips, then highlights and sync through :meth:`resync`."""
        self.strictness.shown_now(prepared.level)
        self.alignment = prepared.alignment
        self.status.set_strictness(prepared.level, None)
        if resync:
            self.status.set_message(describe(prepared))
        with self.batch_update():
            for pane in self.panes:
                pane.set_alignment(prepared.alignment, prepared.kinds[pane.index])
            if resync:
                self.resync()
        from reader.ui.why_screen import WhyScreen

        for screen in self.screen_stack:
            if isinstance(screen, WhyScreen):
                screen.set_alignment(prepared.alignment)

    def on_unmount(self) -> None:
        self.flush_marks()
        self.collector.restore()

    def on_load_failed(self, message: LoadFailed) -> None:
        text = f"Problem while {message.stage}: {message.text}"
        if self.alignment is None and message.stage in ("segmenting", "aligning"):
            self.unaligned = "no alignment: it was stopped or failed"
        if not self.panes:
            self._fail_screen(text)
        else:
            self.status.set_progress(None)
            self.status.set_message(text, error=True)
        self.notify(text, severity="error", markup=False, timeout=10)

    def action_cancel_load(self) -> None:
        if self.alignment is not None:
            return  # aligned: what still runs prepares the strictness levels
        for worker in self.workers:
            if worker.group == "align":
                worker.cancel()

    # -- which panes are shown -----------------------------------------------------------
    def capacity(self) -> int:
        width = self.screen.size.width
        panel = self.query_one(MarksPanel)
        if panel.is_open:
            width -= panel.outer_size.width or panel.WIDTH
        return max(1, width // MIN_PANE_WIDTH)

    def _apply_visibility(self) -> None:
        if not self.panes:
            return
        wanted = [i for i in self.priority if i not in self.hidden] or [self.leader]
        shown = sorted(wanted[: self.capacity()])
        if shown == self.shown:
            return
        self.shown = shown
        for i, pane in enumerate(self.panes):
            pane.display = i in shown
        first = True
        for i in shown:
            self.panes[i].set_class(first, "-first")
            first = False
        if self.leader not in shown:
            self.leader = shown[0]
            if self.panes[self.leader].view.app is not None:
                self.call_after_refresh(self.panes[self.leader].view.focus)
        self.request_resync()

    def on_resize(self, event) -> None:
        self.status.set_class(event.size.width < 90, "-narrow")
        self.call_after_refresh(self._apply_visibility)
        self.request_resync()

    def on_resized(self, message: Resized) -> None:
        message.stop()
        self._apply_visibility()
        self.request_resync()

    def request_resync(self) -> None:
        if not self._resync_pending:
            self._resync_pending = True
            self.call_after_refresh(self.resync)

    def resync(self) -> None:
        self._resync_pending = False
        if not self.panes:
            return
        view = self.panes[self.leader].view
        self.move_to(self.leader, view.current, self.anchor_row)

    def show_source(self, index: int) -> None:
        """Bring source ``index`` on screen (replacing the least recently used pane)."""
        if index in self.priority:
            self.priority.remove(index)
        self.priority.insert(0, index)
        self.hidden.discard(index)
        self._apply_visibility()

    # -- the one owner of the position -----------------------------------------------------
    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        # A focus event can arrive after the focus has moved on (a search jump focuses
        # the hit's pane right after the search box gave the focus back): ignore it.
        # `screen.focused` is the truth now; `has_focus` follows the Focus/Blur events,
        # which are still queued, so it would let the stale event through.
        if widget is not self.screen.focused:
            return
        if isinstance(widget, SentenceView) and widget.index != self.leader:
            self.leader = widget.index
            if widget.index in self.priority:
                self.priority.remove(widget.index)
            self.priority.insert(0, widget.index)
            row = max(0, min(widget.size.height - 1, widget.screen_row(widget.current)))
            self.move_to(widget.index, widget.current, row)

    def on_moved(self, message: Moved) -> None:
        message.stop()
        if message.source != self.leader:
            self.leader = message.source
        self.move_to(message.source, message.sentence, message.screen_row)

    def move_to(self, source: int, sentence: int, screen_row: int | None = None) -> None:
        """Make ``sentence`` of ``source`` current and line every shown pane up with it."""
        if not self.panes:
            return
        from reader.core.navigation import differing_words

        self.collector.touch()

        if source not in self.shown:
            self.show_source(source)
        self.leader = source
        leader = self.panes[source].view
        leader.relayout()
        if leader.wrapped is None or not len(leader.source):
            return
        sentence = max(0, min(len(leader.source) - 1, sentence))
        top = leader.row_of(sentence)
        row = leader.natural_row(sentence) if screen_row is None else screen_row
        row = max(0, min(row, leader.size.height - 1, top))
        al = self.alignment
        followers = []
        leader_diffs: set[tuple[int, int]] = set()
        for i in self.shown:
            if i == source:
                continue
            view = self.panes[i].view
            view.relayout()
            if al is None or view.wrapped is None or not len(view.source):
                followers.append((view, None, False, {}, frozenset()))
                continue
            j, found = al.locate(source, sentence, i)  # counterparts only
            marks = {}
            for c in al.counterparts(source, sentence):
                if c.source == i:
                    mine, theirs = differing_words(leader.source, sentence, view.source, c.sentence)
                    marks[c.sentence] = theirs
                    leader_diffs.update(mine)
            # related sentences get a quiet mark where they are; they never move a pane
            related = frozenset(c.sentence for c in al.related(source, sentence) if c.source == i)
            followers.append((view, j, found, marks, related))
            if self.sync_on:
                row = min(row, view.row_of(j))
        self.anchor_row = row
        with self.batch_update():
            leader.set_highlight({sentence: sorted(leader_diffs)} if al else {}, None, True)
            leader.show_sentence(sentence, row)
            for view, j, found, marks, related in followers:
                if j is None:
                    view.set_highlight({}, None, False)
                    continue
                view.set_highlight(marks, None if found else j, False, related)
                if self.sync_on:
                    view.show_sentence(j, row)
                self.panes[view.index].set_note(
                    "" if found or not self.sync_on else "no counterpart here ▸"
                )
            self.panes[source].set_note("")

    def synced_rows(self) -> dict[int, int]:
        """Screen row of the leader's counterpart in each shown pane that has one (tests)."""
        out = {}
        leader = self.panes[self.leader].view
        out[self.leader] = leader.screen_row(leader.current)
        if self.alignment is None:
            return out
        for i in self.shown:
            if i != self.leader:
                c = self.alignment.best_counterpart(self.leader, leader.current, i)
                j, found = self.alignment.locate(self.leader, leader.current, i)
                if found and c is not None:
                    out[i] = self.panes[i].view.screen_row(j)
        return out

    def jump_to(self, source: int, sentence: int) -> None:
        """Show ``source``, give its pane the focus and make ``sentence`` current there."""
        self.show_source(source)
        self.leader = source
        view = self.panes[source].view
        if self.screen.focused is not view:  # has_focus lags behind (set by events)
            self.screen.set_focus(view)  # now, so no stale focus event moves us back
        self.move_to(source, sentence)

    # -- app actions ---------------------------------------------------------------------
    def action_why(self) -> None:
        """Why is the current sentence linked? Its counterparts and related sentences."""
        from reader.ui.why_screen import WhyScreen

        if not self.panes or not len(self.panes[self.leader].view.source):
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
        source, sentence = self.leader, self.panes[self.leader].view.current

        def chosen(target: tuple[int, int] | None) -> None:
            if target is None:
                self._focus_leader_now()
            else:
                self.jump_to(*target)

        self.push_screen(WhyScreen(self.alignment, source, sentence), chosen)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_focus_pane(self, index: int) -> None:
        if index >= len(self.panes):
            self.bell()
            return
        self.show_source(index)
        self.call_after_refresh(self.panes[index].view.focus)

    def action_toggle_sync(self) -> None:
        self.sync_on = not self.sync_on
        self.status.set_sync(self.sync_on)
        self.notify(
            "sync on: panes follow the current sentence"
            if self.sync_on
            else "sync off: panes scroll independently",
            markup=False,
            timeout=2,
        )
        self.resync()

    def action_pick_panes(self) -> None:
        from reader.ui.picker import PanePicker

        if not self.panes:
            return

        def chosen(result: list[int] | None) -> None:
            if not result:
                return
            self.hidden = set(range(len(self.panes))) - set(result)
            self.priority = result + [i for i in self.priority if i not in result]
            if self.leader not in result:
                self.leader = result[0]
            self._apply_visibility()
            self.call_after_refresh(self.panes[self.leader].view.focus)

        self.push_screen(
            PanePicker([s.name for s in self.sources], self.shown, self.capacity()), chosen
        )

    def action_hide_pane(self) -> None:
        if len(self.shown) <= 1:
            self.bell()
            return
        self.hidden.add(self.leader)
        rest = [i for i in self.shown if i != self.leader]
        self.leader = rest[0]
        self._apply_visibility()
        self.call_after_refresh(self.panes[self.leader].view.focus)

    # -- search --------------------------------------------------------------------------
    def action_search(self) -> None:
        if self.sources:
            self.query_one(SearchBar).open()

    def _focus_leader_now(self) -> None:
        """Give the focus back to the leader pane at once. A deferred ``focus()`` could
        run after a search result has already moved the focus to the hit's pane, and
        pull it back (and the position with it)."""
        if self.panes:
            self.screen.set_focus(self.panes[self.leader].view)

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        self._focus_leader_now()

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        self._focus_leader_now()
        query = message.query.strip()
        if not query:
            return
        self.status.set_message(Content(f"searching for {query}…"))
        self._search(query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, query: str) -> None:
        from reader.core.navigation import search

        try:
            hits = search(self.sources, query)
        except Exception as exc:
            self.post_message(LoadFailed("searching", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SearchDone(query, hits))

    def on_search_done(self, message: SearchDone) -> None:
        self.hits = message.hits
        self.query_text = message.query
        per_source: dict[int, set[int]] = {}
        for h in self.hits:
            per_source.setdefault(h.source, set()).add(h.sentence)
        for pane in self.panes:
            pane.view.set_hits(frozenset(per_source.get(pane.index, ())))
        self.hit_index = -1
        if not self.hits:
            self.status.set_message(Content(f"/{message.query}: no matches"), error=True)
            return
        self.action_search_step(1)

    def action_search_step(self, step: int) -> None:
        if not self.hits:
            self.bell()
            return
        here = (self.leader, self.panes[self.leader].view.current)
        keys = [(h.source, h.sentence) for h in self.hits]
        if step > 0:
            after = [k for k, key in enumerate(keys) if key > here]
            k = after[0] if after else 0
        else:
            before = [k for k, key in enumerate(keys) if key < here]
            k = before[-1] if before else len(keys) - 1
        self.hit_index = k
        hit = self.hits[k]
        self.status.set_message(
            Content(f"/{self.query_text}: match {k + 1} of {len(self.hits)} · n/N next/previous")
        )
        view = self.panes[hit.source].view
        self.show_source(hit.source)
        self.leader = hit.source
        if self.screen.focused is not view:
            # Synchronously: a focus event still queued for the old pane (the search box
            # gave it the focus back) then finds it unfocused and is ignored; a deferred
            # focus() would let that stale event make the old pane the leader again.
            self.screen.set_focus(view)
        self.move_to(hit.source, hit.sentence)

    # -- command palette: Textual's commands (themes, quit, ...) plus ours ---------------
    COMMANDS = App.COMMANDS | {ReaderCommands}
