"""The reader's corrections in the alignment: a user link is a counterpart with
confidence 1 at every strictness, an unlinked pair never comes back (from the aligner
or as a pair a group implies), and applying corrections incrementally answers every
question exactly as classifying the whole pool with them does."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.alignment.corrections import (
    LINK,
    UNLINK,
    Corrections,
    SameSource,
    corrected_links,
    pair,
)
from reader.core.alignment.links import BY_GROUP, BY_USER, COUNTERPART, STRICTNESS, Link, classify
from reader.core.alignment.model import Alignment
from reader.core.alignment.reclassify import recorrect


def answers(al: Alignment) -> dict:
    """Everything the reading view asks of an alignment."""
    out: dict = {}
    n = len(al.sources)
    for s, src in enumerate(al.sources):
        out[("unique", s)] = al.unique_count(s)
        for i in range(len(src)):
            out[("cp", s, i)] = al.counterparts(s, i)
            out[("rel", s, i)] = al.related(s, i)
            out[("support", s, i)] = al.support(s, i)
            for t in range(n):
                if t != s:
                    out[("locate", s, i, t)] = al.locate(s, i, t)
    return out


def full(al: Alignment, level: str, corrections: Corrections) -> Alignment:
    assert al.pool is not None
    return Alignment.classified(al.sources, al.pool, al.boilerplate, level, corrections=corrections)


def random_corrections(al: Alignment, rng: random.Random, k: int) -> Corrections:
    decisions = []
    links = al.links
    for _ in range(k):
        if links and rng.random() < 0.5:
            x = rng.choice(links)
            decisions.append(((x.a, x.b), UNLINK))
        else:
            s, t = rng.sample(range(len(al.sources)), 2)
            a = (s, rng.randrange(len(al.sources[s])))
            b = (t, rng.randrange(len(al.sources[t])))
            decisions.append((pair(a, b), LINK))
    return Corrections.of(decisions)


# -- the rules -----------------------------------------------------------------------------
def test_pair_orders_and_refuses_one_source():
    assert pair((2, 5), (0, 1)) == ((0, 1), (2, 5))
    with pytest.raises(SameSource):
        pair((1, 2), (1, 3))


def test_corrections_keep_the_last_decision_per_pair():
    c = Corrections.of([(((0, 1), (1, 1)), LINK), (((1, 1), (0, 1)), UNLINK)])
    assert c.unlinked == {((0, 1), (1, 1))} and not c.linked
    assert len(c) == 1 and c


def test_corrected_links_replace_drop_and_order_user_links_last():
    pool = [
        Link((0, 0), (1, 0), 0.9, 0.9),
        Link((0, 1), (1, 1), 0.8, 0.8),
        Link((0, 2), (1, 2), 0.3, 0.3),
    ]
    c = Corrections(frozenset({((0, 2), (1, 2)), ((0, 3), (1, 3))}), frozenset({((0, 0), (1, 0))}))
    links, order = corrected_links(pool, [0, 1, 2], c)
    assert [(x.a, x.b) for x in links] == [((0, 1), (1, 1)), ((0, 2), (1, 2)), ((0, 3), (1, 3))]
    user = [links[k] for k in order[1:]]
    assert all(x.by == BY_USER and x.confidence == 1.0 for x in user)
    assert links[1].score == 0.3  # the aligner's score kept
    assert links[order[0]].a == (0, 1)


def test_a_user_link_joins_what_the_consistency_rule_refuses():
    """A–B and C–B'' (a distant sentence of B's source) are linked; the aligner's A–C
    would put both of B's sentences in one group and is refused; the reader's A–C joins
    them: the group holds the two sentences of that source, counted once, and the
    reader's link takes nothing away."""
    links = [Link((0, 0), (1, 0), 0.9, 0.9), Link((1, 9), (2, 0), 0.9, 0.9)]
    machine = Link((0, 0), (2, 0), 0.5, 0.8)
    out = classify([*links, machine], [0, 1, 2], 0.5)
    assert out[2].kind != COUNTERPART
    user = Link((0, 0), (2, 0), 0.5, 1.0, COUNTERPART, BY_USER)
    out = classify([*links, user], [2, 0, 1], 0.5)  # decided last, wherever it is
    assert [x.kind for x in out] == [COUNTERPART] * 3
    al = Alignment([None, None, None], out)  # type: ignore[list-item]
    (group,) = al.groups
    assert {(1, 0), (1, 9)} <= set(group) and len({s for s, _ in group}) == 3


def test_unlinked_sentences_are_kept_apart_and_never_implied():
    """A–B and B–C link, so the group implies A–C; the reader unlinks A–C: the weaker of
    the two links no longer joins them, and no A–C pair comes back."""
    pool = [Link((0, 0), (1, 0), 0.9, 0.9), Link((1, 0), (2, 0), 0.8, 0.8)]
    out = classify(pool, [0, 1], 0.5, implied=lambda w: w)
    assert any(x.by == BY_GROUP and (x.a, x.b) == ((0, 0), (2, 0)) for x in out)
    out = classify(pool, [0, 1], 0.5, implied=lambda w: w, apart=frozenset({((0, 0), (2, 0))}))
    kinds = {(x.a, x.b): x.kind for x in out}
    assert kinds == {((0, 0), (1, 0)): COUNTERPART, ((1, 0), (2, 0)): "related"}


# -- on a real alignment ---------------------------------------------------------------------
def test_user_link_and_unlink_in_the_alignment(sample_alignment):
    al = sample_alignment
    x = al.counterpart_links[0]
    gone = (x.a, x.b)
    s, t = 0, 1
    i = next(i for i in range(len(al.sources[s])) if not al.counterparts(s, i))
    j = next(j for j in range(len(al.sources[t])) if not al.counterparts(t, j))
    added = ((s, i), (t, j))
    c = Corrections(frozenset({added}), frozenset({gone}))
    for level in STRICTNESS:
        fixed = full(al, level, c)
        assert fixed.corrections == c
        link = next(y for y in fixed.links if (y.a, y.b) == added)
        assert (link.kind, link.confidence, link.by) == (COUNTERPART, 1.0, BY_USER)
        assert not any((y.a, y.b) == gone for y in fixed.links)
        assert fixed.support(s, i) >= 2 and not fixed.is_unique(t, j)
        assert fixed.best_counterpart(s, i, t).sentence == j
        # other strictness levels keep the corrections
        for other in STRICTNESS:
            assert fixed.at(other).corrections == c


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 8), level=st.sampled_from(STRICTNESS))
def test_incremental_corrections_answer_as_the_full_classification(
    sample_alignment, seed, k, level
):
    """Property: whatever the corrections, applied one change after another, the patched
    alignment answers every question as classifying the whole pool does, its links are
    the same, and a removed link never reappears at any strictness."""
    rng = random.Random(seed)
    base = sample_alignment.at(level)
    base.build_indexes()
    now = base
    for step in range(2):
        c = random_corrections(base, rng, k)
        patch = recorrect(now, c)
        now = patch.alignment
        expected = full(base, level, c)
        assert answers(now) == answers(expected), f"step {step}"
        key = sorted((x.a, x.b, x.kind, x.by, x.confidence) for x in expected.links)
        assert sorted((x.a, x.b, x.kind, x.by, x.confidence) for x in now.links) == key
        for gone in c.unlinked:
            for lv in STRICTNESS:
                other = expected.at(lv)
                assert all((x.a, x.b) != gone for x in other.links)
                assert all(
                    (cp.source, cp.sentence) != gone[1] for cp in other.counterparts(*gone[0])
                )
                # no link of the aligner's puts them in one group; only the reader's
                # own links can (a link the reader made joins whatever it touches)
                for g in other.groups:
                    if gone[0] in g and gone[1] in g:
                        members = set(g)
                        assert any(p[0] in members for p in c.linked), (gone, g)
        for added in c.linked:
            cp = now.best_counterpart(added[0][0], added[0][1], added[1][0])
            assert cp is not None and cp.score == 1.0


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 8), level=st.sampled_from(STRICTNESS))
def test_corrections_in_a_row_unread_answer_as_the_full_classification(
    sample_alignment, seed, k, level
):
    """Property: changes applied one after another with nothing asked in between (the
    anchors a change touched are built on first use, from the changes of every step)
    answer as classifying the whole pool does."""
    rng = random.Random(seed)
    base = sample_alignment.at(level)
    base.build_indexes()
    now = base
    for _ in range(3):
        c = random_corrections(base, rng, k)
        now = recorrect(now, c).alignment
    assert answers(now) == answers(full(base, level, c))


def test_patch_reports_touched_sentences_and_counts(sample_alignment):
    al = sample_alignment
    al.build_indexes()
    x = al.counterpart_links[0]
    patch = recorrect(al, Corrections(unlinked=frozenset({(x.a, x.b)})))
    assert x.a[1] in patch.touched[x.a[0]] and x.b[1] in patch.touched[x.b[0]]
    before = len(al.counterpart_links)
    after = len(patch.alignment.counterpart_links)
    assert after - before == patch.counterparts
    assert recorrect(patch.alignment, al.corrections).alignment.counterparts(*x.a) == (
        al.counterparts(*x.a)
    )
