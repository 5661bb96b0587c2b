"""The pure core of reader, as a library: load, segment, align, explain, mark, export.

Never imports Textual. The stages, each a package, in the order the data flows:
:mod:`reader.core.text` (files to sentences), :mod:`reader.core.alignment` (sentences to
an alignment), :mod:`reader.core.marks` (what a reader keeps, and its file),
:mod:`reader.core.export` (marks or shared passages to md, json, csv, html); below
them :mod:`reader.core.fs` (safe reads, atomic writes, display paths) and
:mod:`reader.core.visible` (the sanitiser of every output).

Everything a script needs is importable from here::

    from reader.core import align, load_paths

    al = align(load_paths(["sample_data"]).documents)

The names load on first use (``import reader.core`` imports none of the stages), so
``reader --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: public name -> (module, name there)
_EXPORTS: dict[str, tuple[str, str]] = {
    # text: load and segment
    "Document": ("reader.core.text.load", "Document"),
    "Loaded": ("reader.core.text.load", "Loaded"),
    "SourceError": ("reader.core.text.load", "SourceError"),
    "load_paths": ("reader.core.text.load", "load_paths"),
    "documents_from_texts": ("reader.core.text.load", "documents_from_texts"),
    "Source": ("reader.core.text.segment", "Source"),
    "segment": ("reader.core.text.segment", "segment"),
    "split_sentences": ("reader.core.text.segment", "split_sentences"),
    # align: the pipeline, its settings, the model, strictness
    "align": ("reader.core.alignment.pipeline", "align"),
    "align_sources": ("reader.core.alignment.pipeline", "align_sources"),
    "Settings": ("reader.core.alignment.params", "Settings"),
    "Alignment": ("reader.core.alignment.model", "Alignment"),
    "Counterpart": ("reader.core.alignment.model", "Counterpart"),
    "Passage": ("reader.core.alignment.model", "Passage"),
    "Link": ("reader.core.alignment.links", "Link"),
    "COUNTERPART": ("reader.core.alignment.links", "COUNTERPART"),
    "RELATED": ("reader.core.alignment.links", "RELATED"),
    "STRICTNESS": ("reader.core.alignment.links", "STRICTNESS"),
    "STRICT": ("reader.core.alignment.links", "STRICT"),
    "NORMAL": ("reader.core.alignment.links", "NORMAL"),
    "LOOSE": ("reader.core.alignment.links", "LOOSE"),
    # reading an alignment: why, FILE:N, matched words, search, the align output
    "explain": ("reader.core.alignment.explain", "explain"),
    "Reason": ("reader.core.alignment.explain", "Reason"),
    "parse_ref": ("reader.core.alignment.refs", "parse_ref"),
    "format_ref": ("reader.core.alignment.refs", "format_ref"),
    "RefError": ("reader.core.alignment.refs", "RefError"),
    "word_matches": ("reader.core.alignment.spans", "word_matches"),
    "shared_passages": ("reader.core.alignment.spans", "shared_passages"),
    "search": ("reader.core.alignment.navigation", "search"),
    "alignment_json": ("reader.core.alignment.report", "to_json"),
    "summary": ("reader.core.alignment.report", "summary"),
    # marks and their file
    "Mark": ("reader.core.marks.marks", "Mark"),
    "Target": ("reader.core.marks.marks", "Target"),
    "TAGS": ("reader.core.marks.marks", "TAGS"),
    "create_mark": ("reader.core.marks.marks", "create_mark"),
    "edit_mark": ("reader.core.marks.marks", "edit_mark"),
    "reanchor_marks": ("reader.core.marks.marks", "reanchor_marks"),
    "marks_in_source": ("reader.core.marks.marks", "marks_in_source"),
    "MarkStore": ("reader.core.marks.storage", "MarkStore"),
    "marks_path": ("reader.core.marks.storage", "marks_path"),
    "load_marks": ("reader.core.marks.storage", "load_marks"),
    "save_marks": ("reader.core.marks.storage", "save_marks"),
    # export
    "FORMATS": ("reader.core.export.render", "FORMATS"),
    "ExportError": ("reader.core.export.render", "ExportError"),
    "render": ("reader.core.export.render", "render"),
    "write_export": ("reader.core.export.render", "write_export"),
    "collect_marks": ("reader.core.export.passages", "collect_marks"),
    "collect_matches": ("reader.core.export.passages", "collect_matches"),
    "citation": ("reader.core.export.passages", "citation"),
}

__all__ = [
    "COUNTERPART",
    "FORMATS",
    "LOOSE",
    "NORMAL",
    "RELATED",
    "STRICT",
    "STRICTNESS",
    "TAGS",
    "Alignment",
    "Counterpart",
    "Document",
    "ExportError",
    "Link",
    "Loaded",
    "Mark",
    "MarkStore",
    "Passage",
    "Reason",
    "RefError",
    "Settings",
    "Source",
    "SourceError",
    "Target",
    "align",
    "align_sources",
    "alignment_json",
    "citation",
    "collect_marks",
    "collect_matches",
    "create_mark",
    "documents_from_texts",
    "edit_mark",
    "explain",
    "format_ref",
    "load_marks",
    "load_paths",
    "marks_in_source",
    "marks_path",
    "parse_ref",
    "reanchor_marks",
    "render",
    "save_marks",
    "search",
    "segment",
    "shared_passages",
    "split_sentences",
    "summary",
    "word_matches",
    "write_export",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'reader.core' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value  # once: the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # what the names are, for type checkers and editors
    from reader.core.alignment.explain import Reason, explain
    from reader.core.alignment.links import (
        COUNTERPART,
        LOOSE,
        NORMAL,
        RELATED,
        STRICT,
        STRICTNESS,
        Link,
    )
    from reader.core.alignment.model import Alignment, Counterpart, Passage
    from reader.core.alignment.navigation import search
    from reader.core.alignment.params import Settings
    from reader.core.alignment.pipeline import align, align_sources
    from reader.core.alignment.refs import RefError, format_ref, parse_ref
    from reader.core.alignment.report import summary
    from reader.core.alignment.report import to_json as alignment_json
    from reader.core.alignment.spans import shared_passages, word_matches
    from reader.core.export.passages import citation, collect_marks, collect_matches
    from reader.core.export.render import FORMATS, ExportError, render, write_export
    from reader.core.marks.marks import (
        TAGS,
        Mark,
        Target,
        create_mark,
        edit_mark,
        marks_in_source,
        reanchor_marks,
    )
    from reader.core.marks.storage import MarkStore, load_marks, marks_path, save_marks
    from reader.core.text.load import (
        Document,
        Loaded,
        SourceError,
        documents_from_texts,
        load_paths,
    )
    from reader.core.text.segment import Source, segment, split_sentences
