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

from collections.abc import Sequence
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from reader.core.text.load import Document
from reader.core.text.segment import Source
from reader.ui.panes.levels import Prepared, preparation_order


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
    DEFAULT_CSS = """
    Aligner { display: none; }
    """

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
        """Align in a thread; post progress in ~0.25 s steps; never touch a widget."""
        import time

        worker = get_current_worker()
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

    @property
    def aligning(self) -> bool:
        """Whether an alignment is running now."""
        return any(w.group == "align" and w.is_running for w in self.workers)

    def cancel(self) -> None:
        """Stop the alignment (the panes then scroll independently)."""
        for worker in self.workers:
            if worker.group == "align":
                worker.cancel()
