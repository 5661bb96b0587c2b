"""Shared fixtures for the reading-view tests: documents and a helper that waits
(never sleeps) until loading, aligning and the first sync are done."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from pilot_helpers import settle as _settle

from reader.core.text.load import Document, documents_from_texts, load_paths

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
EVAL = ROOT.parent / "shared" / "eval" / "cases"

MARKUP_TEXTS = {
    "notes[red].txt": (
        "The [bold]spokesman[/bold] said talks were [/b] serious.\n\n"
        "An escape \x1b[31mred\x1b[0m sequence\tand a tab stayed literal.\n\n"
        "東京の会議は長く続いた。 Émoji 🙂 appear here too.\n\n"
        "Averyveryveryveryveryveryveryveryveryveryveryverylongwordthatmustwrap ends it."
    ),
    "[link=x]other[/link].txt": (
        "The spokesman said talks were [/b] serious and useful.\n\n"
        "Nothing else matches this sentence about weather in Lisbon.\n\n"
        "東京の会議は長く続いた。 Émoji 🙂 appear here too."
    ),
}


@pytest.fixture
def sample_docs() -> list[Document]:
    return load_paths([SAMPLE]).documents


@pytest.fixture
def markup_docs() -> list[Document]:
    return documents_from_texts(MARKUP_TEXTS)


@pytest.fixture
def settle():
    return _settle
