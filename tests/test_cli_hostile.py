"""Hostile command lines (issue 13): what ``-o`` may replace (item 3), ``align -o``
atomic (4), ``--max-size`` (10), exit 2 instead of 1 (11), one marks-file rule (12),
what is skipped in a folder and why, UTF-16 without a BOM, sizes in MiB (14)."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.alignment.pipeline import align
from reader.core.marks.marks import create_mark
from reader.core.marks.storage import FILE_NAME, save_marks
from reader.core.text.load import load_paths

A = (
    "Biden and Putin spoke for fifty minutes on Thursday night.\n\n"
    "The White House called the conversation serious and substantive.\n"
)
B = (
    "The White House called the conversation serious and substantive.\n\n"
    "Biden and Putin spoke for fifty minutes on Thursday night.\n"
)


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "story"
    d.mkdir()
    (d / "a.txt").write_text(A, encoding="utf-8")
    (d / "b.txt").write_text(B, encoding="utf-8")
    return d


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code: int, err: str, contains: str = "") -> str:
    assert code == 2, (code, err)
    assert err.count("\n") == 1 and err.startswith("reader: error: "), err
    assert "Traceback" not in err and "unexpected" not in err
    assert contains in err, err
    return err


# -- item 3: what --force may replace ----------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_never_replaced_nor_written_to(folder, tmp_path, capsys, force):
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    code, _out, err = run(
        capsys,
        "export",
        folder,
        "--format",
        "md",
        "--matches",
        "-o",
        fifo,
        *(["--force"] if force else []),
    )
    one_error_line(code, err, "FIFO")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_never_replaced(folder, tmp_path, capsys):
    dev = tmp_path / "null"
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot make a device node here (needs root)")
    code, _out, err = run(
        capsys, "export", folder, "--format", "md", "--matches", "-o", dev, "--force"
    )
    one_error_line(code, err, "character device")
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


def test_a_socket_and_a_folder_are_never_replaced(folder, tmp_path, capsys):
    sock_path = tmp_path / "s.md"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        code, out, err = run(
            capsys, "export", folder, "--format", "md", "--matches", "-o", sock_path, "--force"
        )
        one_error_line(code, err, "socket")
        assert out == ""
        assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)
    finally:
        sock.close()
    (tmp_path / "dir.md").mkdir()
    code, _out, err = run(
        capsys,
        "export",
        folder,
        "--format",
        "md",
        "--matches",
        "-o",
        tmp_path / "dir.md",
        "--force",
    )
    one_error_line(code, err, "folder")


def test_force_writes_through_a_symlink_to_a_regular_file(folder, tmp_path, capsys):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, out, err = run(capsys, "export", folder, "--format", "md", "--matches", "-o", link)
    one_error_line(code, err, "exists")  # without --force, a link is not replaced either
    assert out == ""
    code, _out, err = run(
        capsys, "export", folder, "--format", "md", "--matches", "-o", link, "--force"
    )
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Passages shared verbatim" in real.read_text()


def test_a_symlink_to_a_device_or_a_loop_is_refused(folder, tmp_path, capsys):
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    code, out, err = run(
        capsys, "export", folder, "--format", "md", "--matches", "-o", link, "--force"
    )
    one_error_line(code, err, "character device")
    assert out == ""
    assert os.readlink(link) == "/dev/zero"
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    code, _out, err = run(
        capsys, "export", folder, "--format", "md", "--matches", "-o", loop, "--force"
    )
    one_error_line(code, err, "loop")


# -- item 4: align -o is atomic ----------------------------------------------------------------
FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))  # as on a disk with 8 kB free
from reader.cli import main
sys.exit(main(sys.argv[1:]))
"""


def big_folder(tmp_path: Path) -> Path:
    d = tmp_path / "big"
    d.mkdir()
    (d / "a.txt").write_text(A * 200, encoding="utf-8")
    (d / "b.txt").write_text(B * 200, encoding="utf-8")
    return d


def test_align_output_on_a_full_disk_leaves_no_partial_file(tmp_path):
    d = big_folder(tmp_path)
    out = tmp_path / "align.json"
    proc = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "align", str(d), "--json", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "cannot write" in proc.stderr
    assert not out.exists(), f"{out.stat().st_size} bytes of a partial file left"
    assert [p.name for p in tmp_path.iterdir()] == ["big"]  # no temporary file either
    # and the next run, with room, is not refused
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "align", str(d), "--json", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["sources"]


def test_align_output_refuses_a_fifo_at_once(folder, tmp_path, capsys):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    code, _out, err = run(capsys, "align", folder, "--json", "-o", fifo)
    one_error_line(code, err, "FIFO")


# -- item 10: --max-size --------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, says", [("1e308", "more than any file"), ("0.0000001", "less than one byte")]
)
def test_max_size_out_of_range_is_a_clear_error(folder, value, says):
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "align", str(folder), "--max-size", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert says in proc.stderr


def test_max_size_of_one_byte_means_one_byte(folder, capsys):
    from reader.core.fs import size_over

    code, _out, err = run(capsys, "align", folder, "--max-size", str(1 / (1024 * 1024)))
    one_error_line(code, err, "too large")
    size = (folder / "a.txt").stat().st_size  # the first file read
    assert f"({size_over(size, 1)}; see --max-size)" in err


# -- item 11: exit 2, never 1 ------------------------------------------------------------------
@pytest.fixture()
def bad_name_folder(tmp_path):
    d = tmp_path / "odd"
    d.mkdir()
    (d / os.fsdecode(b"bad\xff.txt")).write_text(A, encoding="utf-8")
    (d / "b.txt").write_text(B, encoding="utf-8")
    return d


def test_a_file_name_that_is_not_utf8_in_align_json_output(bad_name_folder, tmp_path, capsys):
    out = tmp_path / "align.json"
    code, _stdout, err = run(capsys, "align", bad_name_folder, "--json", "-o", out)
    assert code == 0, err
    names = [s["name"] for s in json.loads(out.read_text(encoding="utf-8"))["sources"]]
    assert os.fsdecode(b"bad\xff.txt") in names  # escaped in the JSON, exact when read


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_a_file_name_that_is_not_utf8_in_every_export(bad_name_folder, tmp_path, capsys, fmt):
    out = tmp_path / f"out.{fmt}"
    code, _stdout, err = run(
        capsys, "export", bad_name_folder, "--format", fmt, "--matches", "-o", out
    )
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert ("bad\\udcff.txt" if fmt == "json" else "bad\ufffd.txt") in text


def test_a_lone_surrogate_in_a_note(folder, tmp_path, capsys):
    al = align(load_paths([folder]).documents)
    save_marks(folder / FILE_NAME, [create_mark(al, 0, 0, note="odd \ud800 note")])
    for fmt in ("md", "json", "csv", "html"):
        code, out, err = run(capsys, "export", folder, "--format", fmt)
        assert code == 0, err
        out.encode("utf-8")  # printable: nothing left that UTF-8 cannot encode
        code, _, err = run(capsys, "export", folder, "--format", fmt, "-o", tmp_path / f"n.{fmt}")
        assert code == 0, err


def test_a_file_in_an_unreadable_folder(folder, monkeypatch, capsys):
    locked = folder / "locked"
    locked.mkdir()
    real_stat = os.stat

    def stat_as_nobody(path, *args, **kwargs):  # we run as root: EACCES as nobody gets it
        if str(path).startswith(str(locked) + os.sep):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat_as_nobody)
    code, _out, err = run(capsys, "align", locked / "a.txt", folder / "a.txt")
    one_error_line(code, err, "permission denied")


def test_a_deeply_nested_marks_file_in_export(folder, capsys):
    (folder / FILE_NAME).write_bytes(b"[" * 200_000 + b"]" * 200_000)
    code, _out, err = run(capsys, "export", folder, "--format", "md")
    one_error_line(code, err, "corrupt")
    assert (folder / FILE_NAME).read_bytes().startswith(b"[[[")  # export changes nothing


# -- item 12: one rule for where the marks file is ----------------------------------------------
def test_export_and_the_app_use_the_folder_of_the_first_path(tmp_path, capsys):
    from reader.core.marks.storage import marks_path
    from reader.ui.marks.keeper import marks_file

    x, y = tmp_path / "X", tmp_path / "Y"
    x.mkdir(), y.mkdir()
    (x / "one.txt").write_text("")  # skipped (empty): the marks still live in X
    (y / "a").write_text(A)
    (y / "b").write_text(B)
    args = [x / "one.txt", y / "a", y / "b"]
    assert marks_path(args) == x / FILE_NAME
    docs = load_paths(args).documents
    assert marks_file(docs) == y / FILE_NAME  # what the app used to pick (documents)
    # the app run on these arguments: tests/ui/test_terminal_safety.py


# -- item 14: what is skipped, and why; UTF-16 without BOM; MiB ---------------------------------
def test_what_a_folder_holds_besides_files_is_reported(folder, tmp_path, capsys):
    os.mkfifo(folder / "pipe.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    try:
        try:
            os.mknod(folder / "dev.txt", stat.S_IFCHR | 0o666, os.makedev(1, 3))
            device = True
        except OSError:
            device = False
        code, _out, err = run(capsys, "align", folder)
    finally:
        sock.close()
    assert code == 0
    lines = err.splitlines()
    assert any("pipe.txt" in ln and "FIFO" in ln for ln in lines), err
    assert any("dangling.txt" in ln and "broken symbolic link" in ln for ln in lines), err
    assert any("loop.txt" in ln and "loop" in ln for ln in lines), err
    assert any("sock.txt" in ln and "socket" in ln for ln in lines), err
    if device:
        assert any("dev.txt" in ln and "character device" in ln for ln in lines), err


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text(tmp_path, encoding):
    text = "Olá, Zürich. " + A
    p = tmp_path / "u16.txt"
    p.write_bytes(text.encode(encoding))
    loaded = load_paths([p])
    assert loaded.documents and loaded.documents[0].text == text
    assert "UTF-16" in loaded.warnings[0]


def test_one_byte_over_the_limit_says_so(tmp_path, capsys):
    with open(tmp_path / "huge.txt", "wb") as fh:  # sparse
        fh.truncate(50 * 1024 * 1024 + 1)
    (tmp_path / "a.txt").write_text(A)
    code, _out, err = run(capsys, "align", tmp_path)
    line = one_error_line(code, err, "huge.txt")
    assert "52,428,801 bytes > 52,428,800-byte limit (50 MiB)" in line, line
