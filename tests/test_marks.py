"""Marks: creation with counterparts, editing, and re-anchoring against edited text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.alignment.pipeline import align
from reader.core.marks.marks import (
    COUNTERPART,
    EXACT,
    FUZZY,
    MOVED,
    ORPHANED,
    PRIMARY,
    Target,
    add_counterparts,
    counterpart_spans,
    create_mark,
    edit_mark,
    marks_in_source,
    orphaned_report,
    quote_target,
    reanchor,
    reanchor_marks,
    sentences_in,
)

A = (
    "Biden and Putin spoke for fifty minutes on Thursday night. "
    "The White House called the conversation serious and substantive. "
    "Analysts in Kyiv watched the talks closely."
)
B = (
    "The White House called the conversation serious and substantive. "
    "Biden and Putin spoke for fifty minutes on Thursday night. "
    "Markets barely moved."
)
C = (
    "Moscow said the presidents spoke for fifty minutes on Thursday night. "
    "The Kremlin described the conversation as frank."
)


@pytest.fixture(scope="module")
def al():
    from reader.core.text.load import documents_from_texts

    return align(documents_from_texts({"a.txt": A, "b.txt": B, "c.txt": C}))


def test_add_counterparts_to_a_mark_made_before_the_alignment(al):
    from dataclasses import replace

    from reader.core.alignment.model import Alignment

    bare = create_mark(Alignment(al.sources, []), 0, 1, counterparts=False, mark_id="m1")
    assert len(bare.targets) == 1
    full = add_counterparts(al, bare)
    expected = create_mark(al, 0, 1, mark_id="m1", now=bare.created)
    assert full.counterparts and full.targets == expected.targets
    assert (full.id, full.note, full.tag, full.created) == (
        bare.id,
        bare.note,
        bare.tag,
        bare.created,
    )
    lost = replace(bare, targets=(replace(bare.primary, status=ORPHANED),))
    assert add_counterparts(al, lost) is lost
    elsewhere = replace(bare, targets=(replace(bare.primary, source="gone.txt"),))
    assert add_counterparts(al, elsewhere) is elsewhere


def test_create_mark_captures_quote_and_counterparts(al):
    m = create_mark(al, 0, 1, now="2024-01-01T00:00:00Z", mark_id="m1")
    p = m.primary
    assert (m.id, m.source, m.created, m.modified) == (
        "m1",
        "a.txt",
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00Z",
    )
    assert p.role == PRIMARY and p.exact == A[p.start : p.end]
    assert p.exact.startswith("The White House") and A[: p.start].endswith(p.prefix)
    assert len(p.prefix) == 32 and A[p.end :].startswith(p.suffix)
    others = {t.source: t for t in m.targets[1:]}
    assert "b.txt" in others and others["b.txt"].role == COUNTERPART
    assert others["b.txt"].exact.startswith("The White House") and others["b.txt"].score > 0.5
    assert m.counterparts


def test_create_mark_without_counterparts_and_range(al):
    m = create_mark(al, 0, 0, 1, counterparts=False)
    assert len(m.targets) == 1 and not m.counterparts
    assert m.primary.exact.startswith("Biden") and m.primary.exact.endswith("substantive.")
    with pytest.raises(ValueError):
        create_mark(al, 0, 0, tag="purple")
    with pytest.raises(IndexError):
        create_mark(al, 0, 5)


def test_counterpart_spans_group_runs(al):
    s, e = al.sources[0].sentences[0]
    spans = counterpart_spans(al, 0, s, e)
    assert {sp.source for sp in spans} >= {1}
    for sp in spans:
        assert 0 < sp.score <= 1 and sp.start < sp.end


def test_sentences_in():
    from reader.core.text.load import documents_from_texts
    from reader.core.text.segment import segment

    src = segment(documents_from_texts({"a": A}))[0]
    s0, e0 = src.sentences[0]
    assert list(sentences_in(src, s0, e0)) == [0]
    assert list(sentences_in(src, s0, src.sentences[1][0] + 1)) == [0, 1]
    assert list(sentences_in(src, e0 + 1, e0 + 1)) == [1]


def test_edit_mark_updates_modified(al):
    m = create_mark(al, 0, 0, now="2024-01-01T00:00:00Z")
    m2 = edit_mark(m, note="check this", tag="green", now="2024-02-02T00:00:00Z")
    assert (m2.note, m2.tag, m2.created, m2.modified) == (
        "check this",
        "green",
        "2024-01-01T00:00:00Z",
        "2024-02-02T00:00:00Z",
    )
    assert m2.targets == m.targets


def test_marks_in_source(al):
    m = create_mark(al, 0, 1)
    hits = marks_in_source([m], "b.txt")
    assert len(hits) == 1 and hits[0][2] is m


# -- re-anchoring -------------------------------------------------------------------------
TEXT = (
    "Opening line of the article.\n\nThe minister resigned on Tuesday after weeks of "
    "pressure from his own party. Nobody expected it.\n"
)
QUOTE = "The minister resigned on Tuesday after weeks of pressure from his own party."


def _target() -> Target:
    i = TEXT.index(QUOTE)
    return quote_target(TEXT, "a.txt", i, i + len(QUOTE))


def test_unchanged_text_is_exact():
    t = reanchor(_target(), TEXT)
    assert t.status == EXACT and TEXT[t.start : t.end] == QUOTE


def test_insertion_before_moves_the_mark():
    edited = "A new first paragraph was added here.\n\n" + TEXT
    t = reanchor(_target(), edited)
    assert t.status == MOVED and edited[t.start : t.end] == QUOTE


def test_repeated_quote_prefers_matching_context_and_nearest():
    edited = TEXT + "\nRepeat: " + QUOTE + "\n"
    t = reanchor(_target(), edited)
    assert t.status == EXACT
    shifted = "xx" + edited
    t = reanchor(_target(), shifted)
    assert t.status == MOVED and t.start == TEXT.index(QUOTE) + 2


def test_typo_fixed_inside_is_found_fuzzily():
    typo_text = TEXT.replace("resigned", "resgined")
    i = typo_text.index("The minister")
    old = quote_target(typo_text, "a.txt", i, i + len(QUOTE))
    fixed = "Some words added up front. " + TEXT  # typo fixed and the text shifted
    t = reanchor(old, fixed)
    assert t.status == FUZZY and t.similarity >= 85
    assert fixed[t.start : t.end] == QUOTE
    assert t.exact == QUOTE  # the stored quote follows the current text


def test_words_inserted_inside_still_found():
    edited = TEXT.replace("after weeks", "after many long weeks")
    t = reanchor(_target(), edited)
    assert t.status == FUZZY
    assert edited[t.start : t.end].startswith("The minister")
    assert edited[t.start : t.end].endswith("party.")


def test_deleted_passage_is_orphaned_not_dropped():
    edited = TEXT.replace(QUOTE, "")
    old = _target()
    t = reanchor(old, edited)
    assert t.status == ORPHANED and t.orphaned
    assert (t.start, t.end, t.exact) == (old.start, old.end, old.exact)


def test_missing_source_orphans_and_mark_is_kept(al):
    m = create_mark(al, 0, 1)
    out = reanchor_marks([m], {"b.txt": B, "c.txt": C})
    assert len(out) == 1 and out[0].orphaned and out[0].id == m.id
    assert orphaned_report(out) and "a.txt" in orphaned_report(out)[0]
    back = reanchor_marks(out, al.sources)
    assert not back[0].orphaned


def test_short_quote_is_not_fuzzily_matched():
    text = "Yes. No. Maybe."
    t = quote_target(text, "a", 0, 4)
    assert reanchor(t, "Yea. No. Maybe.").status == ORPHANED


_words = st.lists(
    st.sampled_from(
        "the minister party vote report said on Tuesday after "
        "weeks of pressure from his own".split()
    ),
    min_size=0,
    max_size=30,
).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(before=_words, after=_words, inserted=_words)
def test_reanchor_finds_the_quote_after_insertions(before, after, inserted):
    quote = "Zürich: the minister resigned, 3 März, after weeks of pressure."
    text = f"{before} {quote} {after}"
    i = text.index(quote)
    t = quote_target(text, "a", i, i + len(quote))
    assert reanchor(t, text).status == EXACT
    edited = f"{inserted} {text}"
    found = reanchor(t, edited)
    assert edited[found.start : found.end] == quote and found.status in (EXACT, MOVED)


def test_offsets_past_a_shortened_text_do_not_crash():
    t = Target("a", 500, 500, "")
    assert reanchor(t, "short").status in (MOVED, ORPHANED)
    t = Target("a", 500, 520, "gone for good, really")
    assert reanchor(t, "short").status == ORPHANED
