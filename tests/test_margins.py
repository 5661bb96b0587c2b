"""The margins and best pairs of reader/core/alignment/pairs.py come from reductions per
sentence, not a sort: they must pick exactly what a stable sort by (sentence, score
descending, other sentence) picks, ties, zeros of either sign and infinities included; the
candidates' sort is numpy's stable sort, ties included."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.alignment import pairs
from reader.core.alignment.pairs import _best_per, _margin

VALUES = st.sampled_from([0.0, -0.0, 0.25, 0.5, -0.3, 1.0, 0.7, np.inf, -np.inf])


def sorted_margin(group, other, vals, g, o, f):
    """The reference: one lexsort, the first and second entry of each group."""
    if len(g) == 0:
        return np.zeros(0)
    n = int(max(group.max(), g.max())) + 1
    order = np.lexsort((other, -vals, group))
    gs, os_, vs = group[order], other[order], vals[order]
    first = np.r_[True, gs[1:] != gs[:-1]]
    best_v, best_o, second_v = np.full(n, -1.0), np.full(n, -1), np.zeros(n)
    best_v[gs[first]], best_o[gs[first]] = vs[first], os_[first]
    second = np.r_[False, first[:-1] & ~first[1:]]
    second_v[gs[second]] = vs[second]
    return f - np.where(best_o[g] == o, second_v[g], np.maximum(best_v[g], 0.0))


def sorted_best(group, other, score):
    order = np.lexsort((other, -score, group))
    g = group[order]
    return order[np.r_[True, g[1:] != g[:-1]]]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), VALUES), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=12),
)
def test_reductions_pick_what_the_sort_picks(entries, queries):
    saved = pairs._SORT_BELOW
    for below in (0, saved):  # by reductions, then (small input) by the sort
        pairs._SORT_BELOW = below
        try:
            check(entries, queries)
        finally:
            pairs._SORT_BELOW = saved


def check(entries, queries):
    group = np.array([e[0] for e in entries], dtype=np.int64)
    other = np.array([e[1] for e in entries], dtype=np.int64)
    vals = np.array([e[2] for e in entries])
    g = np.array([q[0] for q in queries], dtype=np.int64)
    o = np.array([q[1] for q in queries], dtype=np.int64)
    f = np.linspace(0.0, 1.0, len(queries))
    got = _margin(group, other, vals, g, o, f)
    assert got.tobytes() == sorted_margin(group, other, vals, g, o, f).tobytes()
    assert np.array_equal(_best_per(group, other, vals), sorted_best(group, other, vals))


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES.filter(lambda v: np.isfinite(v)) | st.integers(-3, 3), max_size=60))
def test_the_candidates_sort_is_numpys_stable_sort(values):
    from reader.core.alignment.candidates import stable_argsort

    key = np.array(values, dtype=np.float64)
    assert np.array_equal(stable_argsort(key), np.argsort(key, kind="stable"))


def test_the_candidates_sort_on_many_ties():
    from reader.core.alignment.candidates import stable_argsort

    rng = np.random.default_rng(7)
    for n in (0, 1, 17, 5000, 200_000):  # numpy's default sort changes method with size
        key = rng.integers(0, 50, n) * 2.0 - rng.integers(0, 8, n) / 8
        assert np.array_equal(stable_argsort(key), np.argsort(key, kind="stable"))
