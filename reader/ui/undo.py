"""One undo history for the reading view: ctrl+z undoes the last change the reader
made, ctrl+y redoes it, whatever kind it was (a mark made or removed, a link or an
unlink of the alignment: each kind pushes its own steps).

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
    """``text``: what the step did ("marked 000.txt:3"); ``undo``/``redo`` do it and
    may return False when they cannot now (the step then stays where it was);
    ``announce``: False when they say what they did themselves."""

    text: str
    undo: Callable[[], bool | None]
    redo: Callable[[], bool | None]
    announce: bool = True


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
        step = self.done[-1]
        if step.undo() is False:
            return None
        self.undone.append(self.done.pop())
        return step

    def redo(self) -> Step | None:
        """Redo the last change undone (None: nothing to redo)."""
        if not self.undone:
            return None
        step = self.undone[-1]
        if step.redo() is False:
            return None
        self.done.append(self.undone.pop())
        return step
