"""Property tests (hypothesis): segmentation offsets and alignment invariants.

Example counts are modest so that each property runs in a few seconds.
"""

from __future__ import annotations

import json
import re

import pytest
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


# -- strictness levels and groups (issue 8's review) ------------------------------------------------


def counterparts_of(al):
    return {(l.a, l.b) for l in al.links if l.kind == "counterpart"}


def per_source_sizes(al):
    for g in al.groups:
        sizes: dict[int, int] = {}
        for s, _ in g:
            sizes[s] = sizes.get(s, 0) + 1
        yield g, sizes


@ALIGN
@given(versions(min_sources=3, max_sources=5))
def test_levels_nest_and_groups_stay_consistent(texts):
    al = align(documents_from_texts(texts))
    strict, normal, loose = (al.at(level) for level in ("strict", "normal", "loose"))
    assert counterparts_of(strict) <= counterparts_of(normal) <= counterparts_of(loose)
    for level in (strict, normal, loose):
        for link in level.links:
            assert 0.0 <= link.confidence <= 1.0
            assert link.kind in ("counterpart", "related")
        for g, sizes in per_source_sizes(level):
            for n in sizes.values():
                assert n <= (8 if level.parallel else 2), (level.strictness, g)


@ALIGN
@given(versions(min_sources=3, max_sources=5), st.randoms(use_true_random=False))
def test_permutation_keeps_kinds_confidences_and_makers(texts, rnd):
    names = list(texts)
    shuffled = names[:]
    rnd.shuffle(shuffled)
    base = align(documents_from_texts(texts))
    perm = align(documents_from_texts({n: texts[n] for n in shuffled}))

    def described(al, level):
        return {
            frozenset({(al.sources[l.a[0]].name, l.a[1]), (al.sources[l.b[0]].name, l.b[1])}): (
                l.kind,
                l.confidence,
                l.by,
            )
            for l in al.at(level).links
        }

    for level in ("strict", "normal", "loose"):
        assert described(perm, level) == described(base, level), level


@st.composite
def pools(draw):
    """Random pools of links between up to five sources of up to six sentences, with
    random confidences (ties included) and some pairs of sources running in parallel."""
    from reader.core.alignment.links import Link

    n = draw(st.integers(2, 5))
    pairs = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, 3),
                st.integers(0, n - 1),
                st.integers(0, 3),
                st.sampled_from([0.2, 0.36, 0.4, 0.5, 0.55, 0.6, 0.79, 0.8, 0.9, 0.97, 1.0]),
            ),
            max_size=40,
        )
    )
    links = {}
    for sa, i, sb, j, c in pairs:
        if sa == sb:
            continue
        a, b = ((sa, i), (sb, j)) if sa < sb else ((sb, j), (sa, i))
        links[(a, b)] = Link(a, b, c, c)
    parallel = draw(st.sets(st.sampled_from([(0, 1), (1, 2), (0, 2)]), max_size=2))
    return n, list(links.values()), frozenset(parallel)


@settings(
    max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(pools())
def test_classify_nests_levels_and_keeps_groups_consistent(case):
    from reader.core.alignment.links import COUNTERPART, classify, decision_order

    n, links, parallel = case
    pool = sorted(links, key=lambda x: (x.a, x.b))
    order = decision_order(pool, [f"s{k}" for k in range(n)])
    bars = {"strict": 0.8, "normal": 0.5, "loose": 0.35}

    def kinds(bar):
        out = classify(
            pool,
            order,
            bar,
            parallel,
            lambda w: w,
            confident=min(bars.values()),
            stricter=list(bars.values()),
        )
        return {(x.a, x.b) for x in out if x.kind == COUNTERPART}, out

    (strict, _), (normal, _), (loose, _) = (kinds(bars[k]) for k in bars)
    assert strict <= normal <= loose
    # groups: at most two sentences of a source, four where parallel links join them
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in loose:
        parent[find(a)] = find(b)
    members: dict = {}
    for x in list(parent):
        members.setdefault(find(x), []).append(x)
    for g in members.values():
        for s in {s for s, _ in g}:
            count = sum(1 for t, _ in g if t == s)
            assert count <= (8 if parallel else 2), g


# counterexamples a random search found for the old rules: a split vouched for only at a
# looser level's bar; a pair implied at a stricter level that a looser one dropped
_NEST_CASES = [
    [((0, 0), (1, 0), 0.95), ((0, 0), (3, 0), 0.6), ((0, 1), (3, 0), 0.9), ((0, 2), (2, 2), 0.95),
     ((0, 2), (3, 0), 0.4), ((1, 0), (3, 0), 0.4), ((1, 0), (3, 2), 0.4), ((1, 0), (3, 3), 0.6),
     ((1, 1), (3, 0), 0.55), ((2, 1), (3, 2), 0.6), ((2, 1), (3, 3), 0.55), ((2, 2), (3, 2), 0.6)],
    [((0, 2), (1, 1), 0.95), ((0, 2), (3, 1), 0.9), ((0, 3), (1, 0), 0.9), ((0, 3), (2, 0), 0.4),
     ((0, 3), (3, 2), 0.9), ((1, 0), (2, 1), 0.85), ((1, 0), (2, 2), 0.36), ((2, 2), (3, 1), 0.55),
     ((2, 3), (3, 2), 0.4)],
]  # fmt: skip


@pytest.mark.parametrize("case", _NEST_CASES)
def test_classify_nests_levels_on_found_counterexamples(case):
    from reader.core.alignment.links import Link

    pool = [Link(a, b, c, c) for a, b, c in case]
    n = 1 + max(max(a[0], b[0]) for a, b, _ in case)
    test_classify_nests_levels_and_keeps_groups_consistent.hypothesis.inner_test(
        (n, pool, frozenset())
    )
