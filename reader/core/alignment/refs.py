"""Naming a sentence the way the reader sees it: ``FILE:N``.

``FILE`` is the source's name as the pane title shows it, ``N`` the sentence number
shown in the app, counted from 1. Used by ``reader align --explain`` and by the
commands that correct the alignment by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.fs import display_path
from reader.core.text.segment import Source


class RefError(ValueError):
    """A sentence reference that names no sentence; the message is one line."""


def parse_ref(text: str, sources: Sequence[Source]) -> tuple[int, int]:
    """``FILE:N`` as (source index, sentence index, 0-based)."""
    name, sep, number = text.rpartition(":")
    if not sep or not name:
        raise RefError(
            f"{display_path(text)}: expected FILE:N (a file name as in the pane "
            "title, a colon, the sentence number)"
        )
    names = [s.name for s in sources]
    if name not in names:
        raise RefError(
            f"{display_path(name)} is not one of the sources: "
            + ", ".join(display_path(n) for n in names)
        )
    k = names.index(name)
    try:
        n = int(number)
    except ValueError:
        raise RefError(
            f"{display_path(text)}: {display_path(number)} is not a sentence number"
        ) from None
    count = len(sources[k])
    if not 1 <= n <= count:
        raise RefError(
            f"{display_path(name)} has sentences 1 to {count}, not {n}"
            if count
            else f"{display_path(name)} has no sentences"
        )
    return k, n - 1


def format_ref(sources: Sequence[Source], source: int, sentence: int) -> str:
    """The ``FILE:N`` of a sentence (N counted from 1)."""
    return f"{sources[source].name}:{sentence + 1}"
