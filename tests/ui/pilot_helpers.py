"""Helpers shared by the Pilot tests (a module of its own: importing from conftest.py is
ambiguous with two conftest files). They wait for events, never for time."""

from __future__ import annotations

#: more rounds than any chain of messages in the app takes; reaching it is a failure
MAX_ROUNDS = 200


def _pending(app) -> int:
    """Messages waiting in the queue of the app or of any widget on its screen."""
    nodes = [app, *app.screen.walk_children(with_self=True)]
    return sum(node.message_queue_size for node in nodes)


async def drain(pilot) -> None:
    """Wait until no widget has a message waiting: the chain a key, click or worker
    started (a pane posts to the deck, the keeper to the app ...) has run its course."""
    for _ in range(MAX_ROUNDS):
        await pilot.pause()
        if not _pending(pilot.app):
            return
    raise AssertionError(f"messages still pending after {MAX_ROUNDS} rounds")


async def settle(pilot) -> None:
    """Wait for the workers, then for the messages and refreshes they cause; again while
    those messages start new workers (the loader's message starts the alignment, so on
    a cold start the aligner may not even be running when the loader is done)."""
    app = pilot.app
    for _ in range(MAX_ROUNDS):
        await app.workers.wait_for_complete()
        await drain(pilot)
        if all(w.is_finished for w in app.workers):
            return
    raise AssertionError(f"workers still running after {MAX_ROUNDS} rounds")


async def until(pilot, condition, what: str = "the condition", limit: float = 30.0) -> None:
    """Wait until ``condition()`` holds, looking after every round of messages (for what
    a timer starts: a resize that settles, a poll of the marks file). ``limit`` seconds
    only bound a wait for something that never comes; the test states the condition."""
    for _ in range(int(limit / 0.01)):
        if condition():
            return
        await pilot.pause(0.01)
        await pilot.app.workers.wait_for_complete()
    raise AssertionError(f"{what} never happened")
