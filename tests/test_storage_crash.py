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

from reader.core.marks.storage import FILE_NAME, load_marks

STATE = textwrap.dedent("""
    from reader.core.marks.marks import Mark, Target

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
    from reader.core.marks.storage import load_marks, save_marks

    path = sys.argv[1]
    result = load_marks(path, move_corrupt=False)
    assert not result.warnings, result.warnings
    k = int(result.marks[0].id.split("-")[0]) if result.marks else 0
    print("ready", flush=True)
    while True:
        k += 1
        save_marks(path, state(k))
        print("saved", k, flush=True)  # save_marks returned: state k is on disk
""")

KILLS = 30


def _generation(marks) -> int:
    return int(marks[0].id.split("-")[0])


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_mid_save_never_corrupts(tmp_path):
    """After each kill the file holds one whole state, never older than the last save
    the child reported done, never older than the state before the kill. The kill
    lands after the child reported 1-3 saves, a random moment into the next one."""
    ns: dict = {}
    exec(STATE, ns)
    state = ns["state"]
    path = tmp_path / FILE_NAME
    rng = random.Random(20240501)
    last, torn_writes = 0, 0
    for kill in range(1, KILLS + 1):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.stderr.read()
            for _ in range(rng.randint(1, 3)):
                word, k = proc.stdout.readline().split()
                assert word == "saved"
                done = int(k)
            time.sleep(rng.uniform(0.0, 0.01))  # where in the next save the kill lands
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            proc.stdout.close()
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        result = load_marks(path, move_corrupt=False)
        assert not result.warnings, f"after kill {kill}: {result.warnings}"
        k = _generation(result.marks)
        assert result.marks == state(k), f"after kill {kill}: file is not one whole state"
        assert k >= done, f"after kill {kill}: state {k} on disk, {done} was reported saved"
        assert k > last, "the child's saves did not continue from the file"
        last = k
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        torn_writes += len(temps)
        for p in temps:  # what the app's start-up clean-up would remove
            p.unlink()
    print(f"{KILLS} kills, {last} saves completed, {torn_writes} interrupted mid-write")
