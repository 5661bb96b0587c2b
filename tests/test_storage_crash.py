"""Crash safety: a real process saving marks in a loop is killed with SIGKILL at random
moments, many times; after every kill the save file parses and holds one whole state
(the last one saved or the one being saved), never a torn or empty file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from reader.core.storage import FILE_NAME, load_marks

STATE = textwrap.dedent("""
    from reader.core.marks import Mark, Target

    def state(k):
        # Distinct for every k and large enough (~50-200 KB) that kills land mid-write.
        n = 1 + k % 7
        return [Mark(id=f"{k}-{i}", note=f"generation {k} " + "\\u00e9\\u6f22x" * 7000,
                     targets=(Target("a.txt", i, i + 5, f"quote {k} {i}"),),
                     created="2024-01-01T00:00:00Z", modified="2024-01-01T00:00:00Z")
                for i in range(n)]
""")

CHILD = STATE + textwrap.dedent("""
    import sys
    from reader.core.storage import load_marks, save_marks

    path = sys.argv[1]
    result = load_marks(path, move_corrupt=False)
    assert not result.warnings, result.warnings
    k = int(result.marks[0].id.split("-")[0]) if result.marks else 0
    print("ready", flush=True)
    while True:
        k += 1
        save_marks(path, state(k))
""")

KILLS = 40
TIME_BUDGET = 15.0  # seconds; stop early (but after at least MIN_KILLS) on a slow machine
MIN_KILLS = 12


def _generation(marks) -> int:
    return int(marks[0].id.split("-")[0])


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_mid_save_never_corrupts(tmp_path):
    ns: dict = {}
    exec(STATE, ns)
    state = ns["state"]
    path = tmp_path / FILE_NAME
    rng = random.Random(20240501)
    deadline = time.monotonic() + TIME_BUDGET
    last, kills, torn_writes = 0, 0, 0
    while kills < KILLS and (kills < MIN_KILLS or time.monotonic() < deadline):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.0, 0.15))
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            proc.stdout.close()
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        kills += 1
        if not path.exists():  # killed before its first save completed
            assert last == 0
            continue
        result = load_marks(path, move_corrupt=False)
        assert not result.warnings, f"after kill {kills}: {result.warnings}"
        k = _generation(result.marks)
        assert result.marks == state(k), f"after kill {kills}: file is not one whole state"
        assert k >= last, "an older state replaced a newer one"
        last = k
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        torn_writes += len(temps)
        for p in temps:  # what the app's start-up clean-up would remove
            p.unlink()
    assert kills >= MIN_KILLS
    assert last > kills // 2, "the child hardly ever finished a save: the test proves little"
    print(f"{kills} kills, {last} saves completed, {torn_writes} interrupted mid-write")
