"""Strictness in the reading view: what counts as a counterpart, switched with a key.

The alignment worker re-classifies the aligner's links at every strictness
(:meth:`reader.core.alignment.model.Alignment.at`, a second or two each on a book) and prepares
what the panes need of each level (lookup indexes, the shading of every sentence), so
a key only swaps prepared data and repaints: it never aligns or classifies again.

:class:`Strictness` is plain state (no widgets): the levels prepared so far, the one
shown and the one the reader asked for while it was still being prepared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.alignment.corrections import Corrections
from reader.core.alignment.links import COUNTERPART, NORMAL, STRICTNESS
from reader.core.alignment.model import Alignment
from reader.ui.panes.shading import sentence_kind, sentence_kinds


@dataclass(frozen=True, eq=False)
class Prepared:
    """One strictness level, ready to show."""

    alignment: Alignment
    kinds: tuple[list[int], ...]  # per source: the shading of each sentence (rows.ALL ...)
    counterparts: int  # links by kind, for the status line
    related: int
    #: per source, the sentences whose shading the last correction changed (what must
    #: be painted again; the highlights follow the panes' next line-up)
    touched: dict[int, frozenset[int]] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return self.alignment.strictness

    def corrected(self, corrections: Corrections) -> Prepared:
        """This level with the reader's ``corrections`` (in place of the ones it has),
        without classifying it all again: only what they touch is decided again
        (:func:`reader.core.alignment.reclassify.recorrect`) and shaded again."""
        from reader.core.alignment.reclassify import recorrect

        patch = recorrect(self.alignment, corrections)
        if patch.alignment is self.alignment:
            return self
        al = patch.alignment
        kinds = list(self.kinds)
        reshaded: dict[int, frozenset[int]] = {}
        for s, sentences in patch.touched.items():
            shading = list(kinds[s])
            changed = []
            for i in sentences:
                kind = sentence_kind(al, s, i)
                if kind != shading[i]:
                    shading[i] = kind
                    changed.append(i)
            if changed:
                kinds[s] = shading
                reshaded[s] = frozenset(changed)
        return Prepared(
            al,
            tuple(kinds),
            self.counterparts + patch.counterparts,
            self.related + patch.related,
            reshaded,
        )


def prepare(al: Alignment, lookups: bool = True) -> Prepared:
    """Everything a key needs to show ``al`` at once (run in the worker). ``lookups``:
    build the lookup indexes too; the alignment process leaves them to its parent,
    which builds them in its worker sooner than they would come through the pipe
    (:func:`reader.ui.align_process._unpack`)."""
    if lookups:
        al.build_indexes()
    kinds = tuple(sentence_kinds(al, s) for s in range(len(al.sources)))
    counterparts = sum(1 for x in al.links if x.kind == COUNTERPART)
    return Prepared(al, kinds, counterparts, len(al.links) - counterparts)


def next_level(level: str) -> str:
    """The level the key goes to from ``level``: strict → normal → loose → strict."""
    return STRICTNESS[(STRICTNESS.index(level) + 1) % len(STRICTNESS)]


def preparation_order(level: str) -> list[str]:
    """The other levels in the order the key reaches them from ``level``."""
    out, k = [], level
    for _ in range(len(STRICTNESS) - 1):
        k = next_level(k)
        out.append(k)
    return out


def describe(p: Prepared) -> str:
    """One line for the status bar."""
    return f"strictness {p.level}: {p.counterparts} counterpart links, {p.related} related"


class Strictness:
    """The levels prepared so far, the one shown and the one wanted next."""

    def __init__(self, level: str = NORMAL) -> None:
        self.ready: dict[str, Prepared] = {}
        self.shown = level
        self.wanted: str | None = None  # asked for, not yet prepared

    @property
    def target(self) -> str:
        """The level the reader last asked for."""
        return self.wanted or self.shown

    def fixed(self) -> bool:
        """True when the alignment has one level only (made without the aligner's pool:
        nothing to re-classify)."""
        return any(p.alignment.pool is None for p in self.ready.values())

    def add(self, prepared: Prepared) -> bool:
        """Keep a prepared level. Returns True when it is the one the reader is waiting
        for (the caller then shows it)."""
        self.ready[prepared.level] = prepared
        return self.wanted == prepared.level

    def shown_now(self, level: str) -> None:
        self.shown = level
        self.wanted = None
