"""The installed ``reader sample_data/`` in a real terminal (tmux): panes appear, the
highlight moves after a key, and q quits cleanly. Skipped when tmux is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tmux_helpers import READER, TMUX, Tmux

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def current_rows(lines: list[str]) -> list[str]:
    """Text of the rows whose gutter shows the current-sentence bar in the first pane."""
    return [line[2:30] for line in lines if line.startswith("▌")]


@pytest.fixture
def tmux(tmp_path):
    if not READER.exists():
        pytest.skip(f"the reader command is not installed next to {sys.executable}")
    t = Tmux()
    yield t
    t.run("kill-server")


def test_reader_in_tmux(tmux, tmp_path):
    status = tmp_path / "status"
    command = f"{READER} {ROOT / 'sample_data'}; echo $? > {status}"
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run(
        [
            TMUX,
            "-L",
            tmux.socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            tmux.session,
            "-x",
            "160",
            "-y",
            "40",
            command,
        ],
        env=env,
        check=True,
        timeout=10,
    )
    lines = tmux.wait_for(lambda ls: any("links" in line for line in ls) and current_rows(ls))
    header = lines[0]
    for k in range(1, 6):
        assert f"{k} 00{k - 1}_" in header, header  # all five panes, titled
    before = current_rows(lines)
    tmux.run("send-keys", "-t", tmux.session, "J")
    tmux.run("send-keys", "-t", tmux.session, "J")
    after_lines = tmux.wait_for(lambda ls: current_rows(ls) and current_rows(ls) != before)
    assert current_rows(after_lines) != before
    tmux.run("send-keys", "-t", tmux.session, "q")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not status.exists():
        time.sleep(0.1)
    assert status.exists(), "reader did not quit"
    assert status.read_text().strip() == "0"
