"""`reader export`: marks and --matches, stdout and -o, overwrite rules, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from reader.cli import main
from reader.core.alignment.pipeline import align
from reader.core.marks.marks import create_mark, quote_target
from reader.core.marks.storage import FILE_NAME, load_marks, save_marks
from reader.core.text.load import load_paths

A = (
    "Biden and Putin spoke for fifty minutes on Thursday night.\n\n"
    "The White House called the conversation serious and substantive.\n\n"
    "Analysts in Kyiv watched the <script>talks</script> closely.\n"
)
B = (
    "The White House called the conversation serious and substantive.\n\n"
    "Biden and Putin spoke for fifty minutes on Thursday night.\n\n"
    '=HYPERLINK("x") Markets barely moved.\n'
)


@pytest.fixture()
def folder(tmp_path):
    d = tmp_path / "story"
    d.mkdir()
    (d / "a.txt").write_text(A, encoding="utf-8")
    (d / "b.txt").write_text(B, encoding="utf-8")
    return d


@pytest.fixture()
def marked(folder):
    al = align(load_paths([folder]).documents)
    m = create_mark(
        al, 0, 1, note="key quote", tag="green", mark_id="m-1", now="2024-01-01T00:00:00Z"
    )
    save_marks(folder / FILE_NAME, [m])
    return folder


def _run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_marks_to_stdout(marked, capsys):
    code, out, err = _run(capsys, "export", marked, "--format", "md")
    assert code == 0 and err == ""
    assert "> The White House called the conversation serious and substantive." in out
    assert "*a.txt, characters" in out and "b.txt" in out and "key quote" in out


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_every_format_writes_a_file(marked, tmp_path, capsys, fmt):
    out_file = tmp_path / f"out.{fmt}"
    code, out, err = _run(capsys, "export", marked, "--format", fmt, "-o", out_file)
    assert (code, out, err) == (0, "", "")
    text = out_file.read_text(encoding="utf-8")
    assert "White House" in text
    if fmt == "json":
        assert json.loads(text)["total"] == 1


def test_overwrite_needs_force(marked, tmp_path, capsys):
    out_file = tmp_path / "out.md"
    out_file.write_text("precious")
    code, out, err = _run(capsys, "export", marked, "--format", "md", "-o", out_file)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "exists; not overwriting it (use --force)" in err
    assert out_file.read_text() == "precious"
    code, _, err = _run(capsys, "export", marked, "--format", "md", "-o", out_file, "--force")
    assert code == 0 and "White House" in out_file.read_text()


def test_unwritable_path_is_one_line_exit_2(marked, tmp_path, capsys):
    code, out, err = _run(
        capsys, "export", marked, "--format", "csv", "-o", tmp_path / "missing" / "x.csv"
    )
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("reader: error: cannot write") and "does not exist" in err


def test_matches_need_no_marks(folder, capsys):
    code, out, err = _run(capsys, "export", folder, "--format", "csv", "--matches")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("passage,role,source") and len(lines) >= 3
    assert any("match-1,match,a.txt" in ln for ln in lines)


def test_no_marks_warns_and_exports_empty(folder, capsys):
    code, out, err = _run(capsys, "export", folder, "--format", "json")
    assert code == 0 and json.loads(out)["total"] == 0
    assert "no marks saved" in err


def test_orphaned_mark_is_exported_and_reported(marked, capsys):
    path = marked / FILE_NAME
    m = load_marks(path).marks[0]
    gone = quote_target("xx A passage the editor later deleted entirely.", "a.txt", 3, 47)
    save_marks(path, [m, replace(m, targets=(gone,))])
    code, out, err = _run(capsys, "export", marked, "--format", "json")
    assert code == 0
    items = json.loads(out)["first"]["items"]
    assert [i["status"] for i in items] == ["exact", "orphaned"]
    assert "not found in a.txt" in err


def test_corrupt_marks_file_is_an_error_and_left_alone(folder, capsys):
    (folder / FILE_NAME).write_text("{torn")
    code, out, err = _run(capsys, "export", folder, "--format", "md")
    assert code == 2 and out == "" and err.count("\n") == 1 and "corrupt" in err
    assert (folder / FILE_NAME).read_text() == "{torn"


def test_missing_folder_and_bad_format(tmp_path, capsys):
    code, _, err = _run(capsys, "export", tmp_path / "nope", "--format", "md")
    assert code == 2 and err.count("\n") == 1
    with pytest.raises(SystemExit) as exc:
        main(["export", str(tmp_path), "--format", "pdf"])
    assert exc.value.code == 2


def test_cli_import_stays_cheap_and_export_never_loads_textual(marked):
    script = (
        "import sys\n"
        "import reader, reader.cli\n"
        "heavy = [m for m in ('reader.core.export.passages', 'reader.core.marks.marks', 'rapidfuzz', 'numpy')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        f"code = reader.cli.main(['export', {str(marked)!r}, '--format', 'html'])\n"
        "assert code == 0, code\n"
        "assert 'textual' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "<!DOCTYPE html>" in proc.stdout


def test_installed_command_help_lists_export(reader_cli):
    proc = reader_cli("--help")
    assert proc.returncode == 0 and "reader export" in proc.stdout


def test_a_mark_made_without_counterparts_is_exported_without_them(folder, capsys):
    al = align(load_paths([folder]).documents)
    m = create_mark(al, 0, 1, counterparts=False, mark_id="m-1", now="2024-01-01T00:00:00Z")
    save_marks(folder / FILE_NAME, [m])
    code, out, err = _run(capsys, "export", folder, "--format", "csv")
    assert code == 0 and err == ""
    rows = out.splitlines()[1:]
    assert len(rows) == 1 and rows[0].startswith("m-1,marked,a.txt,")
    # the same mark with its counterparts lists the other source too
    save_marks(folder / FILE_NAME, [replace(m, counterparts=True)])
    code, out, _ = _run(capsys, "export", folder, "--format", "csv")
    assert any(",counterpart,b.txt," in row for row in out.splitlines())


@pytest.mark.parametrize("level", ["strict", "normal", "loose"])
def test_export_follows_the_strictness(marked, capsys, level):
    from reader.core.export.passages import collect_marks
    from reader.core.export.render import render
    from reader.core.marks.marks import reanchor_marks

    code, out, err = _run(capsys, "export", marked, "--format", "json", "--strictness", level)
    assert code == 0 and err == ""
    al = align(load_paths([marked]).documents, strictness=level)
    marks = reanchor_marks(load_marks(marked / FILE_NAME).marks, al.sources)
    assert json.loads(out) == json.loads(render(collect_marks(al, marks), "json"))
