"""Moving through an alignment: next shared / unique sentence, search, differing words.

Pure helpers for the reading view (no Textual): every function takes the core
objects and returns sentence indexes or character spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.alignment.model import Alignment
from reader.core.alignment.spans import across_languages, word_matches
from reader.core.text.segment import Source
from reader.core.text.tokens import STOPWORDS, WORD, names_and_numbers, term


def next_matching(
    alignment: Alignment, source: int, sentence: int, step: int, unique: bool
) -> int | None:
    """The next sentence after ``sentence`` (``step`` +1 or -1) that is unique to this
    source (``unique``; boilerplate excluded) or shared with another source; ``None``
    when there is none. ``J``/``K`` walk shared sentences one by one, ``u``/``U`` unique
    ones."""
    n = len(alignment.sources[source])
    i = sentence + step
    while 0 <= i < n:
        if alignment.is_unique(source, i) == unique and not (
            unique and alignment.is_boilerplate(source, i)
        ):
            return i
        i += step
    return None


def differing_words(
    a: Source, i: int, b: Source, j: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans of the words of sentence ``i`` of ``a`` and ``j`` of ``b`` that the other
    sentence lacks: the complement of :func:`word_matches` within each sentence.

    Across languages every word differs, so marking them would be noise: only numbers
    are compared there (written in digits they are the same in every language), a
    number being marked when the other sentence has numbers too but not this one
    ("50 minutes" against "40 Minuten"; not "12" against "zwölf")."""
    if across_languages(a, b):
        return _differing_numbers(a, i, b, j)
    ma, mb = word_matches(a, i, b, j)
    return _unmatched(a, i, ma), _unmatched(b, j, mb)


#: what the words of the current sentence and its counterparts show: ``auto`` picks
#: ``differences`` for near-identical pairs and ``matches`` for reworded ones
WORD_MODES = ("auto", "matches", "differences", "none")

#: a pair whose words match at least this share (of both sentences' words) is
#: near-identical: what differs is the news; below it, what matches is
NEAR_IDENTICAL = 2 / 3

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class WordComparison:
    """Sentence ``i`` of ``a`` against ``j`` of ``b``: the words that match and the
    words that differ, on each side, and the share of both sentences' words that
    match (1.0 across languages, where only numbers are compared)."""

    match: tuple[Spans, Spans]
    differ: tuple[Spans, Spans]
    share: float


def compare_words(a: Source, i: int, b: Source, j: int) -> WordComparison:
    """:func:`word_matches` and :func:`differing_words` in one pass."""
    ma, mb = word_matches(a, i, b, j)
    if across_languages(a, b):
        return WordComparison((ma, mb), _differing_numbers(a, i, b, j), 1.0)
    da, db = _unmatched(a, i, ma), _unmatched(b, j, mb)
    wa, wb = _terms(a, i), _terms(b, j)
    total = len(wa) + len(wb)
    share = 1.0 - (len(da) + len(db)) / total if total else 1.0
    # what matches, word by word: a word in a run the two share in order, or a content
    # word the other sentence has anywhere (reworded sentences reorder their words)
    shared = ({t for _s, t in wa} & {t for _s, t in wb}) - STOPWORDS
    return WordComparison((_matching(wa, da, shared), _matching(wb, db, shared)), (da, db), share)


def _terms(src: Source, i: int) -> list[tuple[tuple[int, int], str]]:
    s, e = src.sentences[i]
    return [(m.span(), term(m.group())) for m in WORD.finditer(src.text, s, e)]


def _matching(words: list[tuple[tuple[int, int], str]], differ: Spans, shared: set[str]) -> Spans:
    unmatched = set(differ)
    return [span for span, t in words if span not in unmatched or t in shared]


def word_spans(pairs: Sequence[WordComparison], mode: str) -> tuple[str, Spans, list[Spans]]:
    """What to mark for a sentence compared with its counterparts (``pairs``, one per
    counterpart): ``(kind, the sentence's spans, each counterpart's spans)``. ``kind``
    is ``matches``, ``differences`` or ``none``; in ``auto`` it is ``differences``
    when every pair is near-identical (:data:`NEAR_IDENTICAL`), else ``matches``. The
    sentence's spans are the union over its counterparts."""
    if mode == "auto":
        near = all(p.share >= NEAR_IDENTICAL for p in pairs)
        mode = "differences" if near else "matches"
    if mode == "none":
        return "none", [], [[] for _ in pairs]
    side = [p.match if mode == "matches" else p.differ for p in pairs]
    mine = sorted({span for s in side for span in s[0]})
    return mode, mine, [s[1] for s in side]


def _differing_numbers(
    a: Source, i: int, b: Source, j: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    na = [(k, s) for k, s in names_and_numbers(a.text, *a.sentences[i]) if k[:1].isdigit()]
    nb = [(k, s) for k, s in names_and_numbers(b.text, *b.sentences[j]) if k[:1].isdigit()]
    if not na or not nb:
        return [], []
    ka, kb = {k for k, _ in na}, {k for k, _ in nb}
    return [s for k, s in na if k not in kb], [s for k, s in nb if k not in ka]


def _unmatched(src: Source, i: int, matched: list[tuple[int, int]]) -> list[tuple[int, int]]:
    s, e = src.sentences[i]
    out = []
    k = 0
    for m in WORD.finditer(src.text, s, e):
        ws, we = m.span()
        while k < len(matched) and matched[k][1] <= ws:
            k += 1
        if k < len(matched) and matched[k][0] <= ws and we <= matched[k][1]:
            continue
        out.append((ws, we))
    return out


@dataclass(frozen=True)
class Hit:
    source: int
    sentence: int
    score: float
    #: where the query matched in the source's text (exact: every occurrence; fuzzy:
    #: the best-matching stretch), for highlighting
    spans: tuple[tuple[int, int], ...] = ()


def search(sources: Sequence[Source], query: str, cutoff: float = 80.0) -> list[Hit]:
    """Sentences of every source that contain ``query``, allowing small misspellings.

    Exact (case-insensitive) substrings always match; queries of four or more
    characters also match fuzzily (rapidfuzz ``partial_ratio`` >= ``cutoff``). Hits
    are in reading order: by source, then sentence.
    """
    from rapidfuzz import fuzz, process, utils

    q = query.strip()
    if not q:
        return []
    folded = q.casefold()
    hits: list[Hit] = []
    for si, src in enumerate(sources):
        texts = [src.text[s:e] for s, e in src.sentences]
        exact = {i for i, t in enumerate(texts) if folded in t.casefold()}
        scores: dict[int, float] = dict.fromkeys(exact, 100.0)
        if len(q) >= 4:
            for _text, score, i in process.extract(
                q,
                texts,
                scorer=fuzz.partial_ratio,
                processor=utils.default_process,
                score_cutoff=cutoff,
                limit=None,
            ):
                scores.setdefault(i, score)
        for i, sc in sorted(scores.items()):
            s, _e = src.sentences[i]
            hits.append(Hit(si, i, sc, _match_spans(q, texts[i], s, i in exact)))
    return hits


def _match_spans(query: str, text: str, offset: int, exact: bool) -> tuple[tuple[int, int], ...]:
    """Where ``query`` matched in ``text`` (a sentence starting at ``offset``)."""
    import re

    if exact:
        found = [m.span() for m in re.finditer(re.escape(query), text, re.IGNORECASE)]
        if found:
            return tuple((offset + a, offset + b) for a, b in found)
    from rapidfuzz import fuzz

    al = fuzz.partial_ratio_alignment(query.casefold(), text.casefold())
    if al is None or al.dest_end <= al.dest_start:
        return ()
    # the stretch, widened to whole words (a fuzzy match rarely ends on a word boundary)
    a, b = al.dest_start, al.dest_end
    while a > 0 and text[a - 1].isalnum():
        a -= 1
    while b < len(text) and text[b].isalnum():
        b += 1
    return ((offset + a, offset + b),)
