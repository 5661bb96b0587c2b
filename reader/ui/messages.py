"""Messages the reading view's widgets and workers post up to the app.

Attributes go down, messages come up: a pane never scrolls its siblings; it tells the
deck (the one owner of "where we are"), which sets every pane; the app routes what
concerns more than the panes (marks, the status line, dialogs). Each message is a
dataclass: its fields are what it carries. (The loader's messages are with it, in
:mod:`reader.ui.aligner`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from reader.core.alignment.corrections import Corrections
    from reader.core.alignment.navigation import Hit
    from reader.core.marks.marks import Mark
    from reader.core.marks.sidecar import SyncResult


@dataclass(eq=False)
class Moved(Message):
    """The user moved the current sentence of pane ``source`` to ``sentence``.

    ``screen_row`` is where its first row should sit in the pane (page moves, wheel,
    click); ``None`` asks for the smallest scroll that shows it.
    """

    source: int
    sentence: int
    screen_row: int | None = None


@dataclass(eq=False)
class Resized(Message):
    """A pane got a new size (and re-wrapped): the deck lines the panes up again."""


@dataclass(eq=False)
class StatusNote(Message):
    """A line for the status bar (what a key did, or why it did nothing)."""

    text: str
    error: bool = False
    transient: bool = False  # about where the reader is: the next move clears it


@dataclass(eq=False)
class SearchDone(Message):
    """A search worker finished: ``hits`` in reading order."""

    query: str
    hits: list[Hit]


@dataclass(eq=False)
class MarksSynced(Message):
    """The marks worker merged the marks with the file (``first``: the load, with the
    marks re-anchored to the texts); ``result`` says whether what the session holds
    changed, and what to tell the user."""

    result: SyncResult
    first: bool = False


@dataclass(eq=False)
class MarksSaveFailed(Message):
    """Saving the marks failed (one readable line); the marks are still in memory."""

    text: str


@dataclass(eq=False)
class MarksChanged(Message):
    """The marks the session holds changed (made, edited, removed here, or merged in
    from another window): ``per_source`` is what each pane shows (sentence -> tag),
    ``marks`` what the marks panel lists."""

    per_source: list[dict[int, str]]
    marks: list[Mark]


@dataclass(eq=False)
class CorrectionsSynced(Message):
    """The corrections worker merged the corrections with the file (``first``: the
    load, with them re-anchored to the texts)."""

    result: SyncResult
    first: bool = False


@dataclass(eq=False)
class CorrectionsChanged(Message):
    """The corrections in force changed from outside this window's keys (the load,
    another window or command): the app applies ``corrections`` to the alignment."""

    corrections: Corrections


@dataclass(eq=False)
class CorrectionsSaveFailed(Message):
    """Saving the corrections failed (one readable line); they are still in memory."""

    text: str


@dataclass(eq=False)
class LinkPending(Message):
    """What the status line shows while a link is being made (None: nothing pending)."""

    text: str | None
