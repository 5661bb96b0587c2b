"""The reader's corrections of the alignment in the reading view: made, undone, redone,
loaded and saved.

:class:`CorrectionKeeper` draws nothing: it owns the session's corrections (the core's
:class:`~reader.core.marks.records.SyncedRecords` of
:class:`~reader.core.marks.corrections.Correction`), their store (the marks' sidecar
file, ``"corrections"`` list; :class:`~reader.core.marks.corrections.CorrectionStore`)
and the undo and redo stacks. The app routes the keys to it (:meth:`link_here`,
:meth:`unlink`, :meth:`undo`, :meth:`redo`, :meth:`cancel_link`); each changes the
records and applies the corrections now in force in the same frame: the level shown
is patched (:meth:`~reader.ui.panes.levels.Prepared.corrected`: only what the change
touches is decided and painted again) and handed to the deck, the others when they
are shown (:meth:`corrected`). What is pending (a link being made) and what a key did
go up as messages for the status line; saving runs in a thread worker,
merged with the file as marks are (another window's or ``reader link``'s corrections
are kept). What comes from the file (the load, another writer, seen by a poll every
few seconds) is posted as :class:`~reader.ui.messages.CorrectionsChanged`.
Corrections that cannot be found again in the texts are reported once, at start-up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.widget import Widget

from reader.core.alignment.corrections import LINK, UNLINK, Corrections, pair
from reader.core.alignment.links import SentenceRef
from reader.core.alignment.refs import format_ref
from reader.core.marks.corrections import (
    CORRECTIONS,
    Correction,
    CorrectionStore,
    Resolved,
    decide,
    lost_report,
    reanchor_corrections,
    resolve,
    sentence_starts,
)
from reader.core.marks.records import SyncedRecords
from reader.core.text.segment import Source
from reader.ui.messages import (
    CorrectionsChanged,
    CorrectionsSaveFailed,
    CorrectionsSynced,
    LinkPending,
    StatusNote,
)
from reader.ui.panes.deck import PaneDeck
from reader.ui.panes.levels import Prepared, Strictness
from reader.ui.undo import Step as HistoryStep
from reader.ui.undo import UndoStack

#: seconds between two looks at the file for what another instance saved
POLL_EVERY = 3.0
#: undo steps kept (the issue asks for at least 100)
UNDO_LIMIT = 1000


@dataclass(frozen=True)
class Step:
    """One correction: the records of its pair before and after, and what it did."""

    before: tuple[Correction, ...]
    after: tuple[Correction, ...]
    text: str


class CorrectionKeeper(Widget):
    """The session's corrections and their saving. ``path``: the sidecar file (None:
    kept in memory only)."""

    DEFAULT_CSS = """
    CorrectionKeeper { display: none; }
    """

    def __init__(
        self,
        path: Path | None,
        deck: PaneDeck,
        levels: Strictness,
        shown: Callable[[Prepared], None] = lambda _p: None,
        history: UndoStack | None = None,
        quiet: Callable[[], None] = lambda: None,
        **kwargs,
    ) -> None:
        """``deck``: the panes (it shows what is corrected); ``levels``: the strictness
        levels prepared so far; ``shown``: told of every alignment shown after a
        correction (new marks, the why view follow it); ``history``: the app's one undo
        history (ctrl+z), where every link and unlink is a step; ``quiet``: called as a
        correction is about to be applied (the app holds the garbage collector until
        its frame is painted: see :meth:`reader.ui.collector.QuietCollector.quiet_frame`)."""
        super().__init__(**kwargs)
        self.quiet = quiet
        self.history = history
        self.path = path
        self.deck = deck
        self.levels = levels
        self.shown = shown
        self.linking: tuple[int, int] | None = None  # "link from here": where it started
        self.records: SyncedRecords[Correction] = SyncedRecords(CORRECTIONS)
        self.sources: list[Source] = []
        self._starts: list[list[int]] = []
        self.resolved = Resolved()
        self.store: CorrectionStore | None = None
        self.loaded = False
        self.undo_steps: list[Step] = []
        self.redo_steps: list[Step] = []
        self._save_lock = threading.Lock()
        #: the levels a correction replaced, freed once its frame is painted (freeing an
        #: alignment's indexes of thousands of entries is no work for that frame)
        self._retired: list[Prepared] = []

    @property
    def corrections(self) -> Corrections:
        """The corrections in force now."""
        return self.resolved.corrections

    # -- start-up and saving ------------------------------------------------------------------
    def start(self, sources: Sequence[Source]) -> None:
        """The sources are on screen: read the corrections (in a worker) and watch the file."""
        self.sources = list(sources)
        self._starts = sentence_starts(self.sources)
        if self.path is None:
            return
        texts = list(self.sources)
        self.store = CorrectionStore(
            self.path,
            records=self.records,
            prepare=lambda items: reanchor_corrections(items, texts),
        )
        self._sync(first=True)
        self.set_interval(POLL_EVERY, self._poll)

    def _poll(self) -> None:
        if self.store is not None and self.store.writable and self.loaded:
            self._sync()

    @work(thread=True, exit_on_error=False, group="corrections-save")
    def _sync(self, first: bool = False) -> None:
        store = self.store
        if store is None:
            return
        with self._save_lock:
            try:
                result = store.sync()
            except Exception as exc:  # never a traceback; never save over what we misread
                if first:
                    store.writable = False
                what = "load" if first else "save"
                self.post_message(
                    CorrectionsSaveFailed(f"cannot {what} corrections: {type(exc).__name__}: {exc}")
                )
                return
        self.post_message(CorrectionsSynced(result, first))

    def on_corrections_synced(self, message: CorrectionsSynced) -> None:
        result = message.result
        if result.error:
            self.on_corrections_save_failed(CorrectionsSaveFailed(result.error))
        for warning in result.warnings:
            self.notify(warning, title="corrections", severity="warning", markup=False, timeout=12)
        if result.conflicts:
            self.notify(
                "A correction was changed here and in another window: the later decision is kept",
                title="corrections",
                severity="warning",
                markup=False,
                timeout=8,
            )
        if message.first or result.changed:
            before = self.corrections
            self._resolve()
            if message.first:
                self.loaded = True
                self._report_lost()
            if message.first or self.corrections != before:
                self.post_message(CorrectionsChanged(self.corrections))

    def _report_lost(self) -> None:
        lost = lost_report(self.resolved.lost)
        if not lost:
            return
        shown = lost[:3] + ([f"… and {len(lost) - 3} more"] if len(lost) > 3 else [])
        self.notify(
            f"{len(lost)} saved correction(s) could not be found again in the texts: "
            "kept in the file, not applied ('reader links' lists them all).\n" + "\n".join(shown),
            title="corrections",
            severity="warning",
            markup=False,
            timeout=15,
        )

    def on_corrections_save_failed(self, message: CorrectionsSaveFailed) -> None:
        self.notify(
            f"{message.text}. Your corrections are kept in memory for this session.",
            title="corrections not saved",
            severity="error",
            markup=False,
            timeout=12,
        )

    def flush(self) -> str | None:
        """Save now, in this thread, if the file lacks this session's corrections (at
        exit). Returns why they could not be saved (one line), or None."""
        store = self.store
        if store is None or not store.writable:
            return None
        with self._save_lock:
            if not self.records.pending():
                return None
            try:
                result = store.sync()
            except Exception as exc:
                return f"cannot save corrections: {type(exc).__name__}: {exc}"
        return result.error

    def _resolve(self) -> None:
        self.resolved = resolve(self.records.items, self.sources, self._starts)

    def _changed(self) -> Corrections:
        self._resolve()
        if self.store is not None:
            self._sync()
        return self.corrections

    # -- the reader's decisions ---------------------------------------------------------------
    def describe(self, op: str, x: SentenceRef, y: SentenceRef) -> str:
        a, b = (format_ref(self.sources, *r) for r in sorted((x, y)))
        return f"{op} {a} \u2194 {b}"

    def decide(self, op: str, x: SentenceRef, y: SentenceRef) -> Corrections:
        """Record ``op`` (link or unlink) about sentences ``x`` and ``y`` of two sources,
        as one undo step; returns the corrections in force now."""
        before, after = decide(self.records, self.resolved, self.sources, x, y, op)
        text = self.describe(op, x, y)
        self.undo_steps.append(Step(tuple(before), tuple(after), text))
        del self.undo_steps[:-UNDO_LIMIT]
        self.redo_steps.clear()
        if self.history is not None:  # undone in turn with the marks (one ctrl+z)
            self.history.push(
                HistoryStep(text, undo=self._undo_now, redo=self._redo_now, announce=False)
            )
        return self._changed()

    def _undo_now(self) -> bool:
        """The history's undo of a correction: False (kept for later) without an
        alignment to apply it to."""
        if self.deck.alignment is None:
            return False
        self.undo()
        return True

    def _redo_now(self) -> bool:
        if self.deck.alignment is None:
            return False
        self.redo()
        return True

    def linked_by_user(self, x: SentenceRef, y: SentenceRef) -> bool:
        held = self.resolved.by_pair.get(pair(x, y))
        return held is not None and held.op == LINK

    def undo_step(self) -> tuple[Corrections, str] | None:
        """Undo the last correction (None: nothing to undo)."""
        if not self.undo_steps:
            return None
        step = self.undo_steps.pop()
        self._swap(step.after, step.before)
        self.redo_steps.append(step)
        return self._changed(), step.text

    def redo_step(self) -> tuple[Corrections, str] | None:
        """Redo the last correction undone (None: nothing to redo)."""
        if not self.redo_steps:
            return None
        step = self.redo_steps.pop()
        self._swap(step.before, step.after)
        self.undo_steps.append(step)
        return self._changed(), step.text

    def _swap(self, old: Sequence[Correction], new: Sequence[Correction]) -> None:
        for c in old:
            self.records.remove(c.id)
        for c in new:
            self.records.put(c)

    # -- applying them ------------------------------------------------------------------------
    def corrected(self, prepared: Prepared) -> Prepared:
        """``prepared`` with the corrections in force (kept for the next time it shows)."""
        wanted = self.corrections
        if prepared.alignment.corrections == wanted or prepared.alignment.pool is None:
            return prepared
        fixed = prepared.corrected(wanted)
        if self.levels.ready.get(prepared.level) is prepared:
            self.levels.ready[prepared.level] = fixed
        return fixed

    def apply(self) -> None:
        """Show the corrections in force now, in the level shown."""
        shown = self.levels.ready.get(self.levels.shown)
        if shown is None or self.deck.alignment is None:
            return  # not aligned yet: applied when the alignment is ready
        if shown.alignment.corrections != self.corrections:
            self.quiet()
        fixed = self.corrected(shown)
        if fixed is not shown:
            self._retired.append(shown)
            self.call_after_refresh(self._retired.clear)
            self.deck.patch_level(fixed)
            self.shown(fixed)

    def _say(self, text: str, error: bool = False) -> None:
        self.post_message(StatusNote(text, error))

    def _ready(self, unaligned: str) -> bool:
        al = self.deck.alignment
        if al is None or al.pool is None:
            self.app.bell()
            self._say(
                unaligned
                or (
                    "the alignment is still running: links can be corrected once it is done"
                    if al is None
                    else "this alignment cannot be corrected"
                ),
                error=True,
            )
            return False
        return True

    # -- the keys -----------------------------------------------------------------------------
    def link_here(self, here: SentenceRef | None, unaligned: str = "") -> None:
        """``L``: start "link from here" at ``here``; with a link pending, link the
        sentence it started from with ``here`` (in another pane)."""
        if here is None or not self._ready(unaligned):
            return
        origin = self.linking
        if origin is None:
            self.linking = here
            self.post_message(
                LinkPending(
                    f"linking from {format_ref(self.sources, *here)}: move to a sentence in "
                    "another pane, L or Enter links, Esc cancels"
                )
            )
            return
        if here[0] == origin[0]:
            self.app.bell()
            self._say("pick a sentence in another pane to link to (Esc cancels)", error=True)
            return
        self.cancel_link()
        if self.linked_by_user(origin, here):
            self._say(f"already linked by you: {self.describe(LINK, origin, here)}")
            return
        self._decide(LINK, origin, here)

    def cancel_link(self) -> bool:
        """Esc: drop a pending link. False when none was pending."""
        if self.linking is None:
            return False
        self.linking = None
        self.post_message(LinkPending(None))
        self._say("link cancelled")
        return True

    def unlink(self, here: SentenceRef, other: SentenceRef, unaligned: str = "") -> None:
        """Unlink two counterparts (the why view's ``d``)."""
        if self._ready(unaligned):
            self._decide(UNLINK, here, other)

    def _decide(self, op: str, x: SentenceRef, y: SentenceRef) -> None:
        self.decide(op, x, y)
        self.apply()
        self._say(f"{op}ed {self.describe(op, x, y)[len(op) + 1 :]} · ctrl+z undoes")

    def undo(self) -> None:
        self._step(self.undo_step, "undid", "nothing to undo")

    def redo(self) -> None:
        self._step(self.redo_step, "redid", "nothing to redo")

    def _step(
        self, step: Callable[[], tuple[Corrections, str] | None], done: str, none: str
    ) -> None:
        if self.deck.alignment is None:
            self.app.bell()
            return
        result = step()
        if result is None:
            self.app.bell()
            self._say(none)
            return
        self.apply()
        self._say(f"{done}: {result[1]}")
