"""The installed ``reader sample_data/`` in a real terminal (tmux): panes appear, the
highlight moves after a key, and q quits cleanly. Skipped when tmux is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TMUX = shutil.which("tmux")
READER = Path(sys.executable).parent / "reader"

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, tmp: Path) -> None:
        self.socket = f"reader-test-{uuid.uuid4().hex[:8]}"
        self.session = "reader"

    def run(self, *args: str) -> str:
        out = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True,
                             text=True, timeout=10)
        return out.stdout

    def capture(self) -> list[str]:
        return self.run("capture-pane", "-p", "-t", self.session).splitlines()

    def wait_for(self, predicate, timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        lines = self.capture()
        while time.monotonic() < deadline:
            lines = self.capture()
            if predicate(lines):
                return lines
            time.sleep(0.1)
        raise AssertionError("timed out; screen was:\n" + "\n".join(lines))

    def alive(self) -> bool:
        return subprocess.run([TMUX, "-L", self.socket, "has-session", "-t", self.session],
                              capture_output=True, timeout=10).returncode == 0


def current_rows(lines: list[str]) -> list[str]:
    """Text of the rows whose gutter shows the current-sentence bar in the first pane."""
    return [line[2:30] for line in lines if line.startswith("▌")]


@pytest.fixture
def tmux(tmp_path):
    if not READER.exists():
        pytest.skip(f"the reader command is not installed next to {sys.executable}")
    t = Tmux(tmp_path)
    yield t
    t.run("kill-server")


def test_reader_in_tmux(tmux, tmp_path):
    status = tmp_path / "status"
    command = f"{READER} {ROOT / 'sample_data'}; echo $? > {status}"
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run([TMUX, "-L", tmux.socket, "-f", "/dev/null", "new-session", "-d",
                    "-s", tmux.session, "-x", "160", "-y", "40", command], env=env,
                   check=True, timeout=10)
    lines = tmux.wait_for(lambda ls: any("links" in line for line in ls)
                          and current_rows(ls))
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
