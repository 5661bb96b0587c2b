"""The hostile-input corpus (issue 13, "Done when"): text and file names full of escape
sequences (CSI, OSC with BEL and ST, OSC 52, DCS, 8-bit C1 controls, NUL, BEL, BS, CR,
DEL, NEL), Textual markup, bidi overrides and isolates, a byte that is not UTF-8 in a
file name and a lone surrogate in a note, run through every output surface:

- the command line: ``align`` (summary, ``--json``, ``-o``), ``export`` in every format
  (marks and ``--matches``, stdout and ``-o``), warnings and errors on stderr;
- the app: panes and their titles, notifications (load warnings, orphans, copy,
  export), the marks panel, the remove dialog, the note editor, the export dialog
  and its path field, the pane picker, the command palette, the search box and the
  status line, the help screen, the "why linked" view and the strictness notice; and
  ``align --explain`` in text and JSON.

Nothing that comes out may hold a raw control character (C0 but tab and newline,
DEL, C1), a bidi control or a lone surrogate; JSON carries the exact strings back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pilot_helpers import drain, settle

from reader.core.marks.marks import COUNTERPART, Mark, Target, quote_target
from reader.core.marks.storage import FILE_NAME, save_marks
from reader.core.text.load import load_paths
from reader.core.text.segment import segment

SEQUENCES = {
    "csi": "\x1b[2J",
    "sgr": "\x1b[31;1m",
    "osc-title-bel": "\x1b]0;pwned\x07",
    "osc-title-st": "\x1b]2;pwned\x1b\\",
    "osc52": "\x1b]52;c;cHduZWQ=\x07",
    "dcs": "\x1bP1$r0m\x1b\\",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;pwned\x9c",
    "nul": "\x00",
    "bel": "\x07",
    "bs": "\x08",
    "cr": "\r",
    "del": "\x7f",
    "nel": "\x85",
    "markup": "[bold red]loud[/] [link=http://evil.example]x[/link]",
    "bidi": "\u202eevil\u202c",
    "isolate": "\u2066iso\u2069",
    "vt-ff": "\x0b\x0c",
}
ALL = "".join(SEQUENCES.values())
# file names: anything but "/" and NUL, as bytes (0xff is not UTF-8)
NAMES = [
    b"wire\x1b]0;pwned\x07\x1b[31m[bold]\xe2\x80\xae\xc2\x9b\xff.txt",
    b"outlet\x1b[2J\xc2\x85\x7f\x1bP1$r\x1b\\.txt",
    b"plain.txt",
]
SENTENCES = [
    "Biden and Putin spoke for fifty minutes on Thursday night.",
    "The White House called the conversation serious and substantive.",
    "Kremlin aide Yuri Ushakov said the talks were a good basis for more.",
    "Markets in Moscow rose slightly after the call ended.",
]

DANGEROUS = {
    *range(0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
}


def dangerous(text: str, crlf: bool = False) -> list[str]:
    """The raw control characters in ``text`` (tab and newline allowed; CR only before
    a newline when ``crlf``: a CSV row end)."""
    out = []
    for i, ch in enumerate(text):
        code = ord(ch)
        if ch == "\r" and crlf and text[i + 1 : i + 2] == "\n":
            continue
        if code in DANGEROUS or 0xD800 <= code < 0xE000:
            out.append(f"{code:#x} at {i}: {text[max(0, i - 20) : i + 20]!r}")
    return out


def assert_clean(data: bytes | str, what: str, crlf: bool = False) -> str:
    text = data.decode("utf-8") if isinstance(data, bytes) else data  # strict: no surrogates
    found = dangerous(text, crlf)
    assert not found, f"{what}: {len(found)} raw control character(s): {found[:5]}"
    return text


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "story\x1b]0;folder\x07"
    folder.mkdir()
    for k, raw in enumerate(NAMES):
        body = []
        for j, s in enumerate(SENTENCES):
            hostile = list(SEQUENCES.values())[(k * 5 + j) % len(SEQUENCES)]
            body.append(f"{s[:20]}{hostile}{s[20:]}" if j != k else s)
        body.append(f"Only here {k}: {ALL} ends.")
        (folder / os.fsdecode(raw)).write_text("\n\n".join(body) + "\n", encoding="utf-8")
    (folder / os.fsdecode(b"bin\x1b]0;pwned\x07.dat")).write_bytes(bytes(range(256)) * 8)
    os.mkfifo(folder / os.fsdecode(b"fifo\x1b[2J.txt"))
    sources = segment(load_paths([folder]).documents)
    a, b = sources[0], sources[1]
    marks = [
        Mark(
            id="m-hostile-note",
            note=f"note {ALL} \ud800 lone",
            tag="pink",
            created="2024-01-01T00:00:00Z",
            modified="2024-01-01T00:00:00Z",
            targets=(
                quote_target(a.text, a.name, *a.sentences[1]),
                quote_target(b.text, b.name, *b.sentences[1], role=COUNTERPART, score=0.9),
            ),
        ),
        Mark(
            id="m-orphan",
            note="gone",
            created="2024-01-01T00:00:00Z",
            modified="2024-01-01T00:00:00Z",
            targets=(Target(f"missing{ALL}.txt", 3, 40, f"a quote {ALL} that is gone"),),
        ),
    ]
    save_marks(folder / FILE_NAME, marks)
    return folder


def reader(*args, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "reader", *map(str, args)],
        env=env,
        capture_output=True,
        timeout=120,
        cwd=cwd,
    )


# -- the command line --------------------------------------------------------------------------
def test_align_summary_and_warnings(corpus):
    proc = reader("align", corpus)
    assert proc.returncode == 0, proc.stderr
    assert_clean(proc.stdout, "align summary")
    err = assert_clean(proc.stderr, "align warnings")
    assert "FIFO" in err and "binary" in err  # said, literally


def test_align_json_on_stdout_and_in_a_file(corpus, tmp_path):
    for extra in ([], ["--text"]):
        proc = reader("align", corpus, "--json", *extra)
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(assert_clean(proc.stdout, "align --json"))
        assert sorted(s["name"] for s in doc["sources"]) == sorted(map(os.fsdecode, NAMES))
    out = tmp_path / "align\x1b]0;x\x07.json"
    proc = reader("align", corpus, "--json", "--text", "-o", out)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(assert_clean(out.read_bytes(), "align -o"))
    texts = "".join(t for s in doc["sources"] for t in s["text"])
    assert SEQUENCES["osc-title-bel"] in texts  # exact, as escapes in the file


def test_explain_in_text_and_json(corpus):
    hostile = os.fsdecode(NAMES[0])
    for ref in (f"{hostile}:2", "plain.txt:2", f"{hostile}:999", f"nope{hostile}:1"):
        for extra in ([], ["--json"]):
            proc = reader("align", corpus, "--explain", ref, *extra)
            assert proc.returncode in (0, 2), proc.stderr
            assert b"Traceback" not in proc.stderr
            out = assert_clean(proc.stdout, f"--explain {ref[-6:]} {extra}")
            assert_clean(proc.stderr, "--explain errors")
            if extra and proc.returncode == 0:
                json.loads(out)


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
@pytest.mark.parametrize("matches", [False, True])
def test_every_export_format(corpus, tmp_path, fmt, matches):
    extra = ["--matches"] if matches else []
    proc = reader("export", corpus, "--format", fmt, *extra)
    assert proc.returncode == 0, proc.stderr
    text = assert_clean(proc.stdout, f"export {fmt} (stdout)", crlf=fmt == "csv")
    err = assert_clean(proc.stderr, f"export {fmt} warnings")
    if not matches:
        assert "not found in missing" in err  # the orphan, reported literally
    out = tmp_path / f"out\x1b[2J.{fmt}"
    proc = reader("export", corpus, "--format", fmt, *extra, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert assert_clean(out.read_bytes(), f"export {fmt} -o", crlf=fmt == "csv") == text
    if fmt == "json" and not matches:
        notes = [
            b["value"]
            for item in json.loads(text)["first"]["items"]
            for b in item.get("body", [])
            if b["purpose"] == "commenting"
        ]
        assert f"note {ALL} \ud800 lone" in notes  # exact in JSON


def test_errors_name_hostile_paths_literally(corpus, tmp_path):
    for args in (
        ["align", corpus / "nope\x1b]0;pwned\x07.txt", corpus / "x"],
        ["align", corpus, "--max-size", "0.0001"],
        ["export", corpus, "--format", "md", "-o", corpus / os.fsdecode(NAMES[0])],
        ["align", corpus, "-o", corpus / "fifo\x1b[2J.txt"],
    ):
        proc = reader(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        err = assert_clean(proc.stderr, f"error for {args[0]} {args[-1]!s:.20}")
        lines = err.splitlines()  # warnings (the FIFO, the binary file), then one error
        assert lines[-1].startswith("reader: error: ") and "Traceback" not in err
        assert all(ln.startswith("reader: warning: ") for ln in lines[:-1]), lines


# -- the app ------------------------------------------------------------------------------------
def screen_text(app) -> str:
    """Every character the screen would send to the terminal now (the compositor's
    strips of the current screen: panes, dialogs, toasts, footer)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def check(pilot, what: str) -> str:
    for _ in range(3):
        await drain(pilot)
    text = screen_text(pilot.app)
    found = dangerous(text.replace("\n", ""))
    assert not found, f"{what}: {found[:5]}"
    text.encode("utf-8")
    return text


async def test_every_surface_of_the_app(corpus, tmp_path):
    from reader.ui.app import ReaderApp
    from reader.ui.dialogs.confirm import Confirm
    from reader.ui.dialogs.export import ExportDialog
    from reader.ui.dialogs.picker import PanePicker
    from reader.ui.marks.editor import MarkEditor

    loaded = load_paths([corpus])
    assert any("FIFO" in w for w in loaded.warnings)
    app = ReaderApp(loaded.documents, warnings=loaded.warnings)
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        assert app.alignment is not None and len(app.marks.book.marks) == 2
        seen = await check(pilot, "panes, titles, load and orphan notices")
        assert "wire" in seen and "FIFO" in seen
        # the marks panel, the remove dialog, the note editor
        await pilot.press("l")
        seen = await check(pilot, "marks panel")
        assert "note" in seen
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await check(pilot, "remove dialog")
        await pilot.press("n")
        await pilot.press("a")
        assert isinstance(app.screen, MarkEditor)
        await check(pilot, "note editor with a hostile note")
        await pilot.press("end")  # the cursor walks the sanitised note
        await check(pilot, "note editor, cursor at the end")
        await pilot.press("escape")
        await pilot.press("y")
        seen = await check(pilot, "copy notice")
        assert "Copied" in seen
        await pilot.press("escape")
        await settle(pilot)
        # a sentence of the hostile file: copy it from the pane
        app.deck.move_to(0, len(app.sources[0]) - 1)
        await pilot.press("y")
        await check(pilot, "copy notice for a sentence")
        # the export dialog: default path under a hostile folder name, a typed one
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        await check(pilot, "export dialog")
        field = app.screen.query_one("#export-path")
        field.value = str(tmp_path / "out\x1b]0;pwned\x07\x9b2J.md")
        await check(pilot, "export path field")
        await pilot.press("enter")
        await settle(pilot)
        seen = await check(pilot, "export notice")
        assert "Exported" in seen and not isinstance(app.screen, ExportDialog)
        # the pane picker, the command palette, search and status, help
        await pilot.press("p")
        assert isinstance(app.screen, PanePicker)
        await check(pilot, "pane picker")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"pane")
        await check(pilot, "command palette")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash")
        box = app.query_one("#search-input")
        box.value = f"query {ALL}"
        await check(pilot, "search box")
        await pilot.press("enter")
        await settle(pilot)
        await check(pilot, "search result in the status line")
        await pilot.press("question_mark")
        await check(pilot, "help")
        await pilot.press("escape")
        await settle(pilot)
        # why a sentence of the hostile file is linked; strictness changes
        app.deck.move_to(0, 1)
        await pilot.press("w")
        await settle(pilot)
        from reader.ui.dialogs.why import WhyScreen

        assert isinstance(app.screen, WhyScreen)
        seen = await check(pilot, "why view")
        assert "wire" in seen
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await check(pilot, "strictness notice")
