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

A correction (link, unlink, undo, redo) makes new lookup indexes of the alignment:
a few dozen young dicts and lists of thousands of entries each, which every young
collection traverses until they grow old, two or three of them (2 ms each) in the
frame that shows the correction. :meth:`QuietCollector.quiet_frame` holds the
collector until that frame is painted and then collects the young generations at
once, outside the key's time.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_SECONDS = 1.5  # no move for this long: a full collection may run
CHECK_EVERY = 2.0  # seconds between idle checks
HOLD_LIMIT = 10.0  # seconds: the collector is never off longer than this
QUIET_LIMIT = 1.0  # seconds: a frame held quiet that never came ends here anyway


class QuietCollector:
    def __init__(self) -> None:
        self._threshold: tuple[int, int, int] | None = None
        self.last_activity = 0.0
        self._quiet_since: float | None = None  # a frame held quiet (quiet_frame)

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

    def quiet_frame(self, after_refresh: Callable[[Callable[[], None]], bool]) -> None:
        """No collection until the frame being made is painted (``after_refresh``:
        Textual's ``call_after_refresh``); then the young generations are collected.
        Nothing changes while the collector is held (start-up)."""
        if self._quiet_since is None:
            if not gc.isenabled():
                return
            gc.disable()
        self._quiet_since = time.monotonic()
        if not after_refresh(self.end_quiet):
            self.end_quiet()

    def end_quiet(self) -> None:
        """The frame is painted: the collector back on, the young generations collected."""
        if self._quiet_since is None:
            return
        self._quiet_since = None
        gc.enable()
        gc.collect(1)

    def idle(self) -> None:
        if self._quiet_since is not None and time.monotonic() - self._quiet_since > QUIET_LIMIT:
            self.end_quiet()
        if time.monotonic() - self.last_activity >= IDLE_SECONDS and gc.get_count()[1] > 0:
            gc.collect()

    def restore(self) -> None:
        """Give the collector its own thresholds back (the app is closing)."""
        self.release()
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
