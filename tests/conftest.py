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

from reader.core.align import align
from reader.core.model import Alignment
from reader.core.segment import split_sentences
from reader.core.sources import Document, documents_from_texts

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DATA = REPO / "sample_data"


def sentences(text: str) -> list[str]:
    """The sentence texts ``split_sentences`` finds in ``text``."""
    return [text[s:e] for s, e in split_sentences(text)]


def docs(texts: dict[str, str]) -> list[Document]:
    return documents_from_texts(texts)


def align_texts(texts: dict[str, str]) -> Alignment:
    """Align in-memory texts given as ``{name: text}``, in that order."""
    return align(documents_from_texts(texts))


def sentence_of(al: Alignment, name: str, needle: str) -> tuple[int, int]:
    """The (source, sentence) reference of the only sentence of ``name`` containing ``needle``."""
    src = next(i for i, s in enumerate(al.sources) if s.name == name)
    hits = [i for i in range(len(al.sources[src])) if needle in al.sources[src].sentence(i)]
    assert len(hits) == 1, f"{needle!r} found in sentences {hits} of {name}"
    return src, hits[0]


def linked(al: Alignment, x: tuple[int, int], y: tuple[int, int]) -> bool:
    """True when sentences x and y are directly linked (either orientation)."""
    a, b = (x, y) if x[0] < y[0] else (y, x)
    return any(link.a == a and link.b == b for link in al.links)


def named_links(al: Alignment) -> set[frozenset[tuple[str, int]]]:
    """Links as unordered pairs of (source name, sentence index): independent of the
    order in which the sources were given."""
    return {frozenset({(al.sources[l.a[0]].name, l.a[1]), (al.sources[l.b[0]].name, l.b[1])})
            for l in al.links}


def text_links(al: Alignment) -> set[frozenset[str]]:
    """Links as unordered pairs of sentence texts (readable in assertion messages)."""
    return {frozenset({al.sources[l.a[0]].sentence(l.a[1]), al.sources[l.b[0]].sentence(l.b[1])})
            for l in al.links}


def run_reader(*args: str | os.PathLike, cwd: Path | None = None,
               timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m reader ARGS`` in a subprocess and capture its output."""
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    env["PYTHONIOENCODING"] = "utf-8"
    env["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", "reader", *map(str, args)], cwd=cwd or REPO,
                          env=env, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", timeout=timeout)


# Test modules get the helpers through fixtures rather than ``from conftest import``:
# another conftest.py (tests/ui) would make that import ambiguous.


@pytest.fixture(scope="session")
def make_docs() -> Callable[[dict[str, str]], list[Document]]:
    """``make_docs({"a.txt": text, ...})`` -> Documents, in the given order."""
    return docs


@pytest.fixture(scope="session")
def sents() -> Callable[[str], list[str]]:
    """``sents(text)`` -> the sentence texts the splitter finds."""
    return sentences


@pytest.fixture(scope="session")
def helpers():
    """The alignment helpers above, as one namespace."""
    from types import SimpleNamespace

    return SimpleNamespace(align_texts=align_texts, sentence_of=sentence_of, linked=linked,
                           named_links=named_links, text_links=text_links, docs=docs,
                           sentences=sentences)


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
    from reader.core.sources import load_paths

    return align(load_paths([SAMPLE_DATA]).documents)
