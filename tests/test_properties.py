"""Property tests (hypothesis): segmentation offsets and alignment invariants.

Example counts are modest so that each property runs in a few seconds.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.core.alignment.pipeline import align
from reader.core.alignment.report import to_json
from reader.core.text.load import documents_from_texts
from reader.core.text.segment import split_sentences

FAST = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
ALIGN = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- texts ---------------------------------------------------------------------------------

WORDS = [
    "Biden",
    "Putin",
    "said",
    "the",
    "talks",
    "Mr.",
    "Mrs.",
    "Dr.",
    "U.S.",
    "Jan.",
    "Sir.",
    "9-10.",
    "January",
    "13.",
    "Januar",
    "1.",
    "J.",
    "Sr.",
    "É",
    "ação",
    "Ótimo",
    "NATO",
    "é",
    "über",
    "Ushakov",
    "no.",
    "etc.",
    "a.m.",
    "2014.",
    "x",
    "Ⅻ",
    "東京",
    "🙂",
]
PUNCT = [
    ".",
    "!",
    "?",
    "…",
    "...",
    ",",
    ";",
    ":",
    "“",
    "”",
    "‘",
    "’",
    '"',
    "'",
    "«",
    "»",
    "(",
    ")",
    "[",
    "]",
    "-",
    "–",
    "—",
    "•",
    "*",
    ". ",
    "? ",
    "! ",
    ".” ",
    ",” ",
]
SPACE = [
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\n",
    "\n\n",
    "\n \n",
    "\t",
    "\u00a0",
    "\ufeff",
    "\u200b",
    "\u2028",
    "\u3000",
    "\u2003",
    "\u202f",
    "\x85",
    "\x0b",
    "\x0c",
    "\x1c",
]

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(PUNCT),
    st.sampled_from(SPACE),
    st.text(max_size=4),  # anything else, unicode included
)
texts = st.lists(token, max_size=80).map("".join)
# texts without the rarer Unicode white space, for the rules about blank lines
plain_texts = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(PUNCT),
        st.sampled_from([" ", " ", "\n", "\n\n", "\n \n", "\t"]),
    ),
    max_size=80,
).map("".join)


@FAST
@given(texts)
def test_offsets_in_bounds_sorted_non_empty_non_overlapping(text):
    spans = split_sentences(text)
    prev = 0
    for s, e in spans:
        assert isinstance(s, int) and isinstance(e, int)
        assert prev <= s < e <= len(text)
        prev = e
    assert split_sentences(text) == spans  # deterministic


@FAST
@given(texts)
def test_no_text_is_lost(text):
    """Everything outside the sentences is white space (or an invisible BOM/ZWSP)."""
    covered = [False] * len(text)
    for s, e in split_sentences(text):
        for k in range(s, e):
            covered[k] = True
    lost = [
        ch for ch, c in zip(text, covered) if not c and not (ch.isspace() or ch in "\ufeff\u200b")
    ]
    assert lost == []


@FAST
@given(plain_texts)
def test_sentences_never_cross_a_blank_line(text):
    for s, e in split_sentences(text):
        assert re.search(r"\n[ \t]*\n", text[s:e]) is None, text[s:e]


@FAST
@given(texts)
@example("\u3000")
@example("\u3000Biden spoke with Putin.")
@example("Biden spoke with Putin.\u2003")
@example("Headline\n\x85The call lasted 50 minutes.")
@example("Le président a parlé\u202f!\u202fIl a dit non.\u202f")
def test_no_sentence_starts_or_ends_with_white_space(text):
    for s, e in split_sentences(text):
        piece = text[s:e]
        assert piece.strip() != "" and not piece[0].isspace() and not piece[-1].isspace(), repr(
            piece
        )


# -- multi-source inputs ----------------------------------------------------------------------

POOL = [
    "US President Joe Biden and Russian President Vladimir Putin talked for 50 minutes on Thursday.",
    "White House spokeswoman Jen Psaki said progress can only occur in a calm environment.",
    "Kremlin aide Yuri Ushakov said the call provided a good basis for future talks.",
    "Putin warned that sanctions could lead to a complete collapse of relations.",
    "Biden repeated his threat of unprecedented sanctions if Russia invades Ukraine.",
    "Talks between Russia and NATO are scheduled for January 12 in Brussels.",
    "Russia has massed tens of thousands of troops near the border with Ukraine.",
    "Moscow wants legal guarantees that NATO will not expand further east.",
    "Putin compared the tensions to the Cuban Missile Crisis of 1962.",
    "Leave a Comment",
    "Read also",
    "The meeting ended without an agreement.",
    "“This is not a new promise,” a US official told AFP.",
    "Biden and Putin also met in Geneva in June.",
]


@st.composite
def versions(draw, min_sources=2, max_sources=4):
    """A few versions of one story: sentences drawn from a shared pool, reordered,
    with words dropped, some sentences glued together and some written twice."""
    n = draw(st.integers(min_sources, max_sources))
    out = {}
    for k in range(n):
        picks = draw(st.lists(st.sampled_from(range(len(POOL))), min_size=0, max_size=8))
        sentences = []
        for p in picks:
            words = POOL[p].split()
            drop = draw(st.sets(st.integers(0, len(words) - 1), max_size=max(0, len(words) // 3)))
            kept = [w for i, w in enumerate(words) if i not in drop] or words[:1]
            sentences.append(" ".join(kept))
        seps = [draw(st.sampled_from([" ", "\n", "\n\n"])) for _ in sentences]
        text = "".join(s + sep for s, sep in zip(sentences, seps))
        out[f"s{k}.txt"] = text
    return out


def named_links(al):
    return {
        frozenset({(al.sources[l.a[0]].name, l.a[1]), (al.sources[l.b[0]].name, l.b[1])})
        for l in al.links
    }


def named_scores(al):
    return {
        frozenset({(al.sources[l.a[0]].name, l.a[1]), (al.sources[l.b[0]].name, l.b[1])}): l.score
        for l in al.links
    }


@ALIGN
@given(versions())
def test_links_are_valid(texts):
    al = align(documents_from_texts(texts))
    seen = set()
    for link in al.links:
        (sa, ia), (sb, ib) = link.a, link.b
        assert sa != sb and sa < sb
        assert 0 <= ia < len(al.sources[sa]) and 0 <= ib < len(al.sources[sb])
        assert 0.0 <= link.score <= 1.0
        assert (link.a, link.b) not in seen
        seen.add((link.a, link.b))
    for g in al.groups:
        assert len({s for s, _ in g}) >= 2
        for s, i in g:
            assert not al.is_unique(s, i)
    linked = {l.a for l in al.counterpart_links} | {l.b for l in al.counterpart_links}
    assert linked == {m for g in al.groups for m in g}
    json.dumps(to_json(al))  # serialisable


@ALIGN
@given(versions())
def test_alignment_is_deterministic(texts):
    first = align(documents_from_texts(texts))
    second = align(documents_from_texts(texts))
    assert [(l.a, l.b, l.score) for l in first.links] == [(l.a, l.b, l.score) for l in second.links]
    assert [s.sentences for s in first.sources] == [s.sentences for s in second.sources]


@ALIGN
@given(versions(), st.randoms(use_true_random=False))
def test_permutation_invariance(texts, rnd):
    names = list(texts)
    shuffled = names[:]
    rnd.shuffle(shuffled)
    base = align(documents_from_texts(texts))
    perm = align(documents_from_texts({n: texts[n] for n in shuffled}))
    assert named_links(perm) == named_links(base)
    assert named_scores(perm) == named_scores(base)


# -- permutation counterexamples found by the properties above, kept as fixed cases -----------

_TALK = "US President Joe Biden and Russian President Vladimir Putin talked for 50 minutes on Thursday. "
_PSAKI = "White House spokeswoman Jen Psaki said progress can only occur in a calm environment."


def _both_orders(texts):
    names = list(texts)
    base = align(documents_from_texts(texts))
    perm = align(documents_from_texts({n: texts[n] for n in reversed(names)}))
    return named_scores(base), named_scores(perm)


def test_permutation_invariance_with_repeated_sentences():
    base, perm = _both_orders({"a": _TALK * 2 + _PSAKI, "b": _TALK * 3 + _PSAKI})
    assert set(base) == set(perm)


def test_permutation_invariance_of_scores_at_the_edge_of_the_order_chain():
    a = (
        "Read also\nWhite House spokeswoman Jen Psaki said progress can only occur in a calm "
        "environment.\naide Yuri Ushakov said the call provided a good basis for future talks.\n"
        + _TALK.strip()
        + "\nPutin warned that sanctions could lead to a complete collapse of "
        "relations.\nBiden repeated his threat of unprecedented sanctions if Russia invades "
        "Ukraine.\nTalks between Russia and NATO are scheduled for January 12 in Brussels.\n"
        "Russia has massed tens of thousands of troops near the border with Ukraine.\n"
    )
    b = (
        _PSAKI + "\nKremlin aide Yuri Ushakov said the call provided a good basis for future "
        "talks.\n" + _TALK.strip() + "\nPutin warned that sanctions could lead to a complete "
        "collapse of relations.\n"
    )
    base, perm = _both_orders({"a": a, "b": b})
    assert base == perm
