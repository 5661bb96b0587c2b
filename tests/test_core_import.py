"""The core and the headless command never import Textual (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    import reader.core.align, reader.core.report, reader.core.sources, reader.cli
    from reader.core.align import align
    from reader.core.report import summary, to_json
    from reader.core.sources import documents_from_texts

    docs = documents_from_texts({
        "a.txt": "Biden and Putin spoke for 50 minutes on Thursday. Psaki called it serious.",
        "b.txt": "Putin and Biden talked for 50 minutes on Thursday. The call was serious, Psaki said.",
    })
    al = align(docs)
    to_json(al)
    summary(al)
    assert al.links, "the two tiny texts should align"
    loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    print("LINKS", len(al.links))
    print("TEXTUAL", loaded)
    assert "textual" not in sys.modules, loaded
""")


def test_core_does_not_import_textual():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "TEXTUAL []" in proc.stdout


def test_cli_align_does_not_import_textual(tmp_path):
    (tmp_path / "a.txt").write_text("Biden and Putin spoke on Thursday. It was serious.\n")
    (tmp_path / "b.txt").write_text("Putin and Biden talked on Thursday. It was serious.\n")
    script = (
        "import sys\n"
        f"sys.argv = ['reader', 'align', {str(tmp_path)!r}, '--json']\n"
        "from reader.cli import main\n"
        "code = main()\n"
        "assert code == 0, code\n"
        "assert 'textual' not in sys.modules\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
