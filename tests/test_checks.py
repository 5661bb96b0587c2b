"""The checks that keep the code as it is, run as tests (so the README's test command and
CI run them): ruff's lint and format, mypy, the import contracts of pyproject.toml, and
no import cycle anywhere in the package, imports made only for type checking included.

Each tool comes with ``pip install '.[test]'``; a test skips only when its tool is not
installed at all (say, a bare ``pip install pytest``)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHECKED = ["reader", "tests", "benchmarks"]


def _module(name: str) -> None:
    if importlib.util.find_spec(name) is None:
        pytest.skip(f"{name} is not installed (pip install '.[test]')")


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv), cwd=REPO, capture_output=True, text=True, timeout=600, check=False
    )


def _ruff() -> str:
    _module("ruff")
    from ruff.__main__ import find_ruff_bin

    return str(find_ruff_bin())


def test_ruff_lint():
    proc = _run(_ruff(), "check", "--no-cache", *CHECKED)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format():
    proc = _run(_ruff(), "format", "--check", "--no-cache", *CHECKED)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy():
    _module("mypy")
    proc = _run(sys.executable, "-m", "mypy", "--no-incremental")  # files: pyproject.toml
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_contracts():
    _module("importlinter")
    # the console script may sit outside this interpreter's folder (pip install --user,
    # a system Python): run it through the interpreter
    run_lint = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    proc = _run(sys.executable, "-c", run_lint, "--no-cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_type_only_ones_included():
    _module("grimp")
    import grimp

    graph = grimp.build_graph("reader", exclude_type_checking_imports=False)
    modules = {m for m in graph.modules if m == "reader" or m.startswith("reader.")}
    edges = {
        m: {n for n in graph.find_modules_directly_imported_by(m) if n in modules} for m in modules
    }
    # a package's __init__ importing its own modules is how a package exposes them, not a
    # cycle: only imports between modules count
    edges = {
        m: {n for n in targets if not m.startswith(n + ".") and not n.startswith(m + ".")}
        for m, targets in edges.items()
    }
    assert _cycles(edges) == []
