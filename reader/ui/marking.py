"""Marking in the app: the marks a reader keeps, shown, listed, saved and exported.

:class:`MarkBook` holds the marks (plain data, no widgets) and answers the questions
the panes ask (which sentences are marked, which mark is here, where is the next one).
:class:`MarkingMixin` gives :class:`~reader.ui.app.ReaderApp` its marking actions, the
autosave and the load at start-up. The marks themselves, their anchors, storage and
export formats are the core's (:mod:`reader.core.marks`, :mod:`reader.core.storage`,
:mod:`reader.core.export`); this module only wires them to the screen.

Saving: every change hands an immutable snapshot to a thread worker; a worker saves
the newest snapshot at the moment it gets the save lock, so the file always ends with
the latest state however the threads interleave. The core writes atomically.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content

from reader.core.marks import (Mark, Target, add_counterparts, create_mark, edit_mark,
                               sentences_in)
from reader.core.model import Alignment, Source
from reader.ui.messages import MarksLoaded, MarksSaveFailed

if TYPE_CHECKING:
    from reader.core.sources import Document
    from reader.core.storage import MarkStore

#: How each tag is drawn (a block in the gutter, a swatch in the panel): mid-luminance
#: colours that read on dark and light themes alike. The pane's CSS has the same values
#: as component classes (``pane--tag-<name>``), so a stylesheet can change them.
TAG_COLOURS = {"yellow": "#d4b106", "green": "#3fa34d", "blue": "#3d7eff",
               "pink": "#e055a8", "orange": "#e8772e"}


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
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


class MarkBook:
    """The marks of this session, in creation order."""

    def __init__(self, sources: Sequence[Source] = ()) -> None:
        self.marks: list[Mark] = []
        self.set_sources(sources)

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
        return next((m for m in self.marks if m.id == mark_id), None)

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
        self.marks.append(mark)

    def replace(self, mark: Mark) -> None:
        self.marks = [mark if m.id == mark.id else m for m in self.marks]

    def remove(self, mark_id: str) -> Mark | None:
        gone = self.find(mark_id)
        self.marks = [m for m in self.marks if m.id != mark_id]
        return gone

    def merge_loaded(self, loaded: Sequence[Mark]) -> bool:
        """Put the saved marks first, keeping any made before they arrived. Returns
        True when marks made this session were kept (so the file needs a save)."""
        ids = {m.id for m in loaded}
        fresh = [m for m in self.marks if m.id not in ids]
        self.marks = list(loaded) + fresh
        return bool(fresh)


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
        self._latest: tuple[Mark, ...] = ()
        self._saved: tuple[Mark, ...] = ()

    # -- start-up ---------------------------------------------------------------------
    def _start_marks(self) -> None:
        self.book.set_sources(self.sources)
        if self.marks_path is not None:
            from reader.core.storage import MarkStore

            self.store = MarkStore(self.marks_path)
            self._load_marks(self.store, list(self.sources))

    @work(thread=True, exclusive=True, exit_on_error=False, group="marks-load")
    def _load_marks(self, store: MarkStore, sources: list[Source]) -> None:
        """Read the save file and re-anchor every mark to the texts (never touches a
        widget)."""
        from reader.core.marks import reanchor_marks

        try:
            marks = reanchor_marks(store.load(), sources)
        except Exception as exc:  # never a traceback: report, and do not save over it
            store.writable = False
            self.post_message(MarksLoaded([], [f"cannot load marks: {type(exc).__name__}: "
                                               f"{exc}; marks will not be saved"]))
            return
        self.post_message(MarksLoaded(marks, list(store.warnings)))

    def on_marks_loaded(self, message: MarksLoaded) -> None:
        for warning in message.warnings:
            self.notify(warning, title="marks", severity="warning", markup=False, timeout=12)
        kept_new = self.book.merge_loaded(message.marks)
        orphans = sum(1 for m in message.marks if any(t.orphaned for t in m.targets))
        if orphans:
            self.notify(f"{orphans} saved mark(s) could not be found again in the texts; "
                        "they are kept and listed as orphaned in the marks panel (l)",
                        title="marks", severity="warning", markup=False, timeout=10)
        self._marks_changed(save=kept_new)

    # -- saving -----------------------------------------------------------------------
    def _marks_changed(self, save: bool = True) -> None:
        """Repaint the panes and the panel; save (in a thread) when asked."""
        per_source = self.book.per_source()
        for pane in self.panes:
            pane.view.set_marked(per_source[pane.index] if pane.index < len(per_source)
                                 else {})
        self._marks_panel().set_marks(self.book.marks, self.book)
        if save and self.store is not None:
            self._latest = tuple(self.book.marks)
            self._save_marks()

    @work(thread=True, exit_on_error=False, group="marks-save")
    def _save_marks(self) -> None:
        from reader.core.storage import StorageError

        store = self.store
        if store is None:
            return
        with self._save_lock:
            latest = self._latest
            if latest is self._saved:
                return
            try:
                saved = store.save(latest)
            except StorageError as exc:
                self.post_message(MarksSaveFailed(str(exc)))
                return
            except Exception as exc:
                self.post_message(MarksSaveFailed(f"cannot save marks: "
                                                  f"{type(exc).__name__}: {exc}"))
                return
            if saved:
                self._saved = latest
            elif not store.writable:
                self._saved = latest  # read-only this session: reported at load

    def flush_marks(self) -> None:
        """Save now, in this thread, if the newest marks are not on disk (at exit)."""
        store = self.store
        if store is None or not store.writable:
            return
        with self._save_lock:
            if self._latest is not self._saved:
                try:
                    store.save(self._latest)
                    self._saved = self._latest
                except Exception:
                    pass

    def on_marks_save_failed(self, message: MarksSaveFailed) -> None:
        self.notify(f"{message.text}. Your marks are kept in memory; export them (e) "
                    "to keep a copy.", title="marks not saved", severity="error",
                    markup=False, timeout=12)

    # -- marking ----------------------------------------------------------------------
    def make_mark(self, source: int, first: int, last: int, **kw) -> Mark | None:
        if not self.sources or not len(self.sources[source]):
            self.bell()
            return None
        if self.alignment is not None:
            al, counterparts = self.alignment, self.mark_counterparts
        else:  # its counterparts are added when the alignment is ready
            al, counterparts = Alignment(self.sources, []), False
        mark = create_mark(al, source, min(first, last), max(first, last),
                           counterparts=counterparts, **kw)
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
                self.notify("Already marked: a edits its note and colour, l lists the marks "
                            "(d removes one there)", markup=False, timeout=4)
                return
            first = last = view.current
        mark = self.make_mark(self.leader, first, last)
        if mark is None:
            return
        n = last - first + 1
        what = "sentence" if n == 1 else f"{n} sentences"
        extra = len(mark.targets) - 1
        self.status.set_message(Content(
            f"marked {what}" + (f" and {extra} counterpart passage(s)" if extra else "")
            + " · a adds a note · l lists marks"))

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

            self.push_screen(Confirm(Content.assemble(
                "Remove this mark?\n\n", (f"{mark.source}: ", "bold"),
                excerpt(mark.primary.exact, 120))), answered)
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
            before = [k for k in starts if k < (run_start if cur in marked and run_start
                                                is not None else cur)]
            target = before[-1] if before else starts[-1]
        self.move_to(self.leader, target)

    def jump_to_mark(self, mark_id: str) -> None:
        mark = self.book.find(mark_id)
        if mark is None:
            return
        where = self.book.first_live(mark)
        if where is None:
            self.bell()
            self.notify("This mark is orphaned: its text was not found in the sources as "
                        "they are now", markup=False, timeout=5)
            return
        self.jump_to(*where)

    def action_toggle_mark_counterparts(self) -> None:
        self.mark_counterparts = not self.mark_counterparts
        self.notify("m marks the sentence and its counterparts in the other sources"
                    if self.mark_counterparts else "m marks the sentence in this pane only",
                    markup=False, timeout=3)

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
        here = (self.book.at(self.leader, self.panes[self.leader].view.current)
                if self.panes else None)
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
        self.copy_to_clipboard(payload)
        what = "the mark" if mark is not None else "the sentence"
        self.notify(f"Copied {what} from {name} to the clipboard (OSC 52). If your terminal "
                    "blocks OSC 52, export to a file with e: that always works.",
                    title="copied", markup=False, timeout=5)

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
