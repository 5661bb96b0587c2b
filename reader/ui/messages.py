"""Messages the reading view's widgets and workers post up to the app.

Attributes go down, messages come up: a pane never scrolls its siblings; it
tells the app (the one owner of "where we are") and the app sets every pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from reader.core.model import Alignment, Source

if TYPE_CHECKING:
    from reader.ui.levels import Prepared


class Moved(Message):
    """The user moved the current sentence of pane ``source`` to ``sentence``.

    ``screen_row`` is where its first row should sit in the pane (page moves, wheel,
    click); ``None`` asks for the smallest scroll that shows it.
    """

    def __init__(self, source: int, sentence: int, screen_row: int | None = None) -> None:
        super().__init__()
        self.source = source
        self.sentence = sentence
        self.screen_row = screen_row


class Resized(Message):
    """A pane got a new size (and re-wrapped): the app lines the panes up again."""


class LoadProgress(Message):
    """The load/align worker reports a step (``fraction`` from 0 to 1)."""

    def __init__(self, text: str, fraction: float) -> None:
        super().__init__()
        self.text = text
        self.fraction = fraction


class SourcesReady(Message):
    """The documents are segmented: panes can show the text before alignment ends."""

    def __init__(self, sources: list[Source]) -> None:
        super().__init__()
        self.sources = sources


class AlignmentReady(Message):
    """The alignment is done (in ``seconds``), at its default strictness."""

    def __init__(self, prepared: Prepared, seconds: float) -> None:
        super().__init__()
        self.prepared = prepared
        self.alignment: Alignment = prepared.alignment
        self.seconds = seconds


class StrictnessReady(Message):
    """Another strictness level of the alignment is prepared (the worker goes on after
    :class:`AlignmentReady`, so the panes never wait for it)."""

    def __init__(self, prepared: Prepared) -> None:
        super().__init__()
        self.prepared = prepared


class LoadFailed(Message):
    """A readable one-line message about what went wrong while loading or aligning."""

    def __init__(self, stage: str, text: str) -> None:
        super().__init__()
        self.stage = stage
        self.text = text


class SearchDone(Message):
    """A search worker finished: ``hits`` in reading order."""

    def __init__(self, query: str, hits: list) -> None:
        super().__init__()
        self.query = query
        self.hits = hits


class MarksSynced(Message):
    """The marks worker merged the marks with the file (``first``: the load, with the
    marks re-anchored to the texts); ``result`` says whether what the session holds
    changed, and what to tell the user."""

    def __init__(self, result, first: bool = False) -> None:
        super().__init__()
        self.result = result
        self.first = first


class MarksSaveFailed(Message):
    """Saving the marks failed (one readable line); the marks are still in memory."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
