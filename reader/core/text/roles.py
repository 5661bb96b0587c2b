"""What part of a page a sentence is: body text, a headline, or page furniture.

Web articles carry more than their story: section labels, bylines and dates,
photo captions and credits, "Read also" teasers, link lists, bare URLs. They share
words with the story (a teaser names the same people, a caption the same place) and
with each other across outlets (two datelines), so they would link to everything. The
rules here are structural, so they hold whatever the language:

* a *bare line* is a whole line with no sentence punctuation at its end;
* the *header* is the run of bare lines before the first prose sentence: there, a
  line of four words or more is a **headline** (a title, a subtitle), unless it is
  mostly figures (a dateline) or holds a web address or a ``|``/``·`` separator (a
  byline with its date, a breadcrumb);
* a bare line that is an item of a list (a bullet or a number before it, four words
  or more: the "key points" of a wire story) is body text;
* every other bare line is **furniture** (a section label, a dateline, a caption or
  credit, a teaser, an entry of a link list, a sub-heading) when it is short or
  carries a mark of furniture (a label and colon at its start, a web address, a
  ``|``/``·`` separator, a credit's slash, brackets around all of it); a long bare
  line with none of them is a paragraph that lost its final full stop: body text. So
  is a line of prose that is a bare web address, or short and wholly in parentheses
  (``(Photo: Reuters)``), is furniture.

Furniture never becomes a counterpart (like boilerplate); headlines link only to
headlines unless the evidence is strong (see :mod:`reader.core.alignment.confidence`). A text
whose characters are mostly in bare lines (verse, a list, a transcript without
punctuation) has no furniture: there the lines are the content.
"""

from __future__ import annotations

import re

import numpy as np

from reader.core.text.segment import Source

BODY, HEADLINE, FURNITURE = 0, 1, 2

_END = frozenset(".!?…:;\"'”’»)]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s[|·•]\s")
_BULLET = re.compile(r"^\s*(?:[•▪►‣◦*–-]|\d{1,2}[.)])\s+\S")
_TOKEN = re.compile(r"[^\W_]+")
_BRACKETED = re.compile(r"^\s*[(\[].*[)\]]\s*$", re.DOTALL)
_LABEL = re.compile(r"^\s*[^\W\d_][^\n:.!?]{0,30}:\s")  # "Read also: ...", "Photo: ..."
_CREDIT = re.compile(r"\S\s?/\s?\S")  # "AP / Reuters", "Foto: dpa/AFP"
#: a bare line (or a bracketed one) of this many words or more is prose unless marked
_LONG = 15
#: at most this share of a source's text may be in bare lines for them to be furniture
_BARE_SHARE = 0.5


def bare_lines(src: Source) -> np.ndarray:
    """Per sentence: a whole line with no sentence punctuation at its end?"""
    text = src.text
    out = np.zeros(len(src), dtype=bool)
    for k, (s, e) in enumerate(src.sentences):
        starts_line = s == 0 or text[s - 1] == "\n"
        ends_line = e >= len(text) or text[e] == "\n"
        out[k] = starts_line and ends_line and text[e - 1] not in _END
    return out


def _mostly_figures(tokens: list[str]) -> bool:
    digits = sum(t[:1].isdigit() for t in tokens)
    return digits > 0 and digits * 3 >= len(tokens)


def roles(src: Source) -> np.ndarray:
    """The role of every sentence: :data:`BODY`, :data:`HEADLINE` or :data:`FURNITURE`."""
    bare = bare_lines(src)
    out = np.zeros(len(src), dtype=np.int8)
    if len(src) == 0:
        return out
    sizes = np.array([e - s for s, e in src.sentences])
    if sizes[bare].sum() > _BARE_SHARE * sizes.sum():
        return out  # verse, a list, a transcript: the lines are the content
    header = True
    for k in range(len(src)):
        sentence = src.sentence(k)
        if not bare[k]:
            header = False
            if _URL.fullmatch(sentence.strip()) or (
                _BRACKETED.match(sentence) and len(_TOKEN.findall(sentence)) < _LONG
            ):
                out[k] = FURNITURE
            continue
        tokens = _TOKEN.findall(sentence)
        if _BULLET.match(sentence) and len(tokens) >= 4:
            continue  # a list item stating something ("• Third rise this year"): body
        titled = (
            header
            and len(tokens) >= 4
            and not _mostly_figures(tokens)
            and not _URL.search(sentence)
            and not _SEPARATOR.search(sentence)
        )
        if titled:
            out[k] = HEADLINE
        elif len(tokens) < _LONG or _marked(sentence):
            out[k] = FURNITURE
        # else: a paragraph without its final full stop (body)
    return out


def _marked(line: str) -> bool:
    """Does a bare line carry a mark of page furniture?"""
    return bool(
        _LABEL.match(line)
        or _URL.search(line)
        or _SEPARATOR.search(line)
        or _CREDIT.search(line)
        or _BRACKETED.match(line)
    )
