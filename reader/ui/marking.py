"""Marking in the app: the marks a reader keeps, shown, listed, saved and exported.

:class:`MarkBook` holds the marks (plain data, no widgets) and answers the questions
the panes ask (which sentences are marked, which mark is here, where is the next one).
:class:`MarkingMixin` gives :class:`~reader.ui.app.ReaderApp` its marking actions, the
autosave and the load at start-up. The marks themselves, their anchors, storage and
export formats are the core's (:mod:`reader.core.marks`, :mod:`reader.core.storage`,
:mod:`reader.core.export`); this module only wires them to the screen.

Saving: the book's marks are the core's :class:`~reader.core.records.SyncedRecords`;
every change starts a thread worker that syncs them with the marks file
(:class:`~reader.core.storage.MarkStore`): the file is read as it is on disk, merged
with this session's changes and written atomically under a lock. The first sync is
the load, so nothing is written before the file has been read. What another instance
saved comes in with every sync, and a poll of the file every few seconds: panes and
panel repaint when a merge changes what this session holds.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from reader.core.marks import Mark, Target, add_counterparts, create_mark, edit_mark, sentences_in
from reader.core.model import Alignment, Source
from reader.core.records import SyncedRecords
from reader.core.storage import MARKS
from reader.core.visible import encodable
from reader.ui.messages import MarksSaveFailed, MarksSynced
from reader.ui.wrap import sanitise

if TYPE_CHECKING:
    from reader.core.sources import Document
    from reader.core.storage import MarkStore

#: seconds between two looks at the marks file for what another instance saved
POLL_EVERY = 3.0

#: How each tag is drawn (a block in the gutter, a swatch in the panel): mid-luminance
#: colours that read on dark and light themes alike. The pane's CSS has the same values
#: as component classes (``pane--tag-<name>``), so a stylesheet can change them.
TAG_COLOURS = {
    "yellow": "#d4b106",
    "green": "#3fa34d",
    "blue": "#3d7eff",
    "pink": "#e055a8",
    "orange": "#e8772e",
}


def marks_file(documents: Sequence[Document]) -> Path | None:
    """The sidecar save file for these documents (the core's :func:`marks_path` of the
    folder of the first document read from disk), or None when none came from a file."""
    from reader.core.storage import marks_path

    for doc in documents:
        if doc.path is not None:
            return marks_path([doc.path])
    return None


def excerpt(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class MarkBook:
    """The marks of this session, in order (the file's, then the new ones). They live in
    ``records`` (shared with the store, which merges them with the file)."""

    def __init__(self, sources: Sequence[Source] = ()) -> None:
        self.records: SyncedRecords[Mark] = SyncedRecords(MARKS)
        self.set_sources(sources)

    @property
    def marks(self) -> list[Mark]:
        return self.records.items

    def set_sources(self, sources: Sequence[Source]) -> None:
        self.sources = list(sources)
        self._index = {s.name: i for i, s in enumerate(self.sources)}

    # -- lookups ----------------------------------------------------------------------
    def source_index(self, name: str) -> int | None:
        return self._index.get(name)

    def sentences_of(self, target: Target) -> range:
        """The sentences a live target covers in its source (empty when orphaned or the
        source is not open)."""
        i = self._index.get(target.source)
        if i is None or target.orphaned or not len(self.sources[i]):
            return range(0)
        return sentences_in(self.sources[i], target.start, target.end)

    def find(self, mark_id: str) -> Mark | None:
        return self.records.get(mark_id)

    def per_source(self) -> list[dict[int, str]]:
        """For each source: sentence -> tag of the marks covering it (a sentence the
        user marked in this source wins over a counterpart; then the newest)."""
        out: list[dict[int, str]] = [{} for _ in self.sources]
        for primary in (False, True):
            for m in self.marks:
                for t in m.targets:
                    if (t is m.primary) != primary:
                        continue
                    i = self._index.get(t.source)
                    if i is not None:
                        for k in self.sentences_of(t):
                            out[i][k] = m.tag
        return out

    def at(self, source: int, sentence: int) -> tuple[Mark, Target] | None:
        """The mark covering ``sentence`` of ``source`` (one marked there first)."""
        best = None
        for m in reversed(self.marks):
            for t in m.targets:
                if self._index.get(t.source) == source and sentence in self.sentences_of(t):
                    if t is m.primary:
                        return m, t
                    best = best or (m, t)
        return best

    def marked_sentences(self, source: int) -> list[int]:
        return sorted(self.per_source()[source]) if source < len(self.sources) else []

    def first_live(self, mark: Mark) -> tuple[int, int] | None:
        """(source, sentence) to jump to for ``mark``: the marked passage, else the first
        counterpart that is still found."""
        for t in mark.targets:
            run = self.sentences_of(t)
            if len(run):
                return self._index[t.source], run[0]
        return None

    # -- changes --------------------------------------------------------------------
    def add(self, mark: Mark) -> None:
        self.records.put(mark)

    def replace(self, mark: Mark) -> None:
        self.records.put(mark)

    def remove(self, mark_id: str) -> Mark | None:
        return self.records.remove(mark_id)


class MarkingMixin:
    """Marking actions, autosave and loading for ReaderApp (which sets ``sources``,
    ``alignment``, ``panes``, ``leader``, ``documents`` and calls :meth:`_init_marking`).
    """

    def _init_marking(self, marks_path: Path | None) -> None:
        self.book = MarkBook()
        self.mark_counterparts = True
        self._awaiting_counterparts: set[str] = set()  # marks made before the alignment
        self.marks_path = marks_path
        self.store: MarkStore | None = None
        self._save_lock = threading.Lock()
        self._marks_loaded = False

    # -- start-up ---------------------------------------------------------------------
    def _start_marks(self) -> None:
        self.book.set_sources(self.sources)
        if self.marks_path is not None:
            from reader.core.marks import reanchor_marks
            from reader.core.storage import MarkStore

            sources = list(self.sources)
            # marks read from the file are found again in the texts as they are now
            self.store = MarkStore(
                self.marks_path,
                records=self.book.records,
                prepare=lambda marks: reanchor_marks(marks, sources),
            )
            self._sync_marks(first=True)
            self.set_interval(POLL_EVERY, self._poll_marks)

    def _poll_marks(self) -> None:
        if self.store is not None and self.store.writable and self._marks_loaded:
            self._sync_marks()

    @work(thread=True, exit_on_error=False, group="marks-save")
    def _sync_marks(self, first: bool = False) -> None:
        """Merge the marks with the file and save what it lacks (never touches a
        widget). The first call is the load: it reads the file before anything can be
        written, keeping marks made meanwhile."""
        store = self.store
        if store is None:
            return
        with self._save_lock:
            try:
                result = store.sync()  # a failed write is result.error: the merge stands
            except Exception as exc:  # never a traceback; never save over what we misread
                if first:
                    store.writable = False
                self.post_message(
                    MarksSaveFailed(
                        f"cannot {'load' if first else 'save'} marks: {type(exc).__name__}: {exc}"
                    )
                )
                return
        self.post_message(MarksSynced(result, first))

    def on_marks_synced(self, message: MarksSynced) -> None:
        result = message.result
        if result.error:
            self.on_marks_save_failed(MarksSaveFailed(result.error))
        for warning in result.warnings:
            self.notify(warning, title="marks", severity="warning", markup=False, timeout=12)
        for conflict in result.conflicts:
            self._report_conflict(conflict)
        if message.first:
            self._marks_loaded = True
            orphans = sum(1 for m in self.book.marks if any(t.orphaned for t in m.targets))
            if orphans:
                self.notify(
                    f"{orphans} saved mark(s) could not be found again in the texts; "
                    "they are kept and listed as orphaned in the marks panel (l)",
                    title="marks",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
        if message.first or result.changed:
            self._marks_changed(save=False)

    def _report_conflict(self, conflict) -> None:
        from reader.core.records import BOTH_EDITED, EDITED_THERE

        if conflict.why == BOTH_EDITED:
            lost = (conflict.dropped or {}).get("note", "")
            where = "here" if conflict.kept == "theirs" else "in the other window"
            text = (
                f"A mark was edited here and in another window: kept the later edit; "
                f"the note {where} was \u201c{excerpt(str(lost), 60)}\u201d"
            )
        elif conflict.why == EDITED_THERE:
            text = "A mark you removed was edited in another window meanwhile: it is back"
        else:
            text = "A mark removed in another window was edited here: it is kept"
        self.notify(text, title="marks", severity="warning", markup=False, timeout=10)

    # -- saving -----------------------------------------------------------------------
    def _marks_changed(self, save: bool = True) -> None:
        """Repaint the panes and the panel; save (in a thread) when asked."""
        per_source = self.book.per_source()
        for pane in self.panes:
            pane.view.set_marked(per_source[pane.index] if pane.index < len(per_source) else {})
        self._marks_panel().set_marks(self.book.marks, self.book)
        if save and self.store is not None:
            self._sync_marks()

    def flush_marks(self) -> None:
        """Save now, in this thread, if the file lacks this session's marks (at exit).
        Merged like every save: a load still running cannot make it lose anything."""
        store = self.store
        if store is None or not store.writable:
            return
        with self._save_lock:
            if store.records.pending():
                try:
                    store.sync()
                except Exception:
                    pass

    def on_marks_save_failed(self, message: MarksSaveFailed) -> None:
        self.notify(
            f"{message.text}. Your marks are kept in memory; export them (e) to keep a copy.",
            title="marks not saved",
            severity="error",
            markup=False,
            timeout=12,
        )

    # -- marking ----------------------------------------------------------------------
    def make_mark(self, source: int, first: int, last: int, **kw) -> Mark | None:
        if not self.sources or not len(self.sources[source]):
            self.bell()
            return None
        if self.alignment is not None:
            al, counterparts = self.alignment, self.mark_counterparts
        else:  # its counterparts are added when the alignment is ready
            al, counterparts = Alignment(self.sources, []), False
        mark = create_mark(
            al, source, min(first, last), max(first, last), counterparts=counterparts, **kw
        )
        if self.alignment is None and self.mark_counterparts:
            self._awaiting_counterparts.add(mark.id)
        self.book.add(mark)
        self._marks_changed()
        return mark

    def _add_awaited_counterparts(self) -> None:
        """The alignment is ready: marks made while it ran get their counterparts."""
        changed = False
        for mark_id in sorted(self._awaiting_counterparts):
            mark = self.book.find(mark_id)
            if mark is not None:
                self.book.replace(add_counterparts(self.alignment, mark))
                changed = True
        self._awaiting_counterparts.clear()
        if changed:
            self._marks_changed()

    def action_mark(self) -> None:
        if not self.panes:
            return
        view = self.panes[self.leader].view
        if view.visual_anchor is not None:
            first, last = sorted((view.visual_anchor, view.current))
            view.set_visual(None)
        else:
            here = self.book.at(self.leader, view.current)
            if here is not None and here[1] is here[0].primary:
                self.notify(
                    "Already marked: a edits its note and colour, l lists the marks "
                    "(d removes one there)",
                    markup=False,
                    timeout=4,
                )
                return
            first = last = view.current
        mark = self.make_mark(self.leader, first, last)
        if mark is None:
            return
        n = last - first + 1
        what = "sentence" if n == 1 else f"{n} sentences"
        extra = len(mark.targets) - 1
        self.status.set_message(
            Content(
                f"marked {what}"
                + (f" and {extra} counterpart passage(s)" if extra else "")
                + " · a adds a note · l lists marks"
            )
        )

    def action_annotate(self) -> None:
        if not self.panes:
            return
        view = self.panes[self.leader].view
        here = self.book.at(self.leader, view.current)
        if here is None:
            mark = self.make_mark(self.leader, view.current, view.current)
            if mark is None:
                return
        else:
            mark = here[0]
        self.edit_mark_dialog(mark.id)

    def edit_mark_dialog(self, mark_id: str) -> None:
        from reader.ui.mark_editor import MarkEditor

        mark = self.book.find(mark_id)
        if mark is None:
            return

        def done(result: tuple[str, str] | None) -> None:
            current = self.book.find(mark_id)
            if result is None or current is None:
                return
            note, tag = result
            if note != current.note or tag != current.tag:
                self.book.replace(edit_mark(current, note=note, tag=tag))
                self._marks_changed()

        self.push_screen(MarkEditor(mark), done)

    def remove_mark(self, mark_id: str, confirm: bool = True) -> None:
        mark = self.book.find(mark_id)
        if mark is None:
            return
        if confirm:
            from reader.ui.confirm import Confirm

            def answered(yes: bool | None) -> None:
                if yes:
                    self.remove_mark(mark_id, confirm=False)

            self.push_screen(
                Confirm(
                    Content.assemble(
                        "Remove this mark?\n\n",
                        (f"{sanitise(mark.source)}: ", "bold"),
                        excerpt(sanitise(mark.primary.exact), 120),
                    )
                ),
                answered,
            )
            return
        self.book.remove(mark_id)
        self._marks_changed()
        self.notify("Mark removed", markup=False, timeout=3)

    def action_mark_step(self, step: int) -> None:
        if not self.panes:
            return
        view = self.panes[self.leader].view
        marked = self.book.marked_sentences(self.leader)
        # a run counts once: jump to the first sentence of each marked run
        starts = [k for k in marked if k - 1 not in marked]
        if not starts:
            self.bell()
            self.status.set_message("no marks in this pane")
            return
        cur = view.current
        if step > 0:
            after = [k for k in starts if k > cur]
            target = after[0] if after else starts[0]
        else:
            run_start = max((k for k in starts if k <= cur), default=None)
            before = [
                k
                for k in starts
                if k < (run_start if cur in marked and run_start is not None else cur)
            ]
            target = before[-1] if before else starts[-1]
        self.move_to(self.leader, target)

    def jump_to_mark(self, mark_id: str) -> None:
        mark = self.book.find(mark_id)
        if mark is None:
            return
        where = self.book.first_live(mark)
        if where is None:
            self.bell()
            self.notify(
                "This mark is orphaned: its text was not found in the sources as they are now",
                markup=False,
                timeout=5,
            )
            return
        self.jump_to(*where)

    def action_toggle_mark_counterparts(self) -> None:
        self.mark_counterparts = not self.mark_counterparts
        self.notify(
            "m marks the sentence and its counterparts in the other sources"
            if self.mark_counterparts
            else "m marks the sentence in this pane only",
            markup=False,
            timeout=3,
        )

    # -- the panel ------------------------------------------------------------------
    def _marks_panel(self):
        from reader.ui.marks_panel import MarksPanel

        return self.query_one(MarksPanel)

    def action_toggle_marks_panel(self) -> None:
        panel = self._marks_panel()
        if panel.is_open and panel.has_focus_within:
            panel.close()
            self._focus_leader()
            return
        here = (
            self.book.at(self.leader, self.panes[self.leader].view.current) if self.panes else None
        )
        panel.open(here[0].id if here else None)  # on the mark under the cursor
        self.call_after_refresh(self._apply_visibility)  # fewer panes may fit now
        self.request_resync()

    def _focus_leader(self) -> None:
        if self.panes:
            self.panes[self.leader].view.focus()
        self.call_after_refresh(self._apply_visibility)  # the panel's width is back
        self.request_resync()

    def on_marks_panel_jump(self, message) -> None:
        self.jump_to_mark(message.mark_id)

    def on_marks_panel_edit(self, message) -> None:
        self.edit_mark_dialog(message.mark_id)

    def on_marks_panel_remove(self, message) -> None:
        self.remove_mark(message.mark_id)

    def on_marks_panel_closed(self, message) -> None:
        self._focus_leader()

    # -- copy and export --------------------------------------------------------------
    def action_copy(self) -> None:
        """Copy the highlighted mark (panel), the mark here, or the current sentence,
        with its source name, through the terminal (OSC 52)."""
        panel = self._marks_panel()
        mark: Mark | None = None
        target: Target | None = None
        if panel.has_focus_within:
            mark = self.book.find(panel.highlighted_id() or "")
            if mark is None:
                self.bell()
                return
            target = mark.primary
        elif self.panes:
            here = self.book.at(self.leader, self.panes[self.leader].view.current)
            if here is not None:
                mark, target = here
        if target is not None:
            text, name = target.exact, target.source
        elif self.panes and len(self.panes[self.leader].view.source):
            view = self.panes[self.leader].view
            text, name = view.source.sentence(view.current), view.source.name
        else:
            self.bell()
            return
        payload = f"\u201c{' '.join(text.split())}\u201d \u2014 {name}"
        if mark is not None and mark.note:
            payload += f"\nNote: {mark.note}"
        # the text itself (sent base64-encoded: never drawn); only what UTF-8 cannot
        # encode is replaced
        self.copy_to_clipboard(encodable(payload))
        what = "the mark" if mark is not None else "the sentence"
        self.notify(
            f"Copied {what} from {name} to the clipboard (OSC 52). If your terminal "
            "blocks OSC 52, export to a file with e: that always works.",
            title="copied",
            markup=False,
            timeout=5,
        )

    def action_export(self) -> None:
        from reader.ui.export_dialog import ExportDialog

        if not self.sources:
            return
        folder = self.marks_path.parent if self.marks_path is not None else Path.cwd()
        al = self.alignment
        marks = tuple(self.book.marks)

        def build(fmt: str, matches: bool) -> str:
            """Runs in the dialog's worker thread: pure core calls on a snapshot."""
            from reader.core.export import collect_marks, collect_matches, render

            if al is None:
                raise ValueError("the alignment is still running; export when it is done")
            data = collect_matches(al) if matches else collect_marks(al, marks)
            return render(data, fmt)

        def done(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Exported to {path}", title="export", markup=False, timeout=6)
            self._focus_leader()

        self.push_screen(ExportDialog(folder, len(marks), build), done)
