"""Messages the reading view's widgets and workers post up to the app.

Attributes go down, messages come up: a pane never scrolls its siblings; it
tells the app (the one owner of "where we are") and the app sets every pane.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.core.model import Alignment, Source


@dataclass
class Moved(Message):
    """The user moved the current sentence of pane ``source`` to ``sentence``.

    ``screen_row`` is where its first row should sit in the pane (page moves, wheel,
    click); ``None`` asks for the smallest scroll that shows it.
    """

    source: int
    sentence: int
    screen_row: int | None = None


@dataclass
class LoadProgress(Message):
    """The load/align worker reports a step (``fraction`` from 0 to 1)."""

    text: str
    fraction: float


@dataclass
class SourcesReady(Message):
    """The documents are segmented: panes can show the text before alignment ends."""

    sources: list[Source]


@dataclass
class AlignmentReady(Message):
    alignment: Alignment
    seconds: float


@dataclass
class LoadFailed(Message):
    """A readable one-line message about what went wrong while loading or aligning."""

    stage: str
    text: str


@dataclass
class SearchDone(Message):
    query: str
    hits: list  # list[reader.core.navigation.Hit]
