"""Helpers shared by the Pilot tests (a module of its own: importing from conftest.py is
ambiguous with two conftest files)."""

from __future__ import annotations


async def settle(pilot, rounds: int = 3) -> None:
    """Wait for the workers, then for the messages and refreshes they cause; again while
    those messages start new workers (the loader's message starts the alignment, so on
    a cold start the aligner may not even be running when the loader is done)."""
    app = pilot.app
    for _ in range(20):
        await app.workers.wait_for_complete()
        for _ in range(rounds):
            await pilot.pause()
        if all(w.is_finished for w in app.workers):
            return
