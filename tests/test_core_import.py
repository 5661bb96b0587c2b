"""The core and the headless commands never import Textual or Rich, and `import reader`
stays cheap (checked in fresh processes). Every module of the core is listed by walking
the package, so a new module is checked without being named here."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import reader.core

UI_PACKAGES = ("textual", "rich", "reader.ui")


def core_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(reader.core.__path__, "reader.core."))


def run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_walk_finds_every_module_on_disk():
    root = Path(reader.core.__file__).parent
    on_disk = sorted(
        "reader.core."
        + ".".join(f.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for f in root.rglob("*.py")
        if f != root / "__init__.py"
    )
    assert core_modules() == on_disk


def test_no_core_module_imports_textual_or_rich():
    modules = core_modules()
    proc = run(f"""
        import importlib, sys
        for name in {modules!r}:
            importlib.import_module(name)
        import reader.core
        for name in reader.core.__all__:  # every public name resolves, lazily
            getattr(reader.core, name)
        loaded = sorted(m for m in sys.modules
                        if any(m == p or m.startswith(p + ".") for p in {UI_PACKAGES!r}))
        print("LOADED", loaded)
    """)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout, proc.stdout


def test_the_core_aligns_without_textual():
    proc = run("""
        import sys
        from reader.core import align, alignment_json, documents_from_texts, summary

        docs = documents_from_texts({
            "a.txt": "Biden and Putin spoke for 50 minutes on Thursday. Psaki called it serious.",
            "b.txt": "Putin and Biden talked for 50 minutes on Thursday. The call was serious, Psaki said.",
        })
        al = align(docs)
        alignment_json(al)
        summary(al)
        assert al.links, "the two tiny texts should align"
        assert not any(m == "textual" or m.startswith("textual.") for m in sys.modules)
    """)
    assert proc.returncode == 0, proc.stderr


def test_importing_reader_and_the_command_line_is_cheap():
    # `reader --help` and `reader align` start without the aligner's or the UI's weight
    proc = run("""
        import sys
        import reader, reader.cli, reader.core
        heavy = ("numpy", "scipy", "rapidfuzz", "charset_normalizer", "textual", "rich")
        print("HEAVY", sorted(m for m in sys.modules if m.split(".")[0] in heavy))
    """)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout, proc.stdout


def test_the_reading_view_loads_no_aligner_before_its_first_frame():
    # numpy and scipy load in the alignment process (or worker), never on the way to
    # the first frame: the app module, its panes and the deck's first line-up
    proc = run("""
        import sys
        import reader.ui.app, reader.ui.align_process
        import reader.core.alignment.navigation, reader.core.alignment.spans
        heavy = ("numpy", "scipy", "rapidfuzz")
        print("HEAVY", sorted(m for m in sys.modules if m.split(".")[0] in heavy))
    """)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout, proc.stdout


def test_cli_align_does_not_import_textual(tmp_path):
    (tmp_path / "a.txt").write_text("Biden and Putin spoke on Thursday. It was serious.\n")
    (tmp_path / "b.txt").write_text("Putin and Biden talked on Thursday. It was serious.\n")
    proc = run(f"""
        import sys
        sys.argv = ['reader', 'align', {str(tmp_path)!r}, '--json']
        from reader.cli import main
        code = main()
        assert code == 0, code
        assert 'textual' not in sys.modules
    """)
    assert proc.returncode == 0, proc.stderr


def test_the_public_names_are_the_exports():
    assert sorted(reader.core.__all__) == sorted(reader.core._EXPORTS)
