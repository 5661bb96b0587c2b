"""Runs of consecutive line numbers (what a widget marks for painting in one go)."""

from __future__ import annotations


def runs(ys: list[int]) -> list[tuple[int, int]]:
    """Ascending ``ys`` as runs of consecutive lines: (first, last + 1)."""
    out: list[tuple[int, int]] = []
    for y in ys:
        if out and out[-1][1] == y:
            out[-1] = (out[-1][0], y + 1)
        else:
            out.append((y, y + 1))
    return out
