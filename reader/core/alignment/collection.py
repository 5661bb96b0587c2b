"""The cyclic garbage collector paused during one heavy step.

Aligning a book makes millions of objects that all live on to the end of the step
(terms, candidates, links, spans) and almost no reference cycles. Each of the
collector's full passes walks all of them again: on bible-nt-5, `reader align --json`
spent about a third of its CPU time (15.2 s against 9.9 s of user time, the same peak
memory) in collections that found nothing to free. So the steps that build them run
with the collector paused; it resumes as it was afterwards. Objects are still freed as
soon as nothing refers to them (reference counting).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector as it was after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
