"""Garbage collection kept out of the start-up and out of keypresses.

From launch to the first aligned frame the collector is off (:meth:`QuietCollector.hold`;
the command line turns it off before importing Textual): the start-up creates objects
that all live on (modules, widgets, the alignment), so collecting them only costs
time, about a tenth of the start-up. :meth:`QuietCollector.settle` collects once after
that frame and turns it back on; :meth:`QuietCollector.release` does so without the
alignment (it failed, was stopped, or there is one source), and so does a timer
(:data:`HOLD_LIMIT`), so a long alignment never runs without it.

Hundreds of thousands of long-lived objects (links, indexes, wrapped rows) are moved
out of the collector's sight once the alignment is ready (``gc.freeze``), and the full
collection, which would still cost 15-50 ms every ten keys or so (Textual's strips
hold many small objects), runs when the user is idle instead of mid-keypress.
"""

from __future__ import annotations

import gc
import time

IDLE_SECONDS = 1.5  # no move for this long: a full collection may run
CHECK_EVERY = 2.0  # seconds between idle checks
HOLD_LIMIT = 10.0  # seconds: the collector is never off longer than this


class QuietCollector:
    def __init__(self) -> None:
        self._threshold: tuple[int, int, int] | None = None
        self.last_activity = 0.0

    def hold(self) -> None:
        """No collection until :meth:`settle` or :meth:`release` (start-up)."""
        gc.disable()

    def release(self) -> None:
        """The collector back on (idempotent)."""
        gc.enable()

    def touch(self) -> None:
        """The user moved: no full collection for a while."""
        self.last_activity = time.monotonic()

    def settle(self) -> bool:
        """Collect, freeze what survives and take full collections over. Returns True
        the first time (the caller then calls :meth:`idle` every CHECK_EVERY s)."""
        gc.collect()
        gc.freeze()
        self.release()
        if self._threshold is not None:
            return False
        self._threshold = gc.get_threshold()
        first, second, _ = self._threshold
        gc.set_threshold(first, second, 1000)
        return True

    def idle(self) -> None:
        if time.monotonic() - self.last_activity >= IDLE_SECONDS and gc.get_count()[1] > 0:
            gc.collect()

    def restore(self) -> None:
        """Give the collector its own thresholds back (the app is closing)."""
        self.release()
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
