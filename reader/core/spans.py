"""Sub-sentence matches: which words of two linked sentences match, and which
passages of several words appear verbatim in several sources."""

from __future__ import annotations

from rapidfuzz.distance import Indel

from reader.core.model import Alignment, Link, Passage, Source
from reader.core.tokens import WORD, fold, term

#: Shortest run of words reported as a verbatim shared passage.
MIN_PASSAGE_WORDS = 6


def _words(src: Source, i: int) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    s, e = src.sentences[i]
    spans, terms, folded = [], [], []
    for m in WORD.finditer(src.text, s, e):
        spans.append(m.span())
        w = m.group(0)
        terms.append(term(w))
        folded.append(fold(w))
    return spans, terms, folded


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join adjacent word spans separated only by spaces or punctuation."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and not any(ch.isalnum() for ch in text[out[-1][1]:s]) and s - out[-1][1] <= 3:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def word_matches(a: Source, i: int, b: Source, j: int
                 ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans of the words that match (in order) in sentence i of a and j of b."""
    sa, ta, _ = _words(a, i)
    sb, tb, _ = _words(b, j)
    out_a, out_b = [], []
    for op in Indel.opcodes(ta, tb):
        if op.tag == "equal":
            out_a.extend(sa[op.src_start:op.src_end])
            out_b.extend(sb[op.dest_start:op.dest_end])
    return _merge(out_a, a.text), _merge(out_b, b.text)


def matched_spans(al: Alignment, link: Link) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    (sa, ia), (sb, ib) = link.a, link.b
    return word_matches(al.sources[sa], ia, al.sources[sb], ib)


def all_matches(al: Alignment, min_words: int = MIN_PASSAGE_WORDS
                ) -> tuple[list[tuple[list[tuple[int, int]], list[tuple[int, int]]]], list[Passage]]:
    """For every link its matched word spans (as :func:`matched_spans`), and the runs of
    at least ``min_words`` words (case and accents folded) shared verbatim by linked
    sentences, grouped across all the sources they appear in. One pass, each
    sentence tokenised once."""
    cache: dict[tuple[int, int], tuple] = {}

    def words(s: int, i: int) -> tuple:
        w = cache.get((s, i))
        if w is None:
            w = cache[(s, i)] = _words(al.sources[s], i)
        return w

    found: dict[tuple[str, ...], set[tuple[int, int, int]]] = {}
    per_link = []
    for link in al.links:
        (sa, ia), (sb, ib) = link.a, link.b
        spa, ta, fa = words(sa, ia)
        spb, tb, fb = words(sb, ib)
        out_a, out_b = [], []
        for op in Indel.opcodes(ta, tb):
            if op.tag == "equal":
                out_a.extend(spa[op.src_start:op.src_end])
                out_b.extend(spb[op.dest_start:op.dest_end])
        per_link.append((_merge(out_a, al.sources[sa].text), _merge(out_b, al.sources[sb].text)))
        if len(fa) < min_words or len(fb) < min_words:
            continue
        for op in Indel.opcodes(fa, fb):
            if op.tag != "equal" or op.src_end - op.src_start < min_words:
                continue
            key = tuple(fa[op.src_start:op.src_end])
            occ = found.setdefault(key, set())
            occ.add((sa, spa[op.src_start][0], spa[op.src_end - 1][1]))
            occ.add((sb, spb[op.dest_start][0], spb[op.dest_end - 1][1]))
    passages = [Passage(words=len(k), occurrences=tuple(sorted(v))) for k, v in found.items()]
    passages.sort(key=lambda p: (-len({o[0] for o in p.occurrences}), -p.words, p.occurrences))
    return per_link, passages


def shared_passages(al: Alignment, min_words: int = MIN_PASSAGE_WORDS) -> list[Passage]:
    """Runs of at least ``min_words`` words shared verbatim (see :func:`all_matches`)."""
    return all_matches(al, min_words)[1]
