"""The reader's own files are never read back as sources (issue 10, bug 2): exports in
every format under any name, the marks file (also a copy under another name), the
output of ``reader align``; each skipped file is named in a warning that says what it
is. They are recognised by their content, not their names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.alignment.pipeline import align
from reader.core.alignment.report import summary, to_json
from reader.core.export.passages import collect_matches
from reader.core.export.render import FORMATS, render
from reader.core.marks.marks import create_mark
from reader.core.marks.storage import FILE_NAME, MarkStore
from reader.core.text.load import load_paths
from reader.core.text.own_files import made_by_reader
from reader.core.visible import json_text

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "story"
    shutil.copytree(SAMPLE, dest)
    return dest


def test_exports_marks_and_align_output_are_skipped_whatever_their_names(folder):
    docs = load_paths([folder]).documents
    names = sorted(d.name for d in docs)
    al = align(docs)
    data = collect_matches(al)
    written = {}
    for fmt in FORMATS:
        written[f"my notes on {fmt}.{fmt}"] = render(data, fmt)
    written["reader-marks.md"] = render(data, "md")
    written["alignment.json"] = json_text(to_json(al), separators=(",", ":")) + "\n"
    written["summary.txt"] = summary(al) + "\n"
    for name, text in written.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = MarkStore(folder / FILE_NAME)
    store.records.put(create_mark(al, 0, 0, 0))
    store.sync()
    shutil.copy(folder / FILE_NAME, folder / "marks backup.json")

    loaded = load_paths([folder])
    assert sorted(d.name for d in loaded.documents) == names
    for name in [*written, "marks backup.json"]:
        said = [w for w in loaded.warnings if name in w]
        assert len(said) == 1 and "written by reader" in said[0], (name, loaded.warnings)
    # named one by one, they are still not sources
    explicit = load_paths([folder / names[0], folder / "my notes on md.md", folder / names[1]])
    assert [d.name for d in explicit.documents] == names[:2]


def test_a_text_that_merely_looks_like_one_is_read(tmp_path):
    for text in (
        "# Marked passages\n\nA story about marked passages in a museum.\n",
        "passage,role,source\n1,a,b\n",
        '{"format": "something else"}\n',
        '<!DOCTYPE html><html><head><meta name="generator" content="Hugo"></head></html>\n',
    ):
        assert made_by_reader(text.encode()) is None, text


def test_align_counts_the_same_sources_after_an_export_next_to_them(folder, capsys):
    assert main(["align", str(folder)]) == 0
    before = capsys.readouterr().out.splitlines()[0]
    for fmt in FORMATS:
        out = folder / f"reader-marks.{fmt}"
        assert main(["export", str(folder), "--format", fmt, "--matches", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["align", str(folder)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == before
    assert captured.err.count("written by reader") == len(FORMATS)


# -- new files honour the umask (issue 10, bug 9) ---------------------------------------------
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_exports_and_marks_files_are_made_as_open_would(tmp_path, umask, mode):
    import os

    from reader.core.alignment.model import Alignment
    from reader.core.text.load import documents_from_texts
    from reader.core.text.segment import segment

    sources = segment(documents_from_texts({"a.txt": "One sentence here.", "b.txt": "Two."}))

    from reader.core.export.render import write_export
    from reader.core.fs import atomic_write

    old = os.umask(umask)
    try:
        write_export(tmp_path / "out.md", "text\n")
        atomic_write(tmp_path / "new.json", "{}\n", overwrite=False)
        atomic_write(tmp_path / "over.json", "{}\n", overwrite=True)
        store = MarkStore(tmp_path / FILE_NAME)
        store.records.put(create_mark(Alignment(sources, []), 0, 0, 0))
        assert not store.sync().error
    finally:
        os.umask(old)
    for name in ("out.md", "new.json", "over.json", FILE_NAME):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def test_a_replaced_file_keeps_its_mode(tmp_path):
    from reader.core.fs import atomic_write

    target = tmp_path / "kept.json"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write(target, "new", overwrite=True)
    assert target.stat().st_mode & 0o777 == 0o640
