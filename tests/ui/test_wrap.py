"""Word wrapping of the panes: the regex fast path gives the rows of the word loop."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.ui.panes.wrap import _wrap_words, wrap

WORD = st.text(alphabet="abcXYZ.,;'()-\u201c\u201d", min_size=1, max_size=14)
SPACE = st.sampled_from([" ", " ", "  ", "\u00a0", "   "])


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.tuples(WORD, SPACE), min_size=1, max_size=30),
    lead=st.sampled_from(["", " ", "  "]),
    before=st.sampled_from(["", "x ", "xx"]),
    after=st.sampled_from(["", " y", "y"]),
    width=st.integers(1, 40),
)
def test_wrap_matches_the_word_loop(words, lead, before, after, width):
    body = lead + "".join(w + s for w, s in words)
    text = before + body + after
    start, end = len(before), len(before) + len(body)
    rows = wrap(text, start, end, width)
    if end - start > width and body.strip():
        assert rows == _wrap_words(text, start, end, width, body.isascii())
    # every row fits, starts and ends on a word, and the rows cover every word in order
    words_seen = []
    for s, e in rows:
        assert e - s <= width or " " not in text[s:e]  # only a cut word may not fit
        words_seen.extend(text[s:e].split())
    assert "".join(words_seen) == "".join(body.split())


def test_long_words_are_cut_and_wide_characters_take_two_cells():
    text = "ab " + "x" * 12 + " cd"
    # the last piece of a cut word goes on with the words after it, as any word would
    assert wrap(text, 0, len(text), 5) == [(0, 2), (3, 8), (8, 13), (13, 18)]
    cjk = "日本語の テキスト です"
    rows = wrap(cjk, 0, len(cjk), 8)
    assert [cjk[s:e] for s, e in rows] == ["日本語の", "テキスト", "です"]


@settings(max_examples=150, deadline=None)
@given(
    sentences=st.lists(st.lists(WORD, min_size=1, max_size=12), min_size=1, max_size=12),
    breaks=st.lists(st.sampled_from([" ", "\n\n", " "]), min_size=12, max_size=12),
    width=st.integers(2, 30),
)
def test_layout_is_the_rows_of_each_sentence(sentences, breaks, width):
    from reader.core.text.segment import Source
    from reader.ui.literal import sanitise
    from reader.ui.panes.wrap import BLANK, layout

    text, spans = "", []
    for k, words in enumerate(sentences):
        start = len(text)
        text += " ".join(words)
        spans.append((start, len(text)))
        text += breaks[k]
    source = Source(name="a.txt", text=text, sentences=spans)
    lay = layout(source, sanitise(text), width)
    expected = []
    for s, e in spans:
        expected.extend(wrap(sanitise(text), s, e, width))
    assert [r for r in lay.rows if r != BLANK] == expected
    assert lay.first_row[-1] == len(lay.rows)
