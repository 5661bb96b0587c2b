"""Driving the installed ``reader`` command in a real terminal: tmux on a private
socket, keys sent with send-keys, the screen read with capture-pane, terminal state
(alternate screen, mouse tracking, title, clipboard buffers) read with display."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

TMUX = shutil.which("tmux")
READER = Path(sys.executable).parent / "reader"


class Tmux:
    def __init__(self) -> None:
        self.socket = f"reader-test-{uuid.uuid4().hex[:8]}"
        self.session = "reader"

    def run(self, *args: str) -> str:
        out = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        return out.stdout

    def start(self, command: str, width: int = 160, height: int = 40) -> None:
        env = {**os.environ, "TERM": "xterm-256color"}
        subprocess.run(
            [
                TMUX,
                "-L",
                self.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                self.session,
                "-x",
                str(width),
                "-y",
                str(height),
                command,
            ],
            env=env,
            check=True,
            timeout=10,
        )

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def capture(self) -> list[str]:
        return self.run("capture-pane", "-p", "-t", self.session).splitlines()

    def show(self, fmt: str) -> str:
        """A tmux format of the pane: ``#{alternate_on}``, ``#{pane_title}`` ..."""
        return self.run("display-message", "-p", "-t", self.session, fmt).strip()

    def wait_for(self, predicate, timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        lines = self.capture()
        while time.monotonic() < deadline:
            lines = self.capture()
            if predicate(lines):
                return lines
            time.sleep(0.05)
        raise AssertionError("timed out; screen was:\n" + "\n".join(lines))

    def alive(self) -> bool:
        return (
            subprocess.run(
                [TMUX, "-L", self.socket, "has-session", "-t", self.session],
                capture_output=True,
                timeout=10,
            ).returncode
            == 0
        )

    def pane_pid(self) -> int:
        return int(self.show("#{pane_pid}"))


def child_pid(parent: int, timeout: float = 10.0) -> int:
    """The one child of process ``parent`` (the reader started by the pane's shell)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True)
        pids = [int(p) for p in out.stdout.split()]
        if pids:
            return pids[0]
        time.sleep(0.05)
    raise AssertionError(f"no child of {parent}")


def wait_gone(pid: int, timeout: float = 20.0) -> bool:
    """Whether process ``pid`` ends within ``timeout``. A process that ended after its
    parent (the pane's shell, gone with the terminal) is a zombie until init reaps it,
    and some containers' init never does: ended, all the same."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if _zombie(pid):
            return True
        time.sleep(0.05)
    return False


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"  # the state, after "(command)"


def wait_file(path: Path, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")
