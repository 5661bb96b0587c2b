"""How many sources share each sentence, as the panes shade it.

Kept free of Textual and Rich: the alignment process computes the shading of every
strictness level (:mod:`reader.ui.panes.levels`) without loading the interface."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.alignment.model import Alignment

# How many sources share a sentence.
ALL, SOME, UNIQUE, BOILER, UNKNOWN = range(5)


def sentence_kinds(alignment: Alignment, source: int) -> list[int]:
    """The shading of every sentence of ``source``: how many sources share it."""
    n_sources = len(alignment.sources)
    out = []
    for i in range(len(alignment.sources[source])):
        if alignment.is_boilerplate(source, i):
            out.append(BOILER)
            continue
        sup = alignment.support(source, i)
        out.append(UNIQUE if sup <= 1 else ALL if sup >= n_sources else SOME)
    return out


def sentence_kind(alignment: Alignment, source: int, sentence: int) -> int:
    """The shading of one sentence (as :func:`sentence_kinds`)."""
    if alignment.is_boilerplate(source, sentence):
        return BOILER
    sup = alignment.support(source, sentence)
    return UNIQUE if sup <= 1 else ALL if sup >= len(alignment.sources) else SOME
