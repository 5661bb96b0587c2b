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


def position(lines: list[str]) -> str:
    """The status line's position indicator (``12/48``), the first word of the line
    above the footer."""
    return lines[-2].split()[0]


def test_a_burst_of_keys_the_search_text_and_an_export_in_a_real_terminal(tmux, tmp_path):
    """Issue 10 in a real terminal: ten j in one send-keys move ten sentences (the
    position indicator says 11/N); the search box shows the text as it is typed; an
    export to the default place from a relative DIR lands next to the sources, and a
    restart opens the same number of sources (the export is not read as one)."""
    import shutil

    story = tmp_path / "story"
    shutil.copytree(ROOT / "sample_data", story)
    n = len(list(story.iterdir()))
    status = tmp_path / "status"
    # a relative DIR, as the quick start has it
    command = f"cd {tmp_path} && {READER} story; echo $? > {status}"
    tmux.start(command, width=160, height=40)
    lines = tmux.wait_for(lambda ls: any("links" in line for line in ls))
    total = position(lines).split("/")[1]
    assert position(lines) == f"1/{total}"
    tmux.keys("j" * 10)  # one burst
    lines = tmux.wait_for(lambda ls: position(ls) == f"11/{total}")
    # the search box shows what is typed, while it is typed
    tmux.keys("/")
    tmux.wait_for(lambda ls: any("search all sources" in line for line in ls))
    tmux.keys("ushak")
    lines = tmux.wait_for(lambda ls: any(line.startswith(" / ushak") for line in ls))
    tmux.keys("Enter")
    tmux.wait_for(lambda ls: "/ushak: match " in ls[-2])
    # a mark, then the export dialog's default place: next to the sources
    tmux.keys("m")
    tmux.wait_for(lambda ls: "marked" in ls[-2])
    tmux.keys("e")
    tmux.wait_for(lambda ls: any("reader-marks.md" in line for line in ls))
    tmux.keys("Enter")
    tmux.wait_for(lambda ls: any("Exported to" in line for line in ls))
    assert (story / "reader-marks.md").is_file()
    assert not (story / "story").exists()
    tmux.keys("q")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not status.exists():
        time.sleep(0.1)
    assert status.read_text().strip() == "0"
    # a restart: the same sources, the export named as skipped
    status.unlink()
    tmux.run("kill-server")
    tmux2 = Tmux()
    try:
        tmux2.start(f"cd {tmp_path} && {READER} story; sleep 30", width=160, height=40)
        lines = tmux2.wait_for(lambda ls: "1 000_" in ls[0] and "links" in ls[-2])
        header = lines[0]
        for k in range(1, n + 1):
            assert f"{k} 00{k - 1}_" in header, header  # the same five panes ...
        assert f"{n + 1} reader" not in header and f"{n + 1} 00" not in header  # no sixth
        # and the command line says what it skipped
        proc = subprocess.run(
            [str(READER), "align", "story"], cwd=tmp_path, capture_output=True, text=True
        )
        assert proc.stdout.startswith(f"{n} sources,"), proc.stdout
        assert "skipped story/reader-marks.md: a Markdown export written by reader" in proc.stderr
    finally:
        tmux2.run("kill-server")
