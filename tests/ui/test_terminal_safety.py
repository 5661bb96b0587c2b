"""The installed ``reader`` in a real terminal (tmux), where only a real terminal
shows what goes wrong (issue 13): a save racing the load of a large marks file
(items 1), ``kill -9`` right after a mark, SIGTERM and SIGHUP (item 7), and escape
sequences in text and file names reaching the terminal title or clipboard (item 8).
Skipped when tmux is missing."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest
from tmux_helpers import READER, TMUX, Tmux, child_pid, wait_file, wait_gone

from reader.core.marks.marks import COUNTERPART, Mark, quote_target
from reader.core.marks.storage import FILE_NAME, load_marks, save_marks
from reader.core.text.load import load_paths
from reader.core.text.segment import segment

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


@pytest.fixture
def tmux():
    if not READER.exists():
        pytest.skip(f"the reader command is not installed next to {sys.executable}")
    t = Tmux()
    yield t
    t.run("kill-server")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "story"
    dest.mkdir()
    for f in sorted(SAMPLE.iterdir()):
        if f.is_file() and not f.name.startswith("."):
            (dest / f.name).write_bytes(f.read_bytes())
    return dest


def many_marks(folder: Path, n: int) -> list[Mark]:
    """``n`` marks on real sentences of every source but the first (where the tests
    mark), each with a counterpart in another source, as the app makes them (the
    issue's 5,000 came to 5.3 MB), so that loading re-anchors each one."""
    sources = segment(load_paths([folder]).documents)
    spans = [(src, a, b) for src in sources[1:] for a, b in src.sentences]
    out = []
    for k in range(n):
        src, a, b = spans[k % len(spans)]
        other, c, d = spans[(k * 7 + 3) % len(spans)]
        out.append(
            Mark(
                id=f"saved-{k:06d}",
                targets=(
                    quote_target(src.text, src.name, a, b),
                    quote_target(other.text, other.name, c, d, role=COUNTERPART, score=0.5),
                ),
                note=f"note {k}",
                created="2024-01-01T00:00:00Z",
                modified="2024-01-01T00:00:00Z",
            )
        )
    return out


def on_disk(folder: Path) -> list[Mark]:
    result = load_marks(folder / FILE_NAME, move_corrupt=False)
    assert not result.warnings, result.warnings
    return result.marks


def panes_up(lines: list[str]) -> bool:
    return bool(lines) and "1 000_" in lines[0]


def run_in(tmux: Tmux, folder: Path, tmp: Path) -> tuple[Path, Path]:
    """Start ``reader FOLDER`` in a shell that, once it exits, records the exit code
    and the terminal's settings, then reads a typed line (echo must be on)."""
    status, stty = tmp / "status", tmp / "stty"
    tmux.start(
        f"{READER} {folder}; echo $? > {status}; stty -a > {stty}; "
        "printf 'type here: '; read line; sleep 30"
    )
    return status, stty


# -- item 1: a save racing the load ---------------------------------------------------------
def test_j_m_q_as_soon_as_the_panes_show_keeps_20000_saved_marks(tmux, folder, tmp_path):
    """The issue's steps. With 5,000 marks the load here usually wins the race; with
    20,000 (about 18 MB) main kept 1 of 20,001 marks every time."""
    save_marks(folder / FILE_NAME, many_marks(folder, 20_000))
    assert (folder / FILE_NAME).stat().st_size > 15_000_000
    status, _ = run_in(tmux, folder, tmp_path)
    tmux.wait_for(panes_up)
    tmux.keys("j", "m", "q")
    assert wait_file(status).strip() == "0"
    marks = on_disk(folder)
    assert len(marks) == 20_001, f"{len(marks)} marks left of 20,001"


def test_kill_9_right_after_a_mark_never_shrinks_the_file(tmux, folder, tmp_path):
    save_marks(folder / FILE_NAME, many_marks(folder, 20_000))
    before = os.stat(folder / FILE_NAME)
    run_in(tmux, folder, tmp_path)
    tmux.wait_for(panes_up)
    pid = child_pid(tmux.pane_pid())
    tmux.keys("m")
    tmux.wait_for(lambda ls: any("marked sentence" in ln for ln in ls))
    # a save has had the time to start (or to finish) before the kill
    import time

    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        now = os.stat(folder / FILE_NAME)
        if (now.st_ino, now.st_mtime_ns) != (before.st_ino, before.st_mtime_ns):
            break
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    assert wait_gone(pid)
    assert len(on_disk(folder)) in (20_000, 20_001)


# -- item 12: the app and reader export agree on where the marks are --------------------------
def test_marks_made_in_the_app_are_what_export_finds(tmux, tmp_path):
    import subprocess

    x, y = tmp_path / "X", tmp_path / "Y"
    x.mkdir(), y.mkdir()
    (x / "one.txt").write_text("")  # skipped: empty
    texts = sorted(p for p in SAMPLE.iterdir() if p.is_file())
    (y / "a").write_bytes(texts[0].read_bytes())
    (y / "b").write_bytes(texts[1].read_bytes())
    args = [str(x / "one.txt"), str(y / "a"), str(y / "b")]
    status = tmp_path / "status"
    tmux.start(f"{READER} {' '.join(args)}; echo $? > {status}")
    tmux.wait_for(lambda ls: any("links" in ln for ln in ls))
    tmux.keys("m")
    tmux.wait_for(lambda ls: any("marked sentence" in ln for ln in ls))
    tmux.keys("q")
    assert wait_file(status).strip() == "0"
    proc = subprocess.run(
        [str(READER), "export", *args, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    import json

    assert json.loads(proc.stdout)["total"] == 1, proc.stderr
    assert (x / FILE_NAME).exists() and not (y / FILE_NAME).exists()


# -- item 7: signals ------------------------------------------------------------------------
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_saves_restores_the_terminal_and_exits(tmux, folder, tmp_path, sig, code):
    status, stty = run_in(tmux, folder, tmp_path)
    tmux.wait_for(lambda ls: panes_up(ls) and any("links" in ln for ln in ls))
    assert tmux.show("#{alternate_on}") == "1"
    assert tmux.show("#{mouse_any_flag}#{mouse_sgr_flag}") != "00"
    pid = child_pid(tmux.pane_pid())
    tmux.keys("m")
    tmux.wait_for(lambda ls: any("marked sentence" in ln for ln in ls))
    os.kill(pid, sig)
    assert wait_file(status).strip() == str(code)
    assert len(on_disk(folder)) == 1  # the mark made just before is saved
    # the terminal is back: normal screen, no mouse tracking, echo on
    assert tmux.show("#{alternate_on}") == "0"
    assert tmux.show("#{mouse_any_flag}#{mouse_button_flag}#{mouse_sgr_flag}") == "000"
    settings = wait_file(stty)
    assert " echo " in settings and " icanon " in settings, settings
    tmux.wait_for(lambda ls: any("type here:" in ln for ln in ls))
    tmux.keys("visible-typing")
    tmux.wait_for(lambda ls: any("type here: visible-typing" in ln for ln in ls))


def test_the_terminal_closing_saves_and_ends_the_process(tmux, folder, tmp_path):
    run_in(tmux, folder, tmp_path)
    tmux.wait_for(lambda ls: panes_up(ls) and any("links" in ln for ln in ls))
    pid = child_pid(tmux.pane_pid())
    tmux.keys("m")
    tmux.wait_for(lambda ls: any("marked sentence" in ln for ln in ls))
    tmux.run("kill-pane", "-t", tmux.session)  # a real hang-up: the terminal is gone
    assert wait_gone(pid), "reader kept running after its terminal closed"
    assert len(on_disk(folder)) == 1


# -- item 8: escape sequences in text and file names -----------------------------------------
TITLE = "\x1b]0;pwned-title\x07"
CLIP = "\x1b]52;c;cHduZWQtY2xpcGJvYXJk\x07"  # base64 of "pwned-clipboard"
CLEAR = "\x1b[2J"


def test_escape_sequences_never_reach_the_terminal(tmux, tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    first = sorted(p for p in SAMPLE.iterdir() if p.is_file())
    hostile_name = f"a{TITLE}b.txt"
    (folder / hostile_name).write_text(
        f"Hostile {TITLE}{CLIP}{CLEAR}\x9b31m sentence here.\n\n"
        + first[0].read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(first[1].read_text(encoding="utf-8"), encoding="utf-8")
    tmux.start(f"{READER} {folder}")
    tmux.run("set-option", "-g", "set-clipboard", "on")  # OSC 52 would make a buffer
    tmux.wait_for(lambda ls: any("links" in ln for ln in ls))
    original = tmux.show("#{pane_title}")
    assert "pwned" not in original
    # the remove-mark dialog shows the text and the file name
    tmux.keys("m")
    tmux.wait_for(lambda ls: any("marked sentence" in ln for ln in ls))
    tmux.keys("l")
    tmux.wait_for(lambda ls: any("marks (1)" in ln for ln in ls))
    tmux.keys("d")
    lines = tmux.wait_for(lambda ls: any("Remove this mark?" in ln for ln in ls))
    # nothing cleared the screen: the panes (titles drawn literally) and the status line
    # are still there behind the dialog
    from reader.core.visible import one_line

    assert lines[0].startswith(f"▶ 1 a{one_line(TITLE)}b.txt  ") and "2 b.txt  " in lines[0]
    assert "marked sentence" in lines[-2]
    assert tmux.show("#{pane_title}") == original
    assert tmux.run("list-buffers") == ""
    tmux.keys("n")
    tmux.wait_for(lambda ls: not any("Remove this mark?" in ln for ln in ls))
    tmux.keys("Escape")  # closes the panel (then y is not read as Alt+y)
    tmux.wait_for(lambda ls: not any("marks (1)" in ln for ln in ls))
    # y: the notification names the file; only the copy itself makes a buffer
    tmux.keys("y")
    tmux.wait_for(lambda ls: any("Copied" in ln for ln in ls))
    assert tmux.show("#{pane_title}") == original
    buffers = tmux.run("list-buffers").splitlines()
    assert len(buffers) == 1 and "pwned-clipboard" not in buffers[0]
    # the export dialog and its notification show the folder and file names
    tmux.keys("e")
    tmux.wait_for(lambda ls: any("Format" in ln for ln in ls))
    tmux.keys("Enter")
    tmux.wait_for(lambda ls: any("Exported" in ln for ln in ls))
    assert tmux.show("#{pane_title}") == original
    assert len(tmux.run("list-buffers").splitlines()) == 1
