"""Shared helpers for the core tests.

Only fixtures and helpers: no pytest options or hooks, so that nothing here
changes how the UI tests in ``tests/ui`` run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.core.alignment.model import Alignment
from reader.core.alignment.pipeline import align
from reader.core.text.load import Document, documents_from_texts

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "sample_data"

# Sentence vectors (sources in different languages) are cached on disk: tests, and the
# commands they run in subprocesses, use a folder of their own, never the user's cache.
if "READER_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    _CACHE = tempfile.mkdtemp(prefix="reader-test-cache-")
    os.environ["READER_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, True)


def run_reader(
    *args: str | os.PathLike, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m reader ARGS`` in a subprocess and capture its output."""
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    env["PYTHONIOENCODING"] = "utf-8"
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "reader", *map(str, args)],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


# Test modules get helpers through fixtures rather than ``from conftest import``:
# another conftest.py (tests/ui) would make that import ambiguous.


@pytest.fixture(scope="session")
def make_docs() -> Callable[[dict[str, str]], list[Document]]:
    """``make_docs({"a.txt": text, ...})`` -> Documents, in the given order."""
    return documents_from_texts


@pytest.fixture(scope="session")
def reader_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``reader_cli("align", path, ...)`` runs ``python -m reader`` in a subprocess."""
    return run_reader


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    if not SAMPLE_DATA.is_dir():  # pragma: no cover - the folder is part of the repo
        pytest.skip("sample_data/ is missing")
    return SAMPLE_DATA


@pytest.fixture(scope="session")
def sample_alignment() -> Alignment:
    """The alignment of the five sample articles (computed once per session)."""
    from reader.core.text.load import load_paths

    return align(load_paths([SAMPLE_DATA]).documents)
