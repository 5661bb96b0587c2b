"""Why are these sentences linked? The counterparts and related sentences of one
sentence, with their confidence, the words that matched and the sources that agree.

What ``reader align --explain FILE:N`` prints and what the reading view's "why"
list shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reader.core.alignment.links import COUNTERPART, RELATED
from reader.core.alignment.model import Alignment
from reader.core.alignment.refs import format_ref
from reader.core.alignment.spans import word_matches


@dataclass(frozen=True)
class Reason:
    """One sentence linked to the one explained."""

    source: int
    sentence: int
    kind: str  # counterpart or related
    confidence: float
    by: str
    here: tuple[tuple[int, int], ...]  # matched words in the sentence explained
    there: tuple[tuple[int, int], ...]  # ... and in this one
    agree: tuple[int, ...]  # third sources where both have the same counterpart


def shown_confidence(confidence: float) -> str:
    """A confidence with two decimals, cut rather than rounded: 0.4996 (below the
    bar of 0.5) reads 0.49, never 0.50."""
    return f"{math.floor(round(confidence * 100, 6)) / 100:.2f}"


def explain(al: Alignment, source: int, sentence: int) -> list[Reason]:
    """Every counterpart, then every related sentence, of sentence ``sentence`` of
    ``source``; each group by source, most confident first."""
    out = []
    for kind, found in (
        (COUNTERPART, al.counterparts(source, sentence)),
        (RELATED, al.related(source, sentence)),
    ):
        for c in found:
            here, there = word_matches(
                al.sources[source], sentence, al.sources[c.source], c.sentence
            )
            out.append(
                Reason(
                    c.source,
                    c.sentence,
                    kind,
                    c.score,
                    c.by,
                    tuple(here),
                    tuple(there),
                    _agreeing(al, source, sentence, c.source, c.sentence),
                )
            )
    return out


def _agreeing(al: Alignment, s: int, i: int, t: int, j: int) -> tuple[int, ...]:
    mine = {(c.source, c.sentence) for c in al.counterparts(s, i) if c.source != t}
    theirs = {(c.source, c.sentence) for c in al.counterparts(t, j) if c.source != s}
    return tuple(sorted({x for x, _ in mine & theirs}))


def to_json(al: Alignment, source: int, sentence: int) -> dict[str, Any]:
    src = al.sources[source]
    return {
        "source": source,
        "name": src.name,
        "sentence": sentence,
        "span": list(src.sentences[sentence]),
        "support": al.support(source, sentence),
        "strictness": al.strictness,
        "linked": [
            {
                "source": r.source,
                "name": al.sources[r.source].name,
                "sentence": r.sentence,
                "span": list(al.sources[r.source].sentences[r.sentence]),
                "kind": r.kind,
                "confidence": r.confidence,
                "by": r.by,
                "matched": {"here": [list(x) for x in r.here], "there": [list(x) for x in r.there]},
                "agree": [al.sources[k].name for k in r.agree],
            }
            for r in explain(al, source, sentence)
        ],
    }


def to_text(al: Alignment, source: int, sentence: int, width: int = 100) -> str:
    """A readable explanation (text and file names with control characters shown
    escaped, as everywhere on the command line)."""
    from reader.core.fs import display_path

    src = al.sources[source]
    n = len(al.sources)
    lines = [
        f"{display_path(format_ref(al.sources, source, sentence))}  "
        f"(shared by {al.support(source, sentence)} of {n} sources, "
        f"strictness {al.strictness})",
        "  " + _clip(display_path(src.sentence(sentence)), width - 2),
    ]
    reasons = explain(al, source, sentence)
    for kind, title in ((COUNTERPART, "counterparts"), (RELATED, "related, not counterparts")):
        mine = [r for r in reasons if r.kind == kind]
        lines.append("")
        lines.append(f"{title}: {len(mine) or 'none'}")
        for r in mine:
            other = al.sources[r.source]
            lines.append(
                f"  {display_path(format_ref(al.sources, r.source, r.sentence))}"
                f"  confidence {shown_confidence(r.confidence)}"
                + (
                    f", also linked through {', '.join(display_path(al.sources[k].name) for k in r.agree)}"
                    if r.agree
                    else ""
                )
                + ("" if r.by == "aligner" else f", by {r.by}")
            )
            lines.append("    " + _clip(display_path(other.sentence(r.sentence)), width - 4))
            words = [display_path(src.text[s:e]) for s, e in r.here]
            lines.append(
                "    matched: " + _clip(", ".join(words) if words else "(no words)", width - 13)
            )
    return "\n".join(lines)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"
