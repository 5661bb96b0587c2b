"""Sentence segmentation with exact character offsets.

A rule-based splitter (regular expressions plus a few look-behind/look-ahead
rules), chosen over the available libraries after measuring them (see
``benchmarks/bench_segment.py`` and the README): it is the fastest, never
rewrites the text, and handles the news-specific cases that all of them got
wrong (``Sir. Ushakov``, ``9-10. January``).

Rules, in order:

* A line break ends a sentence (headlines, bylines, bullets, list items), unless
  the text is hard-wrapped prose (most lines about as long as the longest one),
  where only a blank line does.
* Inside a paragraph, a sentence ends after ``.``, ``!``, ``?`` or ``…`` (plus any
  closing quotes or brackets) followed by white space, unless

  - the next word starts with a lower-case letter (``U.S. officials``,
    ``“...!” she said``);
  - the word before a period is a title or an abbreviation that is no ordinary
    word (``Mr.``, ``Sir.``, ``Sra.``, ``vs.``), an abbreviation that is also a word
    followed by a number (``Jan. 13``, ``No. 5``), a single capital initial
    (``J. Smith``), or a number followed by a month name (``9-10. January``);
  - the word before is a dotted acronym (``U.S.``) and the next word is not a
    typical sentence opener (``The``, ``He``, ...);
  - the period follows a list number at the start of a line (``1. Item``).

* Sentences longer than :data:`MAX_SENTENCE` characters are cut at a space so
  that one megabyte line cannot become one unreadable unit.

Offsets index the text exactly as given; spans never include surrounding white
space and never overlap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.text.decode import is_blank

if TYPE_CHECKING:
    from reader.core.text.load import Document

MAX_SENTENCE = 2000

# Titles: a period after them never ends a sentence (``Mr. Putin``, ``Sir. Ushakov``).
TITLES = frozenset(
    """
mr mrs ms messrs mme mlle dr drs prof profa sr sra srta sres dra jr sir st sto sta mt ft
gen sen rep gov col lt sgt capt cmdr cdr adm maj brig rev hon pres supt insp det esq
cel sgto
""".split()
)
# Abbreviations that are never ordinary words: no sentence ends after them.
ABBREVIATIONS = TITLES | frozenset(
    """
vs cf approx eg ie al pp vol vols fig figs pág av ave blvd univ dept tel
""".split()
)
# Abbreviations that are also words (``Jan.``, ``ago.``, ``No.``): a period after them
# ends the sentence unless a number follows (``Jan. 13``, ``No. 5``, ``set. 2006``).
BEFORE_NUMBER = frozenset(
    """
jan feb mar apr jun jul aug sep sept oct nov dec fev abr mai ago set out dez
no nos nr p ed op pg ref ca
""".split()
)

MONTHS = frozenset(
    """
january february march april may june july august september october november december
januar februar märz april mai juni juli august september oktober november dezember
janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
""".split()
)

SENTENCE_OPENERS = frozenset(
    """
the a an he she it they we i you but and in on at this that these those there his her
their its our my however meanwhile after before when while if as so yet
""".split()
)

_TERMINATOR = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_LINE = re.compile(r"[^\n]+")
_BLANK_SEPARATED = re.compile(r"\S(?:.|\n(?![ \t\f\v\u00a0]*\n))*")
_NUMBER = re.compile(r"^\d+(?:[-–/.]\d+)*$")
_ACRONYM = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]$")
_WORD_AFTER = re.compile(r"[^\W\d_]+")
_LIST_NUMBER = re.compile(r"^\s*\(?\d{1,3}$")


def is_hard_wrapped(text: str) -> bool:
    """True for prose wrapped at a fixed width (lines joined by single newlines)."""
    lines = text.split("\n")
    if len(lines) < 8:
        return False
    followed = [len(a.rstrip()) for a, b in zip(lines, lines[1:]) if a.strip() and b.strip()]
    if len(followed) < 6:
        return False
    width = max(followed)
    if not 40 <= width <= 120:
        return False
    near_full = sum(1 for n in followed if n >= 0.6 * width)
    # wrapped prose breaks lines mid-sentence; one paragraph per line ends them
    ends = sum(
        1
        for a, b in zip(lines, lines[1:])
        if a.strip() and b.strip() and a.rstrip()[-1] in ".!?\"'”’»):"
    )
    return near_full >= 0.7 * len(followed) and ends < 0.5 * len(followed)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    pattern = _BLANK_SEPARATED if is_hard_wrapped(text) else _LINE
    return [m.span() for m in pattern.finditer(text)]


def _word_before(text: str, start: int, pos: int) -> str:
    """The run of non-space characters ending at ``pos`` (within the paragraph)."""
    i = pos
    while i > start and not text[i - 1].isspace():
        i -= 1
    return text[i:pos]


def _is_boundary(text: str, para_start: int, term_start: int, term_end: int, nxt: int) -> bool:
    """Decide whether the terminator text[term_start:term_end] ends a sentence.

    ``nxt`` is the index of the first non-space character after it.
    """
    ch = text[nxt]
    if ch.islower():
        return False
    marks = text[term_start:term_end]
    if marks[0] != "." or marks.startswith(".."):
        return True  # ! ? … and ellipses followed by a capital end the sentence
    word = _word_before(text, para_start, term_start).lstrip("\"'“‘«([{¿¡-–—")
    if not word:
        return True
    low = word.casefold()
    if low in ABBREVIATIONS:
        return False
    if low in BEFORE_NUMBER and ch.isdigit():
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: J. Smith
    m = _WORD_AFTER.match(text, nxt)
    next_word = m.group(0).casefold() if m else ""
    if _NUMBER.match(word):
        if next_word in MONTHS:
            return False  # 9-10. January, 13. Januar
        # "1. Item" at the start of a line is no sentence end
        return not _LIST_NUMBER.match(text[para_start:term_start])
    if _ACRONYM.match(word):
        return next_word in SENTENCE_OPENERS
    return True


def _emit(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append the stripped span [start, end), cut into pieces of at most MAX_SENTENCE."""
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        if cut <= start:
            cut = start + MAX_SENTENCE
        piece_end = cut
        while piece_end > start and is_blank(text[piece_end - 1]):
            piece_end -= 1
        if piece_end > start:
            out.append((start, piece_end))
        start = cut
        while start < end and is_blank(text[start]):
            start += 1
    if end > start:
        out.append((start, end))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; returns ``(start, end)`` offsets, end exclusive."""
    out: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text):
        start = p_start
        for m in _TERMINATOR.finditer(text, p_start, p_end):
            t_start, t_end = m.span()
            nxt = t_end
            while nxt < p_end and text[nxt].isspace():
                nxt += 1
            if nxt >= p_end:
                break
            if _is_boundary(text, p_start, t_start, t_end, nxt):
                _emit(text, start, t_end, out)
                start = nxt
        _emit(text, start, p_end, out)
    return out


@dataclass(eq=False)
class Source:
    """One text version split into sentences: ``sentences`` are ``(start, end)``
    offsets into ``text`` (end exclusive)."""

    name: str
    text: str
    sentences: list[tuple[int, int]]
    path: Path | None = None
    encoding: str = "utf-8"
    #: ISO 639-1 code of its language, set by the aligner (:mod:`reader.core.text.language`);
    #: None when it cannot be told (too little text, a mix) or before alignment
    lang: str | None = None

    def sentence(self, i: int) -> str:
        s, e = self.sentences[i]
        return self.text[s:e]

    def __len__(self) -> int:
        return len(self.sentences)


def segment(documents: Sequence[Document]) -> list[Source]:
    """The documents as sources split into sentences (pure Python: no numpy)."""
    return [
        Source(
            name=d.name,
            text=d.text,
            sentences=split_sentences(d.text),
            path=d.path,
            encoding=d.encoding,
        )
        for d in documents
    ]
