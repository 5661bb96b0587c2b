"""What `reader align` prints: the JSON contract and a readable summary."""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from reader import __version__
from reader.core.alignment import collection
from reader.core.alignment.links import BY_ALIGNER, RELATED, Link
from reader.core.alignment.model import Alignment, Passage
from reader.core.alignment.spans import all_matches
from reader.core.fs import display_path
from reader.core.visible import json_safe, json_text


def to_json(al: Alignment, *, spans: bool = True, text: bool = False) -> dict[str, Any]:
    """The `reader align --json` contract (see :func:`_to_json`), built with the
    collector paused (see reader.core.alignment.collection)."""
    with collection.paused():
        return _to_json(al, spans=spans, text=text)


def to_json_text(al: Alignment, *, spans: bool = True, text: bool = False) -> str:
    """``json_text(to_json(al, ...), separators=(",", ":"))``, the same text byte for
    byte, written faster: each link's JSON is written where its matched words are
    found, so that work is split over the cores with theirs (see
    :func:`reader.core.alignment.spans.all_matches`)."""
    if not spans:
        return json_text(to_json(al, spans=False, text=text), separators=_COMPACT)
    with collection.paused():
        encode = json.JSONEncoder(ensure_ascii=False, separators=_COMPACT).encode
        links = al.links

        def render(k: int, sa: list, sb: list) -> str:
            return _link_text(links[k], sa, sb) or encode(_link(links[k], {"a": sa, "b": sb}))

        per_link, found = all_matches(al, render=render)
        head = json.dumps(
            {"reader": __version__, "strictness": al.strictness, "sources": _sources(al, text)},
            ensure_ascii=False,
            separators=_COMPACT,
        )
        tail = json.dumps(
            {"groups": _groups(al), "passages": _passages(found)},
            ensure_ascii=False,
            separators=_COMPACT,
        )
        links_text = ",".join(per_link)
        if not links_text.isascii() or "\x7f" in links_text:  # never from the aligner
            links_text = json_safe(links_text)
        return f'{json_safe(head[:-1])},"links":[{links_text}],{json_safe(tail[1:])}'


_COMPACT = (",", ":")


def _to_json(al: Alignment, *, spans: bool, text: bool) -> dict[str, Any]:
    """The `reader align --json` contract (see score.py's docstring), plus extras.

    Required: ``sources[].name``, ``sources[].sentences`` ([start, end] offsets) and
    ``links[].a/.b/.score``. Extra: per-source ``lang`` (ISO 639-1, or null when it
    cannot be told), ``unique`` and ``boilerplate``
    sentence indices, per-link matching word ``spans``, N-way ``groups`` and verbatim
    ``passages``.
    """
    sources = _sources(al, text)
    per_link, found = all_matches(al) if spans else ([], [])
    links: list[dict[str, Any]] = []
    append = links.append
    for k, link in enumerate(al.links):
        if spans:
            sa, sb = per_link[k]
            append(_link(link, {"a": sa, "b": sb}))
        else:
            append(_link(link))
    return {
        "reader": __version__,
        "strictness": al.strictness,
        "sources": sources,
        "links": links,
        "groups": _groups(al),
        "passages": _passages(found),
    }


def _sources(al: Alignment, text: bool) -> list[dict[str, Any]]:
    sources = []
    for si, src in enumerate(al.sources):
        entry: dict[str, Any] = {
            "name": src.name,
            "encoding": src.encoding,
            "lang": src.lang,
            "sentences": src.sentences,  # tuples serialise as JSON arrays
            "unique": al.unique_sentences(si),
            "boilerplate": sorted(al.boilerplate[si]) if al.boilerplate else [],
        }
        if text:
            entry["text"] = [src.sentence(i) for i in range(len(src))]
        sources.append(entry)
    return sources


def _link(link: Link, spans: dict[str, list] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "a": list(link.a),
        "b": list(link.b),
        "score": link.score,
        "confidence": link.confidence,
        "kind": link.kind,
    }
    if link.by != BY_ALIGNER:
        item["by"] = link.by
    if spans is not None:
        item["spans"] = spans
    return item


def _link_text(link: Link, sa: list[tuple[int, int]], sb: list[tuple[int, int]]) -> str:
    """The JSON of :func:`_link` with these spans, written directly (twice as fast as
    the encoder), where its numbers are plain ints and finite floats, as the aligner's
    always are (spans are regex offsets); "" otherwise (the caller then encodes it)."""
    (s, i), (t, j), score, conf = link.a, link.b, link.score, link.confidence
    plain = type(score) is float and type(conf) is float and math.isfinite(score + conf)
    if not (plain and type(s) is int and type(i) is int and type(t) is int and type(j) is int):
        return ""
    by = "" if link.by == BY_ALIGNER else f',"by":{_quoted(link.by)}'
    spans_a = ",".join([f"[{x},{y}]" for x, y in sa])
    spans_b = ",".join([f"[{x},{y}]" for x, y in sb])
    return (
        f'{{"a":[{s},{i}],"b":[{t},{j}],"score":{float.__repr__(score)},'
        f'"confidence":{float.__repr__(conf)},"kind":{_quoted(link.kind)}{by},'
        f'"spans":{{"a":[{spans_a}],"b":[{spans_b}]}}}}'
    )


@lru_cache(maxsize=64)
def _quoted(word: str) -> str:
    return json.dumps(word, ensure_ascii=False)


def _groups(al: Alignment) -> list[dict[str, Any]]:
    return [{"sources": len({s for s, _ in g}), "members": [list(m) for m in g]} for g in al.groups]


def _passages(found: list[Passage]) -> list[dict[str, Any]]:
    return [{"words": p.words, "occurrences": p.occurrences} for p in found]


def _cells(text: str) -> int:
    """Terminal columns of ``text``: wide (CJK) characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def summary(al: Alignment) -> str:
    """A readable overview for people: sources, sentences, groups, unique counts."""
    n = len(al.sources)
    related = sum(1 for x in al.links if x.kind == RELATED)
    lines = [
        f"{n} sources, {sum(len(s) for s in al.sources)} sentences, "
        f"{len(al.links) - related} counterpart links, {related} related"
    ]
    names = [display_path(s.name) for s in al.sources]
    width = max(map(_cells, ["source", *names]))

    def pad(text: str) -> str:
        return text + " " * (width - _cells(text))

    lines.append("")
    lines.append(f"{pad('source')}  {'lang':<4}  {'sentences':>9}  {'shared':>6}  {'unique':>6}")
    for si, src in enumerate(al.sources):
        lines.append(
            f"{pad(names[si])}  {src.lang or '?':<4}  {len(src):>9}  "
            f"{al.shared_fraction(si):>6.0%}  {al.unique_count(si):>6}"
        )
    by_k = Counter(len({s for s, _ in g}) for g in al.groups)
    lines.append("")
    lines.append("passages shared by k of the sources:")
    for k in range(n, 1, -1):
        lines.append(f"  {k} of {n}: {by_k.get(k, 0)} groups")
    unique = sum(al.unique_count(si) for si in range(n))
    lines.append(f"  only in one: {unique} sentences")
    return "\n".join(lines)
