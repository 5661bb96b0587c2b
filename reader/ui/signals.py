"""Termination signals sent to the reading view: SIGTERM, SIGHUP (the terminal
closed) and SIGINT from outside (``kill -INT``; Ctrl+C in the app is a key) make the
app quit as ``q`` does: the marks are saved, the terminal is restored (normal screen,
mouse tracking off, echo back on) and the process exits with 128 + the signal's
number (143 for SIGTERM, 129 for SIGHUP, 130 for SIGINT).

The handlers are asyncio's (``loop.add_signal_handler``): the signal only schedules
``App.exit`` on the event loop, so it never interrupts a save half-way.

Once the marks and corrections are saved on the way out, :func:`end_within` makes sure
the process ends: Textual's output thread dies on its first write to a terminal that is
gone, and its driver then waits forever to hand that thread its last line (seen about
once in twenty hang-ups under tmux, with a SIGCONT after the SIGHUP).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable

from textual.app import App

EXIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


def install_exit_signals(app: App) -> Callable[[], None]:
    """Route :data:`EXIT_SIGNALS` to ``app.exit``; returns a function that puts the
    previous handling back (closing the event loop does too). Call it from the app's
    event loop (on ``Load``, before the terminal is in application mode)."""
    loop = asyncio.get_running_loop()
    installed = []

    def on_signal(signum: int) -> None:
        if app.return_code is None:  # the first signal decides the exit code
            app.exit(return_code=128 + signum)

    for sig in EXIT_SIGNALS:
        try:
            loop.add_signal_handler(sig, on_signal, int(sig))
        except (ValueError, RuntimeError, NotImplementedError):  # not the main thread
            continue
        installed.append(sig)

    def remove() -> None:
        for sig in installed:
            try:
                loop.remove_signal_handler(sig)
            except (ValueError, RuntimeError):
                pass

    return remove


#: seconds a signalled app may take to put the terminal back once its work is saved
EXIT_GRACE = 3.0


def end_within(seconds: float, code: int) -> None:
    """End the process with ``code`` if it still runs ``seconds`` from now (a daemon
    timer: a process that ends first ends it too). Call it only once nothing is left
    to save."""
    timer = threading.Timer(seconds, os._exit, (code,))
    timer.daemon = True
    timer.start()
