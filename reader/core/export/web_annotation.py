"""The JSON export: a W3C Web Annotation ``AnnotationCollection``."""

from __future__ import annotations

from typing import Any

from reader import __version__
from reader.core.export.passages import MARKS, ExportData, ExportPassage, Occurrence
from reader.core.visible import json_text


def _selectors(o: Occurrence) -> list[dict[str, Any]]:
    return [
        {"type": "TextQuoteSelector", "exact": o.text, "prefix": o.prefix, "suffix": o.suffix},
        {"type": "TextPositionSelector", "start": o.start, "end": o.end},
    ]


def _annotation(p: ExportPassage, kind: str) -> dict[str, Any]:
    body = []
    if p.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": p.note,
                "format": "text/plain",
            }
        )
    if p.tag:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": p.tag})
    ann: dict[str, Any] = {
        "id": f"urn:uuid:{p.id}" if kind == MARKS else p.id,
        "type": "Annotation",
        "motivation": "commenting" if p.note else "highlighting",
    }
    if p.created:
        ann["created"] = p.created
    if p.modified:
        ann["modified"] = p.modified
    if body:
        ann["body"] = body
    o = p.occurrence
    ann["target"] = {"type": "SpecificResource", "source": o.source, "selector": _selectors(o)}
    ann["status"] = o.status
    if p.words is not None:
        ann["words"] = p.words
    ann["counterparts"] = [
        {
            "type": "SpecificResource",
            "source": c.source,
            "score": c.score,
            "selector": _selectors(c),
        }
        for c in p.counterparts
    ]
    return ann


def to_json(data: ExportData) -> str:
    """An AnnotationCollection of the W3C Web Annotation data model. Extensions (not
    in the W3C vocabulary): ``status``, ``words`` and ``counterparts`` (targets in the
    other sources, each with the alignment ``score``)."""
    label = "reader marks" if data.kind == MARKS else "reader shared passages"
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": label,
        "generator": {"type": "Software", "name": f"reader {__version__}"},
        "sources": [name for name, _ in data.sources],
        "total": len(data.passages),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [_annotation(p, data.kind) for p in data.passages],
        },
    }
    return json_text(doc, indent=2) + "\n"
