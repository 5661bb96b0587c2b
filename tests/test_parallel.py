"""Work split over processes (reader/core/alignment/parallel.py) gives the same
alignment (candidates, pairs, classification at every level), spans and passages as one process, byte for byte; it never forks with a
thread running. Run in fresh interpreters (the test runner may have threads)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.core.alignment import parallel

ROOT = Path(__file__).resolve().parents[1]
NEWS = sorted((ROOT / "benchmarks" / "cases" / "news-en").glob("*/sources"))


def run(script: str, **env: str) -> str:
    import os

    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


ALIGN_ALL = """
    import hashlib, json, os, sys
    from reader.core.alignment import model, parallel, spans
    from reader.core.alignment.pipeline import align
    from reader.core.alignment.report import to_json, to_json_text
    from reader.core.text.load import load_paths

    spans._BLOCK_LINKS = 5  # many blocks even on small cases
    model.SPLIT_LINKS = 1  # classification split too
    calls = []
    real_run = parallel.run

    def counting_run(function, tasks, shared, n_workers, done=None):
        calls.append((function.__name__, len(tasks), n_workers))
        return real_run(function, tasks, shared, n_workers, done)

    parallel.run = counting_run
    folders = sys.argv[1:]
    digest = hashlib.sha256()
    for folder in folders:
        al = align(load_paths([folder]).documents)
        digest.update(json.dumps(to_json(al), sort_keys=True).encode())
        digest.update(to_json_text(al).encode())  # each link's JSON written in the workers
        for level in ("strict", "loose"):
            digest.update(repr(al.at(level).links).encode())
    print(digest.hexdigest())
    print(sorted({(name, workers) for name, _, workers in calls}))
"""


@pytest.mark.skipif(not NEWS, reason="benchmarks/cases/news-en not found")
def test_the_split_gives_the_same_json_as_one_process():
    folders = [str(p) for p in NEWS[:3]] + [str(ROOT / "sample_data")]
    script = textwrap.dedent(ALIGN_ALL).replace("folders = sys.argv[1:]", f"folders = {folders!r}")
    one = run(script, READER_WORKERS="1").splitlines()
    two = run(script, READER_WORKERS="2").splitlines()
    assert one[0] == two[0]  # the same alignment, spans and passages
    assert "('_lexical_pair', 1)" in one[1] and "('_block_matches', 1)" in one[1]
    assert "('_lexical_pair', 2)" in two[1] and "('_block_matches', 2)" in two[1]
    assert "('_block_best', 2)" in two[1] and "('_classify_part', 2)" in two[1]
    assert "('_source_terms', 2)" in two[1]


def test_workers_and_their_results_in_order():
    out = run(
        """
        import os
        from reader.core.alignment import parallel

        def square(shared, x):
            return (x * x + shared, os.getpid())

        results = parallel.run(square, list(range(9)), 1, 3)
        assert [r for r, _ in results] == [x * x + 1 for x in range(9)]
        pids = {p for _, p in results}
        assert os.getpid() in pids and len(pids) >= 2, pids  # this one and workers
        print("OK")
        """
    )
    assert out.strip() == "OK"


def test_no_fork_with_a_thread_running():
    out = run(
        """
        import os, threading
        from reader.core.alignment import parallel

        stop = threading.Event()
        t = threading.Thread(target=stop.wait)
        t.start()
        try:
            assert not parallel.fork_is_safe()
            assert parallel.workers(10**6) == 1
            pids = {p for p in parallel.run(lambda s, x: os.getpid(), [1, 2, 3], None, 2)}
            assert pids == {os.getpid()}
        finally:
            stop.set()
            t.join()
        print("OK")
        """
    )
    assert out.strip() == "OK"


def test_small_inputs_stay_in_one_process(monkeypatch):
    monkeypatch.delenv("READER_WORKERS", raising=False)
    assert parallel.workers(parallel.MIN_SENTENCES - 1) == 1


def test_a_worker_that_dies_leaves_its_tasks_to_this_process():
    out = run(
        """
        import os
        from reader.core.alignment import parallel

        me = os.getpid()

        def task(shared, x):
            if os.getpid() != me:
                os._exit(1)  # a worker killed (out of memory, a signal)
            return x + shared

        assert parallel.run(task, list(range(12)), 100, 2) == [x + 100 for x in range(12)]
        print("OK")
        """
    )
    assert out.strip() == "OK"


def test_the_split_of_classification_keeps_connected_sets_whole():
    from reader.core.alignment.model import _link_sets
    from reader.core.alignment.pipeline import align
    from reader.core.text.load import load_paths

    for folder in [ROOT / "sample_data", *NEWS[:2]]:
        al = align(load_paths([folder]).documents)
        assert al.pool is not None
        _, members, _ = al.pool.components
        assert sorted(map(sorted, _link_sets(al.pool.links))) == sorted(map(sorted, members))


def test_idle_cores_by_the_load_average_and_what_runs_now():
    out = run(
        """
        import os
        from reader.core.alignment import parallel

        def machine(load, now):
            os.getloadavg = lambda: (load, load, load)
            parallel.running = lambda: now
            return parallel.workers(10**6)

        parallel.cores = lambda: 2
        assert machine(0.2, 1) == 2  # quiet
        assert machine(2.0, 2) == 1  # another process keeps a core busy
        assert machine(2.5, 1) == 2  # the average lags: nothing else runs now
        assert machine(0.3, 3) == 2  # a moment's burst: the average says quiet
        assert machine(2.5, None) == 1  # nothing to tell what runs now: the average
        print("OK")
        """,
        READER_WORKERS="",
    )
    assert out.strip() == "OK"
