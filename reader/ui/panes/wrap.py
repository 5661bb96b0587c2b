"""A pane's sentences word-wrapped into rows, and the row <-> sentence index.

Everything here keeps character offsets 1:1 with the source text, so spans from
the core (sentence offsets, matched words) index the display text (the text made
literal by :func:`reader.ui.literal.sanitise`) directly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

from reader.core.text.segment import Source

_TOKEN = re.compile(r"\S+")

#: A row that holds no text: the blank line between two paragraphs.
BLANK = (-1, -1)
#: The first number of a row that stands for a run of hidden sentences (a filter is
#: on): ``(FOLD, how many)``, drawn as "… 4 sentences …".
FOLD = -2


def _split_word(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Cut one word wider than ``width`` cells into pieces that fit."""
    pieces = []
    s = start
    used = 0
    for k in range(start, end):
        w = get_character_cell_size(text[k])
        if used + w > width and k > s:
            pieces.append((s, k))
            s, used = k, 0
        used += w
    pieces.append((s, end))
    return pieces


@lru_cache(maxsize=64)
def _ascii_rows(width: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For ASCII text, where a character is a cell: a row (the longest run from a word's
    start to a word's end that fits ``width``), and a word too long for any row."""
    row = re.compile(rf"\S(?:.{{0,{width - 2}}}\S)?(?=\s|$)", re.DOTALL)
    return row, re.compile(rf"\S{{{width + 1}}}")


def wrap(
    text: str, start: int, end: int, width: int, *, short_words: bool = False
) -> list[tuple[int, int]]:
    """Rows ``(start, end)`` of ``text[start:end]`` greedily word-wrapped to ``width`` cells.

    Spaces between words stay inside the row they follow; a row's end excludes
    trailing spaces. Words wider than a row are cut. ``short_words``: the caller
    knows no word of the text is longer than ``width`` characters.
    """
    width = max(1, width)
    chunk = text[start:end]
    if not chunk.strip():
        return [(start, start)]
    ascii_only = chunk.isascii()
    if ascii_only and end - start <= width:
        s = start + (len(chunk) - len(chunk.lstrip()))
        return [(s, start + len(chunk.rstrip()))]
    if ascii_only and width >= 2:
        # the same greedy rows found by the regex engine, a row at a time instead of a
        # word at a time (a book re-wraps on resize several times faster)
        row, too_long = _ascii_rows(width)
        if short_words or too_long.search(text, start, end) is None:
            return [m.span() for m in row.finditer(text, start, end)]
    return _wrap_words(text, start, end, width, ascii_only)


@lru_cache(maxsize=16)
def _longest_word(text: str) -> int:
    """Characters in the longest run of non-spaces of ``text`` (once per text)."""
    return max(map(len, text.split()), default=0)


def _wrap_words(
    text: str, start: int, end: int, width: int, ascii_only: bool
) -> list[tuple[int, int]]:
    """:func:`wrap` a word at a time: for wide characters and words longer than a row."""
    measure = len if ascii_only else cell_len
    rows: list[tuple[int, int]] = []
    row_start = -1
    row_end = -1
    used = 0
    for m in _TOKEN.finditer(text, start, end):
        ws, we = m.span()
        w = we - ws if ascii_only else measure(m.group())
        if row_start >= 0:
            gap = ws - row_end
            if used + gap + w <= width:
                used += gap + w
                row_end = we
                continue
            rows.append((row_start, row_end))
        if w <= width:
            row_start, row_end, used = ws, we, w
        else:
            pieces = _split_word(text, ws, we, width)
            rows.extend(pieces[:-1])
            row_start, row_end = pieces[-1]
            used = measure(text[row_start:row_end])
    rows.append((row_start, row_end))
    return rows


@dataclass
class Layout:
    """The wrapped rows of one source at one width, and the row <-> sentence index."""

    width: int
    rows: list[tuple[int, int]]  # (start, end) offsets into the text, or BLANK
    first_row: list[int]  # first row of each sentence, plus the total at the end

    @property
    def total(self) -> int:
        return self.first_row[-1]

    def sentence_at(self, row: int) -> int:
        """The sentence that owns ``row`` (clamped to the document)."""
        n = len(self.first_row) - 1
        if n <= 0:
            return 0
        return max(0, min(n - 1, bisect_right(self.first_row, row) - 1))

    def row_of(self, sentence: int) -> int:
        return (
            self.first_row[max(0, min(sentence, len(self.first_row) - 2))]
            if len(self.first_row) > 1
            else 0
        )

    def height_of(self, sentence: int) -> int:
        return self.first_row[sentence + 1] - self.first_row[sentence]


def layout(source: Source, text: str, width: int, hidden: frozenset[int] = frozenset()) -> Layout:
    """Wrap every sentence of ``source`` (``text`` is its sanitised text).

    Each sentence starts on a new row; a blank row follows a sentence that ends a
    paragraph (a blank line before the next sentence in the original text). A run of
    ``hidden`` sentences (a filter) takes one row, ``(FOLD, n)``: every sentence of
    the run starts there, the last one owns it.
    """
    rows: list[tuple[int, int]] = []
    first_row: list[int] = []
    raw = source.text
    sentences = source.sentences
    n = len(sentences)
    short_words = _longest_word(text) <= width  # then no sentence needs to look for one
    run = 0  # hidden sentences in the run being folded
    for k, (s, e) in enumerate(sentences):
        if k in hidden:
            if run == 0:
                rows.append((FOLD, 0))
            run += 1
            first_row.append(len(rows) - 1)
            rows[-1] = (FOLD, run)
            continue
        run = 0
        first_row.append(len(rows))
        rows.extend(wrap(text, s, e, width, short_words=short_words))
        if k + 1 < n and k + 1 not in hidden and raw.count("\n", e, sentences[k + 1][0]) >= 2:
            rows.append(BLANK)
    first_row.append(len(rows))
    return Layout(width=width, rows=rows, first_row=first_row)
