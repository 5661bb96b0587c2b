"""Loading and aligning, in worker threads that never touch a widget.

:class:`Aligner` draws nothing: :meth:`Aligner.load` segments the documents and posts
:class:`~reader.ui.messages.SourcesReady` (the panes show the text at once);
:meth:`Aligner.align` aligns them with progress in ~0.25 s steps
(:class:`~reader.ui.messages.LoadProgress`), posts
:class:`~reader.ui.messages.AlignmentReady`, then prepares the other strictness levels
(:class:`~reader.ui.messages.StrictnessReady`), so the strictness key only swaps
prepared data. Esc cancels the alignment (:meth:`Aligner.cancel`); a failure is one
readable line (:class:`~reader.ui.messages.LoadFailed`), never a traceback.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from reader.core.text.load import Document
from reader.core.text.segment import Source
from reader.ui.panes.levels import Prepared, preparation_order

if TYPE_CHECKING:
    from reader.ui.align_process import AlignProcess

#: the longest the worker holds back the other strictness levels for the default
#: level's first frame (it is normally told sooner: :meth:`Aligner.level_shown`)
SHOWN_TIMEOUT = 2.0


@dataclass(eq=False)
class LoadProgress(Message):
    """The load/align worker reports a step (``fraction`` from 0 to 1)."""

    text: str
    fraction: float


@dataclass(eq=False)
class SourcesReady(Message):
    """The documents are segmented: panes can show the text before alignment ends."""

    sources: list[Source]


@dataclass(eq=False)
class AlignmentReady(Message):
    """The alignment is done, at its default strictness."""

    prepared: Prepared


@dataclass(eq=False)
class StrictnessReady(Message):
    """Another strictness level of the alignment is prepared (the worker goes on after
    :class:`AlignmentReady`, so the panes never wait for it)."""

    prepared: Prepared


@dataclass(eq=False)
class LoadFailed(Message):
    """A readable one-line message about what went wrong while loading or aligning."""

    stage: str
    text: str


@dataclass(eq=False)
class AlignmentStopped(Message):
    """The reader stopped the alignment (Esc): not a problem, the panes scroll
    independently until it is started again."""


class _Cancelled(Exception):
    pass


class Aligner(Widget):
    """Loads and aligns in workers. ``process``: the alignment already running in a
    process of its own (:mod:`reader.ui.align_process`), whose results
    :meth:`receive` reads; without it :meth:`align` aligns in a thread."""

    DEFAULT_CSS = """
    Aligner { display: none; }
    """

    def __init__(self, process: AlignProcess | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.process = process
        self._shown = threading.Event()
        self._closing = False  # unmounted: no alignment to start any more

    def level_shown(self) -> None:
        """The panes painted the default level: the other levels may be prepared (or
        read) now, without taking time from that first frame."""
        self._shown.set()

    def start(self, sources: list[Source], shown: bool = False) -> None:
        """Align ``sources``: read the alignment process's results, or align here.
        ``shown``: the app already took the default level (:meth:`AlignProcess.early`);
        only the other levels are left to read."""
        if self.process is not None:
            self.receive(self.process, sources, shown)
        else:
            self.align(sources)

    @work(thread=True, exclusive=True, exit_on_error=False, group="align")
    def receive(self, process: AlignProcess, sources: list[Source], shown: bool = False) -> None:
        """Read the alignment process's progress and results (never touch a widget)."""
        worker = get_current_worker()
        ready = shown
        if shown:
            self._shown.wait(SHOWN_TIMEOUT)  # the levels come after that frame
        try:
            for message in process.messages(sources):
                if worker.is_cancelled:
                    break
                kind = message[0]
                if kind == "progress":
                    self.post_message(LoadProgress(message[1], message[2]))
                elif kind == "ready":
                    ready = True
                    self.post_message(AlignmentReady(message[1]))
                    self._shown.wait(SHOWN_TIMEOUT)  # the levels come after that frame
                elif kind == "level":
                    self.post_message(StrictnessReady(message[1]))
                elif kind == "failed":
                    if ready:  # the default level is shown: a level is missing
                        self.post_message(LoadFailed("preparing strictness", message[1]))
                        return
                    break  # the process did not deliver: align here instead (below)
        except Exception as exc:  # a readable line, never a traceback
            self.post_message(LoadFailed("aligning", f"{type(exc).__name__}: {exc}"))
            return
        finally:
            process.close()
        if worker.is_cancelled:
            self.post_message(
                LoadFailed("aligning", "alignment cancelled: panes scroll independently")
            )
        elif not ready and not self._closing:
            self._align_here(sources)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load(self, documents: Sequence[Document]) -> None:
        """Split the documents into sentences. Only ``reader.core.text.segment`` (pure
        Python) is imported here: numpy and scipy load later, in :meth:`_align`, once
        the panes are on screen, so they never delay the first frame."""
        try:
            from reader.core.text.segment import segment

            sources = segment(documents)
        except Exception as exc:  # a readable line, never a traceback
            self.post_message(LoadFailed("segmenting", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SourcesReady(sources))

    @work(thread=True, exclusive=True, exit_on_error=False, group="align")
    def align(self, sources: list[Source]) -> None:
        """Align in a thread; post progress (see align_process.Progress); never touch a
        widget."""
        self._align_here(sources)

    def _align_here(self, sources: list[Source]) -> None:
        """The alignment in this (worker) thread, its levels after the first frame."""
        from reader.ui.align_process import Progress

        worker = get_current_worker()
        throttle = Progress()

        def progress(text: str, fraction: float) -> None:
            if worker.is_cancelled:
                raise _Cancelled
            if throttle.wanted(text, fraction):
                self.post_message(LoadProgress(text, fraction))

        try:
            from reader.core.alignment.pipeline import align_sources
            from reader.ui.panes.levels import prepare

            alignment = align_sources(sources, progress=progress)
            ready = prepare(alignment)  # indexes and shading here, not on the first key
        except _Cancelled:
            self.post_message(AlignmentStopped())
            return
        except Exception as exc:
            self.post_message(LoadFailed("aligning", f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(AlignmentReady(ready))
        # The other strictness levels, next one first: the strictness key then only
        # swaps prepared data. The panes are already aligned and usable meanwhile;
        # their first aligned frame comes first (the GIL: preparing stalls painting).
        if alignment.pool is None:
            return
        self._shown.wait(SHOWN_TIMEOUT)
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

    @property
    def aligning(self) -> bool:
        """Whether an alignment is running now."""
        return any(w.group == "align" and w.is_running for w in self.workers)

    def cancel(self) -> None:
        """Stop the alignment (the panes then scroll independently)."""
        for worker in self.workers:
            if worker.group == "align":
                worker.cancel()
        if self.process is not None:
            self.process.cancel()  # the worker reading it then sees the pipe close

    def on_unmount(self) -> None:
        self._closing = True
        self._shown.set()
        if self.process is not None:  # quitting while it aligns: stop it
            self.process.cancel()
