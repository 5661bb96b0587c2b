"""Sub-sentence matches: which words of two linked sentences match, and which
passages of several words appear verbatim in several sources.

Two sentences in different languages (both sources' ``lang`` known and different)
share no words worth marking but their names and numbers: for them the matched words
are those (:func:`reader.core.tokens.names_and_numbers`), never a word-by-word diff."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, cast

from reader.core.alignment.model import Alignment, Passage
from reader.core.text.segment import Source
from reader.core.text.tokens import WORD, fold, names_and_numbers, term


def across_languages(a: Source, b: Source) -> bool:
    """Whether the two sources are in different (known) languages."""
    return bool(a.lang and b.lang and a.lang != b.lang)


def shared_names_and_numbers(
    a: Source, i: int, b: Source, j: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the names and numbers sentence i of a and j of b share."""
    na = names_and_numbers(a.text, *a.sentences[i])
    nb = names_and_numbers(b.text, *b.sentences[j])
    shared = {k for k, _ in na} & {k for k, _ in nb}
    return [s for k, s in na if k in shared], [s for k, s in nb if k in shared]


#: Shortest run of words reported as a verbatim shared passage.
MIN_PASSAGE_WORDS = 6


def _words(src: Source, i: int) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    """Spans, matching terms and folded forms of the words of sentence i."""
    s, e = src.sentences[i]
    found = list(WORD.finditer(src.text, s, e))
    words = [m.group() for m in found]
    return [m.span() for m in found], list(map(term, words)), list(map(fold, words))


@cache
def _opcodes() -> Callable[[list[str], list[str]], Any]:
    """rapidfuzz's Indel opcodes, imported on first use (the reading view's first frame
    needs none) and once: an import statement per pair of sentences costs too."""
    from rapidfuzz.distance import Indel

    return Indel.opcodes


def _equal_runs(
    seq_a: list[str], seq_b: list[str], min_words: int
) -> list[tuple[int, int, int, int]]:
    """Word index ranges ``(a0, a1, b0, b1)`` of the runs of at least ``min_words`` words
    that match in order."""
    ops = cast(list[tuple[str, int, int, int, int]], _opcodes()(seq_a, seq_b).as_list())
    return [
        (a0, a1, b0, b1) for tag, a0, a1, b0, b1 in ops if tag == "equal" and a1 - a0 >= min_words
    ]


def _blocks(
    spans_a: list[tuple[int, int]],
    spans_b: list[tuple[int, int]],
    seq_a: list[str],
    seq_b: list[str],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the runs of words that match in order. Consecutive words of a
    sentence are separated only by non-word characters, so each run is one span."""
    out_a, out_b = [], []
    for a0, a1, b0, b1 in _equal_runs(seq_a, seq_b, 1):
        out_a.append((spans_a[a0][0], spans_a[a1 - 1][1]))
        out_b.append((spans_b[b0][0], spans_b[b1 - 1][1]))
    return out_a, out_b


def word_matches(
    a: Source, i: int, b: Source, j: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the words that match (in order) in sentence i of a and j of b;
    across languages, of the names and numbers they share."""
    if across_languages(a, b):
        return shared_names_and_numbers(a, i, b, j)
    sa, ta, _ = _words(a, i)
    sb, tb, _ = _words(b, j)
    return _blocks(sa, sb, ta, tb)


#: what :func:`all_matches` can make of each link's matched words instead of keeping
#: them: ``render(k, spans_a, spans_b)`` for link k (in the worker that found them)
Render = Callable[[int, list[tuple[int, int]], list[tuple[int, int]]], Any]


def all_matches(
    al: Alignment,
    min_words: int = MIN_PASSAGE_WORDS,
    spans: bool = True,
    render: Render | None = None,
) -> tuple[list[Any], list[Passage]]:
    """For every link its matched word spans (as :func:`word_matches`; an empty list
    without ``spans``; with ``render``, what it makes of them), and the runs of at least
    ``min_words`` words (case and accents folded) shared verbatim by linked sentences,
    grouped across all the sources they appear in. Blocks of links are split over the
    cores where that is safe (:mod:`reader.core.alignment.parallel`); each sentence is
    tokenised once a block."""
    from reader.core.alignment import collection

    with collection.paused():
        return _all_matches(al, min_words, spans, render)


def _all_matches(
    al: Alignment, min_words: int, spans: bool, render: Render | None
) -> tuple[list[Any], list[Passage]]:
    from reader.core.alignment import parallel

    links = [(link.a, link.b) for link in al.links]
    n_workers = parallel.workers(sum(len(s) for s in al.sources))
    blocks = _blocks_by_position(al, links, 8 * n_workers if n_workers > 1 else 1)
    per_link: list = [None] * len(links) if spans else []
    found: dict[tuple[str, ...], set[tuple[int, int, int]]] = {}
    shared = (al.sources, links, min_words, spans, render)
    for block, (block_spans, block_found) in zip(
        blocks, parallel.run(_block_matches, blocks, shared, n_workers)
    ):
        for k, sp in zip(block, block_spans):
            per_link[k] = sp
        for key, occ in block_found.items():
            found.setdefault(key, set()).update(occ)
    passages = [Passage(words=len(k), occurrences=tuple(sorted(v))) for k, v in found.items()]
    # a total order (two passages never have the same occurrences): the same list
    # whatever the blocks were
    passages.sort(key=lambda p: (-len({o[0] for o in p.occurrences}), -p.words, p.occurrences))
    return per_link, passages


#: fewest links in one block of :func:`all_matches` (when split over several processes)
_BLOCK_LINKS = 2000


def _blocks_by_position(
    al: Alignment, links: list[tuple[tuple[int, int], tuple[int, int]]], n_blocks: int
) -> list[list[int]]:
    """Link indexes in ``n_blocks`` blocks by where the first sentence sits in its
    source (the same stretch of every source in one block), so that a sentence is
    tokenised in as few blocks as can be: in texts that run in parallel its links all
    fall in one block, and the others are short."""
    n_blocks = max(1, min(n_blocks, len(links) // _BLOCK_LINKS))
    if n_blocks == 1:
        return [list(range(len(links)))]
    sizes = [max(1, len(src)) for src in al.sources]
    out: list[list[int]] = [[] for _ in range(n_blocks)]
    for k, ((s, i), _) in enumerate(links):
        out[i * n_blocks // sizes[s]].append(k)
    return [block for block in out if block]


def _block_matches(
    shared: tuple[
        list[Source], list[tuple[tuple[int, int], tuple[int, int]]], int, bool, Render | None
    ],
    block: list[int],
) -> tuple[list[Any], dict[tuple[str, ...], set[tuple[int, int, int]]]]:
    """Spans (or what ``render`` makes of them) and verbatim runs of one block of links,
    given by their indexes (see :func:`all_matches`)."""
    sources, links, min_words, spans, render = shared
    cache: dict[tuple[int, int], tuple] = {}

    def words(s: int, i: int) -> tuple:
        w = cache.get((s, i))
        if w is None:
            w = cache[(s, i)] = _words(sources[s], i)
        return w

    found: dict[tuple[str, ...], set[tuple[int, int, int]]] = {}
    per_link: list[Any] = []
    for k in block:
        (sa, ia), (sb, ib) = links[k]
        spa, ta, fa = words(sa, ia)
        spb, tb, fb = words(sb, ib)
        if spans:
            if across_languages(sources[sa], sources[sb]):
                matched = shared_names_and_numbers(sources[sa], ia, sources[sb], ib)
            else:
                matched = _blocks(spa, spb, ta, tb)
            per_link.append(matched if render is None else render(k, *matched))
        if len(fa) < min_words or len(fb) < min_words:
            continue
        for a0, a1, b0, b1 in _equal_runs(fa, fb, min_words):
            occ = found.setdefault(tuple(fa[a0:a1]), set())
            occ.add((sa, spa[a0][0], spa[a1 - 1][1]))
            occ.add((sb, spb[b0][0], spb[b1 - 1][1]))
    return per_link, found


def shared_passages(al: Alignment, min_words: int = MIN_PASSAGE_WORDS) -> list[Passage]:
    """Runs of at least ``min_words`` words shared verbatim (see :func:`all_matches`)."""
    return all_matches(al, min_words, spans=False)[1]
