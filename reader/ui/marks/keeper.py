"""The marks a reader keeps: made, edited, removed, loaded and saved.

:class:`MarkKeeper` is a widget that draws nothing: it owns the session's marks (a
:class:`~reader.ui.marks.book.MarkBook`), their store and the worker that saves them,
and posts :class:`~reader.ui.messages.MarksChanged` whenever what the panes and the
marks panel show changes (the app routes it). The app calls it with the sentences to
mark, edit or remove; the alignment comes down through :meth:`MarkKeeper.set_alignment`.
The marks themselves, their anchors, storage and export formats are the core's
(:mod:`reader.core.marks`, :mod:`reader.core.export`); this module wires them to the
screen.

Saving: the book's marks are the core's :class:`~reader.core.marks.records.SyncedRecords`;
every change starts a thread worker that syncs them with the marks file
(:class:`~reader.core.marks.storage.MarkStore`): the file is read as it is on disk, merged
with this session's changes and written atomically under a lock. The first sync is
the load, so nothing is written before the file has been read. What another instance
saved comes in with every sync, and a poll of the file every few seconds: panes and
panel repaint when a merge changes what this session holds. The last save, at exit,
runs in the app's thread; if it fails, :meth:`MarkKeeper.flush` says so (the app
reports it once the terminal is restored).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.widget import Widget

from reader.core.alignment.model import Alignment
from reader.core.marks.marks import Mark, add_counterparts, create_mark, edit_mark
from reader.core.marks.records import BOTH_EDITED, EDITED_THERE, Conflict
from reader.core.text.segment import Source
from reader.ui.literal import sanitise
from reader.ui.marks.book import MarkBook, excerpt, orphan_counts
from reader.ui.messages import MarksChanged, MarksSaveFailed, MarksSynced, StatusNote
from reader.ui.undo import Step, UndoStack

if TYPE_CHECKING:
    from reader.core.marks.storage import MarkStore
    from reader.core.text.load import Document

#: seconds between two looks at the marks file for what another instance saved
POLL_EVERY = 3.0


def marks_file(documents: Sequence[Document]) -> Path | None:
    """The sidecar save file for these documents (the core's :func:`marks_path` of the
    folder of the first document read from disk), or None when none came from a file."""
    from reader.core.marks.storage import marks_path

    for doc in documents:
        if doc.path is not None:
            return marks_path([doc.path])
    return None


class MarkKeeper(Widget):
    """The session's marks and their saving. ``marks_path``: the marks file (None: the
    marks are kept in memory only)."""

    DEFAULT_CSS = """
    MarkKeeper { display: none; }
    """

    def __init__(self, marks_path: Path | None, history: UndoStack | None = None, **kwargs) -> None:
        """``history``: where marking and removing push their undo steps."""
        super().__init__(**kwargs)
        self.history = history if history is not None else UndoStack()
        self.book = MarkBook()
        self.sources: list[Source] = []
        self.alignment: Alignment | None = None
        self.counterparts = True  # m marks the counterparts too
        self._awaiting_counterparts: set[str] = set()  # marks made before the alignment
        self.marks_path = marks_path
        self.store: MarkStore | None = None
        self._save_lock = threading.Lock()
        self.loaded = False  # the first sync (the load) is done

    # -- start-up ---------------------------------------------------------------------
    def start(self, sources: Sequence[Source]) -> None:
        """The sources are on screen: read the marks file (in a worker) and watch it."""
        self.sources = list(sources)
        self.book.set_sources(self.sources)
        if self.marks_path is not None:
            from reader.core.marks.marks import reanchor_marks
            from reader.core.marks.storage import MarkStore

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
        if self.store is not None and self.store.writable and self.loaded:
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
            self.loaded = True
            orphans, partly = orphan_counts(self.book.marks)
            if orphans or partly:
                lines = []
                if orphans:
                    lines.append(
                        f"{orphans} saved mark{'' if orphans == 1 else 's'} could not be "
                        "found again in the texts (kept, listed as orphaned)"
                    )
                if partly:
                    has = "has" if partly == 1 else "have"
                    who = (
                        f"{partly} other"
                        if orphans
                        else f"{partly} saved mark{'' if partly == 1 else 's'}"
                    )
                    lines.append(f"{who} {has} counterparts that could not be found")
                self.notify(
                    "; ".join(lines) + "; the marks panel (l) lists them",
                    title="marks",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
        if message.first or result.changed:
            self.changed(save=False)

    def _report_conflict(self, conflict: Conflict) -> None:
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
    def changed(self, save: bool = True) -> None:
        """Tell the app what the panes and the panel show now; save (in a thread) when
        asked."""
        self.post_message(MarksChanged(self.book.per_source(), self.book.marks))
        if save and self.store is not None:
            self._sync_marks()

    def flush(self) -> str | None:
        """Save now, in this thread, if the file lacks this session's marks (at exit).
        Merged like every save: a load still running cannot make it lose anything.
        Returns why the marks could not be saved (one line), or None."""
        store = self.store
        if store is None or not store.writable:
            return None
        with self._save_lock:
            if not store.records.pending():
                return None
            try:
                result = store.sync()
            except Exception as exc:  # reported, never a traceback at exit
                return f"cannot save marks: {type(exc).__name__}: {exc}"
        return result.error

    def on_marks_save_failed(self, message: MarksSaveFailed) -> None:
        self.notify(
            f"{message.text}. Your marks are kept in memory; export them (e) to keep a copy.",
            title="marks not saved",
            severity="error",
            markup=False,
            timeout=12,
        )

    # -- marking ----------------------------------------------------------------------
    def make(self, source: int, first: int, last: int, keep: bool = True) -> Mark | None:
        """Mark sentences ``first..last`` of ``source`` (and their counterparts, unless
        the reader turned that off). ``keep=False``: the mark is made, not kept yet
        (the note dialog keeps it only when saved)."""
        if not self.sources or not len(self.sources[source]):
            self.app.bell()
            return None
        if self.alignment is not None:
            al, counterparts = self.alignment, self.counterparts
        else:  # its counterparts are added when the alignment is ready
            al, counterparts = Alignment(self.sources, []), False
        mark = create_mark(
            al, source, min(first, last), max(first, last), counterparts=counterparts
        )
        if keep:
            self._keep(mark)
            self._undoable(mark, "marked")
        return mark

    def _undoable(self, mark: Mark, did: str) -> None:
        """Push the undo step of ``mark`` just made (``did`` "marked") or removed."""
        text = f"{did} {mark.source}"

        def put() -> None:
            self.book.add(mark)
            self.changed()

        def take() -> None:
            self.book.remove(mark.id)
            self.changed()

        if did == "marked":
            self.history.push(Step(text, undo=take, redo=put))
        else:
            self.history.push(Step(text, undo=put, redo=take))

    def _keep(self, mark: Mark) -> None:
        if self.alignment is None and self.counterparts and len(mark.targets) == 1:
            self._awaiting_counterparts.add(mark.id)
        self.book.add(mark)
        self.changed()

    def mark(self, source: int, first: int, last: int, run: bool = False) -> None:
        """``m``: mark the sentence (or the visual run) and say so in the status line; on
        a sentence marked here (not only as a counterpart), remove that mark (ctrl+z
        brings it back)."""
        if not run:
            here = self.book.at(source, first)
            if here is not None and here[1] is here[0].primary:
                self.remove_mark(here[0].id, confirm=False, notice=False)
                self.post_message(
                    StatusNote("unmarked · ctrl+z brings the mark back", transient=True)
                )
                return
        mark = self.make(source, first, last)
        if mark is None:
            return
        n = last - first + 1
        what = "sentence" if n == 1 else f"{n} sentences"
        extra = len(mark.targets) - 1
        self.post_message(
            StatusNote(
                f"marked {what}"
                + (f" and {extra} counterpart passage(s)" if extra else "")
                + " · a adds a note · l lists marks",
                transient=True,
            )
        )

    def annotate(self, source: int, sentence: int) -> None:
        """``a``: the note and colour of the mark here (marking the sentence first)."""
        here = self.book.at(source, sentence)
        if here is not None:
            self.edit(here[0].id)
            return
        mark = self.make(source, sentence, sentence, keep=False)
        if mark is not None:  # kept only if the dialog saves (Esc leaves nothing)
            self._edit_dialog(mark, new=True)

    def set_alignment(self, alignment: Alignment) -> None:
        """The alignment is ready (or shown at another strictness): new marks take their
        counterparts from it, and marks made while it ran get theirs now."""
        self.alignment = alignment
        changed = False
        for mark_id in sorted(self._awaiting_counterparts):
            mark = self.book.find(mark_id)
            if mark is not None:
                self.book.replace(add_counterparts(alignment, mark))
                changed = True
        self._awaiting_counterparts.clear()
        if changed:
            self.changed()

    def edit(self, mark_id: str) -> None:
        """The note-and-colour dialog for mark ``mark_id``."""
        mark = self.book.find(mark_id)
        if mark is not None:
            self._edit_dialog(mark)

    def _edit_dialog(self, mark: Mark, new: bool = False) -> None:
        from reader.ui.marks.editor import MarkEditor

        def done(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            note, tag = result
            if new:
                kept = edit_mark(mark, note=note, tag=tag) if note or tag != mark.tag else mark
                self._keep(kept)
                self._undoable(kept, "marked")
                return
            current = self.book.find(mark.id)
            if current is not None and (note != current.note or tag != current.tag):
                self.book.replace(edit_mark(current, note=note, tag=tag))
                self.changed()

        self.app.push_screen(MarkEditor(mark), done)

    def remove_mark(self, mark_id: str, confirm: bool = True, notice: bool = True) -> None:
        """Remove mark ``mark_id`` (after a yes/no question, unless ``confirm`` is False;
        undoable); ``notice``: say so in a notification."""
        mark = self.book.find(mark_id)
        if mark is None:
            return
        if confirm:
            from reader.ui.dialogs.confirm import Confirm

            def answered(yes: bool | None) -> None:
                if yes:
                    self.remove_mark(mark_id, confirm=False)

            self.app.push_screen(
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
        self._undoable(mark, "removed the mark in")
        self.changed()
        if notice:
            self.notify("Mark removed · ctrl+z brings it back", markup=False, timeout=3)

    def toggle_counterparts(self) -> None:
        self.counterparts = not self.counterparts
        self.notify(
            "m marks the sentence and its counterparts in the other sources"
            if self.counterparts
            else "m marks the sentence in this pane only",
            markup=False,
            timeout=3,
        )

    # -- copy and export --------------------------------------------------------------
    def copy_mark(self, mark_id: str | None) -> None:
        """Copy mark ``mark_id`` (the one highlighted in the panel)."""
        mark = self.book.find(mark_id or "")
        if mark is None:
            self.app.bell()
            return
        self._copy(
            mark, mark.primary.source, mark.primary.exact, mark.primary.start, mark.primary.end
        )

    def copy_here(self, here: tuple[int, int] | None) -> None:
        """Copy the mark covering sentence ``here`` (source, sentence), else the sentence."""
        if here is None:
            self.app.bell()
            return
        found = self.book.at(*here)
        if found is not None:
            mark, t = found
            self._copy(mark, t.source, t.exact, t.start, t.end)
            return
        src = self.sources[here[0]]
        start, end = src.sentences[here[1]]
        self._copy(None, src.name, src.text[start:end], start, end)

    def _copy(self, mark: Mark | None, name: str, text: str, start: int, end: int) -> None:
        """Through the terminal (OSC 52), as :func:`~reader.core.export.passages.citation`
        writes it: the text, its source and characters, the mark's note."""
        from reader.core.export.passages import citation
        from reader.core.visible import encodable

        payload = citation(name, text, start, end, mark.note if mark is not None else "")
        # the text itself (sent base64-encoded: never drawn); only what UTF-8 cannot
        # encode is replaced
        self.app.copy_to_clipboard(encodable(payload))
        what = "the mark" if mark is not None else "the sentence"
        self.notify(
            f"Copied {what} from {name} to the clipboard (OSC 52). If your terminal "
            "blocks OSC 52, export to a file with e: that always works.",
            title="copied",
            markup=False,
            timeout=5,
        )

    def export(
        self,
        alignment: Alignment | None,
        done: Callable[[], None],
        folder: str = "",
        fmt: str = "md",
        exported: Callable[[str], None] = lambda fmt: None,
    ) -> None:
        """The export dialog, on a snapshot of the marks and ``alignment``; ``done`` runs
        when it closes. ``folder``: where it proposes to write ("": next to the sources;
        relative: against them); ``fmt``: the format ticked first; ``exported`` is told
        the format of a file written."""
        from reader.ui.dialogs.export import ExportDialog

        sources = (self.marks_path.parent if self.marks_path is not None else Path.cwd()).absolute()
        place = sources / Path(folder).expanduser() if folder else sources
        marks = tuple(self.book.marks)

        def build(fmt: str, matches: bool) -> str:
            """Runs in the dialog's worker thread: pure core calls on a snapshot."""
            from reader.core.export.passages import collect_marks, collect_matches
            from reader.core.export.render import render

            if alignment is None:
                raise ValueError("the alignment is still running; export when it is done")
            data = collect_matches(alignment) if matches else collect_marks(alignment, marks)
            return render(data, fmt)

        def closed(result: tuple[Path, str] | None) -> None:
            if result is not None:
                path, written_fmt = result
                self.notify(f"Exported to {path}", title="export", markup=False, timeout=6)
                exported(written_fmt)
            done()

        self.app.push_screen(ExportDialog(place, len(marks), build, fmt=fmt, base=sources), closed)
