"""Work split over the machine's cores, where that is safe.

Two steps of a book-length alignment split cleanly: linking each pair of sources
(:func:`reader.core.alignment.pipeline.propose`) and the matched words of blocks of
links (:func:`reader.core.alignment.spans.all_matches`). :func:`run` hands such tasks to
worker processes *forked* once the data they read is ready, so the workers see it
without copying or pickling (only the tasks and the results travel), and returns the
results in the order of the tasks: the output is the same as in one process, byte for
byte.

Fork is used only where it is safe: on Linux, in a process whose only thread is the
one calling (the command line; the reading view's alignment process, itself forked
before the interface started; a script). A process with other threads (the reading
view aligning in a worker thread, a test runner) could fork a lock held by another
thread, so there everything runs in the calling process. numpy's OpenBLAS keeps an
idle thread of its own, which it stops and restarts around a fork itself
(``pthread_atfork``); the workers never call BLAS.

Small inputs never pay for processes (:data:`MIN_SENTENCES`): the seeds align in about
15 ms, a worker costs a fork and a few milliseconds. Nor does a machine whose cores are
busy with other work (:func:`workers` reads the load average and what runs now): there a worker only
competes with that work, and moving its results costs CPU time of its own (measured
on bible-nt-5 at load 4-5: 9.7 s of CPU in one process, 13.5 s split over two, and
no gain in wall time). ``READER_WORKERS=1`` turns the split off, ``READER_WORKERS=N``
asks for N workers (for benchmarks and tests).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

#: sentences (all sources together) below which everything runs in this process
MIN_SENTENCES = 4000

T = TypeVar("T")
R = TypeVar("R")

_shared: tuple[Callable[[Any, Any], Any], Any] | None = None


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def fork_is_safe() -> bool:
    """Linux, and no thread but the calling one (see the module docstring)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.active_count() == 1
        and threading.current_thread() is threading.main_thread()
    )


def workers(sentences: int) -> int:
    """How many processes to split work on ``sentences`` sentences over (1: none):
    as many as there are idle cores, this process's own included (see
    :func:`busy_elsewhere`: on a machine other work keeps busy, a worker only takes
    time from it and adds the cost of moving results)."""
    asked = os.environ.get("READER_WORKERS", "").strip()
    if asked.isdigit():
        n = int(asked)
    elif sentences < MIN_SENTENCES:
        return 1
    else:
        n = min(cores(), int(cores() - busy_elsewhere() + 0.5))
    return max(1, n) if fork_is_safe() else 1


def busy_elsewhere() -> float:
    """The cores other work keeps busy: the load average over the last minute less
    this process, which is running, but no more than the processes running right now
    besides this one (the average lags a minute behind: the runs of a script that
    aligns one text after another would keep it up by themselves)."""
    try:
        others = max(0.0, os.getloadavg()[0] - 1.0)
    except (AttributeError, OSError):  # no load average here
        return 0.0
    now = running()
    return others if now is None else min(others, float(max(0, now - 1)))


def running() -> int | None:
    """How many processes are running or ready to run right now, this one included
    (Linux's /proc/loadavg), or None where that cannot be told."""
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return int(f.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None


def run(
    function: Callable[[Any, T], R],
    tasks: Sequence[T],
    shared: Any,
    n_workers: int,
    done: Callable[[int], None] | None = None,
) -> list[R]:
    """``function(shared, task)`` for every task, the results in the order of
    ``tasks``. With ``n_workers`` > 1, ``n_workers - 1`` processes forked now take the
    tasks from the first on (they read ``shared`` as it is at this moment, without a
    copy; only tasks and results are pickled) while this process takes them from the
    last back, until the two meet: however busy the cores are with other work, neither
    side waits long for the other. ``done(k)`` is called once task k is done (for
    progress; not in order). A pool that breaks (a worker killed, out of memory) leaves
    its tasks to this process."""
    if n_workers <= 1 or len(tasks) <= 1 or not fork_is_safe():
        return _here(function, tasks, shared, done)
    import gc
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    global _shared
    _shared = (function, shared)
    n_workers = min(n_workers, len(tasks))
    results: list[Any] = [None] * len(tasks)
    # what exists now is out of the collector's sight in the workers: their collections
    # would otherwise write to every object's header and copy the whole heap
    gc.freeze()
    try:
        with ProcessPoolExecutor(n_workers - 1, mp_context=get_context("fork")) as ex:
            lock = threading.Lock()
            ends = [0, len(tasks)]  # the next task for a worker; the end of those left
            futures: dict[int, Future | None] = {}

            def feed(_: object = None) -> None:
                """Give a worker the first task left (at the start, and each time one
                of theirs is done: none waits in a queue for a busy worker)."""
                with lock:
                    if ends[0] >= ends[1]:
                        return
                    k = ends[0]
                    ends[0] += 1
                    try:
                        future = futures[k] = ex.submit(_call, tasks[k])
                    except BrokenProcessPool:
                        futures[k] = None  # this process does it
                        return
                future.add_done_callback(feed)

            for _ in range(n_workers - 1):
                feed()
            while True:  # this process: the last task left, until none is
                with lock:
                    if ends[1] <= ends[0]:
                        break
                    ends[1] -= 1
                    k = ends[1]
                results[k] = function(shared, tasks[k])
                if done is not None:
                    done(k)
            for k in range(ends[0]):
                future = futures[k]
                try:
                    if future is None:
                        raise BrokenProcessPool
                    results[k] = future.result()
                except BrokenProcessPool:
                    results[k] = function(shared, tasks[k])
                if done is not None:
                    done(k)
    finally:
        _shared = None
        gc.unfreeze()
    return results


def _here(
    function: Callable[[Any, T], R],
    tasks: Sequence[T],
    shared: Any,
    done: Callable[[int], None] | None,
) -> list[R]:
    out = []
    for k, t in enumerate(tasks):
        out.append(function(shared, t))
        if done is not None:
            done(k)
    return out


def _call(task: Any) -> Any:
    assert _shared is not None  # set before the fork
    function, shared = _shared
    return function(shared, task)
