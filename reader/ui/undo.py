"""One undo history for the reading view: ctrl+z undoes the last change the reader
made, ctrl+y redoes it, whatever kind it was (a mark made or removed here; other
kinds of change push their own steps).

A :class:`Step` is a description and two callables; the history holds no state of
its own, so anything that can undo itself can take part (the marks now; corrections
of the alignment can push steps the same way).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: steps kept (the oldest are forgotten)
LIMIT = 1000


@dataclass(frozen=True)
class Step:
    """``text``: what the step did ("marked 000.txt:3"); ``undo``/``redo`` do it."""

    text: str
    undo: Callable[[], None]
    redo: Callable[[], None]


class UndoStack:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.done: list[Step] = []
        self.undone: list[Step] = []

    def push(self, step: Step) -> None:
        """A new change: it can be undone; what was undone can no longer be redone."""
        self.done.append(step)
        del self.done[: -self.limit]
        self.undone.clear()

    def undo(self) -> Step | None:
        """Undo the last change (None: nothing to undo)."""
        if not self.done:
            return None
        step = self.done.pop()
        step.undo()
        self.undone.append(step)
        return step

    def redo(self) -> Step | None:
        """Redo the last change undone (None: nothing to redo)."""
        if not self.undone:
            return None
        step = self.undone.pop()
        step.redo()
        self.done.append(step)
        return step
