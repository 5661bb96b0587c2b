"""Exports: golden files for each format, escaping of hostile text, overwrite rules."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.alignment.model import Alignment, Link
from reader.core.alignment.pipeline import align
from reader.core.export.csv_table import csv_cell
from reader.core.export.passages import collect_marks, collect_matches
from reader.core.export.render import FORMATS, ExportError, render, write_export
from reader.core.marks.marks import create_mark, quote_target, reanchor_marks
from reader.core.text.load import documents_from_texts
from reader.core.text.segment import Source

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# Hostile and non-ASCII text: HTML, a spreadsheet formula, Rich/Textual markup, accents.
TEXTS = {
    "<b>wire</b>.txt": (
        "Zürich, 3 März. The minister <script>alert('x')</script> resigned on Tuesday after "
        "weeks of pressure from his own party.\n\n"
        '=HYPERLINK("http://evil.example","click") was posted by an anonymous account '
        "within minutes of the announcement.\n\n"
        "Nobody in the [bold]government[/bold] commented on the decision.\n"
    ),
    "outlet [red].txt": (
        "Zürich. The minister <script>alert('x')</script> resigned on Tuesday after weeks "
        "of pressure from his own party, officials said.\n\n"
        "Nobody in the [bold]government[/bold] commented on the decision on Tuesday.\n\n"
        "-1 is what the markets did, café owners said.\n"
    ),
    "ünïcödé.txt": (
        "Der Minister ist am Dienstag zurückgetreten — nach Wochen des Drucks.\n\n"
        '@everyone =HYPERLINK("http://evil.example","click") was posted by an anonymous '
        "account within minutes of the announcement.\n"
    ),
}


SENTENCES = {
    "<b>wire</b>.txt": ["Zürich, 3 März.", "The minister <script>", "=HYPERLINK(", "Nobody in"],
    "outlet [red].txt": ["Zürich.", "The minister <script>", "Nobody in", "-1 is what"],
    "ünïcödé.txt": ["Der Minister", "@everyone"],
}
# Links given explicitly, so the golden files do not move when the aligner is retuned.
LINKS = [
    Link((0, 1), (1, 1), 0.93, 0.93),
    Link((0, 3), (1, 2), 0.88, 0.88),
    Link((0, 2), (2, 1), 0.9769, 0.9769),
]


def _source(name: str, text: str) -> Source:
    starts = [text.index(head) for head in SENTENCES[name]]
    ends = [text[:nxt].rstrip().__len__() for nxt in starts[1:]] + [len(text.rstrip())]
    return Source(name=name, text=text, sentences=list(zip(starts, ends)))


@pytest.fixture(scope="module")
def al():
    return Alignment([_source(n, t) for n, t in TEXTS.items()], list(LINKS))


def test_fixture_alignment_agrees_with_the_aligner(al):
    """The hand-made alignment is what the aligner finds (counterparts; scores may differ)."""
    real = align(documents_from_texts(TEXTS))
    assert [s.sentences for s in real.sources] == [s.sentences for s in al.sources]
    assert sorted((lk.a, lk.b) for lk in real.counterpart_links) == sorted(
        (lk.a, lk.b) for lk in LINKS
    )


@pytest.fixture(scope="module")
def marks(al):
    m1 = create_mark(
        al,
        0,
        1,
        note="Check <this> =1+1 & [b]that[/b]",
        tag="pink",
        now="2024-05-01T12:00:00Z",
        mark_id="00000000-0000-4000-8000-000000000001",
    )
    m2 = create_mark(
        al,
        0,
        2,
        3,
        note="",
        tag="blue",
        counterparts=False,
        now="2024-05-01T12:05:00Z",
        mark_id="00000000-0000-4000-8000-000000000002",
    )
    m4 = create_mark(
        al,
        1,
        3,
        note="+ check with the café",
        tag="green",
        now="2024-05-01T12:15:00Z",
        mark_id="00000000-0000-4000-8000-000000000004",
    )
    # A mark whose passage is gone from the current text: exported as orphaned.
    gone = quote_target(
        "Old text. A sentence that was later deleted from the file.", "ünïcödé.txt", 10, 58
    )
    m3 = replace(
        create_mark(
            al,
            2,
            0,
            now="2024-05-01T12:10:00Z",
            mark_id="00000000-0000-4000-8000-000000000003",
            counterparts=False,
        ),
        targets=(gone,),
    )
    return reanchor_marks([m1, m2, m3, m4], al.sources)


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; check it in")
    with open(path, encoding="utf-8", newline="") as fh:
        expected = fh.read()
    assert text == expected, f"{name} differs; rerun with UPDATE_GOLDEN=1 and review the diff"


@pytest.mark.parametrize("fmt", FORMATS)
def test_marks_golden(al, marks, fmt):
    _check_golden(f"marks.{fmt}", render(collect_marks(al, marks), fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_matches_golden(al, fmt):
    _check_golden(f"matches.{fmt}", render(collect_matches(al), fmt))


def test_marks_export_content(al, marks):
    data = collect_marks(al, marks)
    assert [p.occurrence.status for p in data.passages] == ["exact", "exact", "orphaned", "exact"]
    p = data.passages[0]
    assert p.occurrence.source == "<b>wire</b>.txt" and p.tag == "pink"
    src = TEXTS[p.occurrence.source]
    assert src[p.occurrence.start : p.occurrence.end] == p.occurrence.text
    assert p.counterparts, "the first sentence has a counterpart in the second outlet"
    for c in p.counterparts:
        assert TEXTS[c.source][c.start : c.end] == c.text and 0 < c.score <= 1


def test_matches_have_every_source(al):
    data = collect_matches(al)
    assert data.passages and all(p.words >= 6 and p.counterparts for p in data.passages)
    assert not any(p.note or p.tag for p in data.passages)


def test_json_is_web_annotation(al, marks):
    doc = json.loads(render(collect_marks(al, marks), "json"))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 4
    ann = doc["first"]["items"][0]
    assert ann["type"] == "Annotation" and ann["id"].startswith("urn:uuid:")
    purposes = {b["purpose"]: b["value"] for b in ann["body"]}
    assert purposes == {"commenting": "Check <this> =1+1 & [b]that[/b]", "tagging": "pink"}
    types = [s["type"] for s in ann["target"]["selector"]]
    assert types == ["TextQuoteSelector", "TextPositionSelector"]
    assert ann["counterparts"][0]["score"] > 0


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.data.append(data)


def test_html_escapes_everything_and_loads_nothing(al, marks):
    page = render(collect_marks(al, marks), "html")
    parsed = _Collect()
    parsed.feed(page)
    assert "script" not in parsed.tags and "b" not in parsed.tags
    assert not any(k in ("src", "href") and v and not v.startswith("#") for k, v in parsed.attrs)
    assert "http://" not in page.replace('"http://evil.example"', "").replace(
        "&quot;http://evil.example&quot;", ""
    )
    text = "".join(parsed.data)
    assert "<script>alert('x')</script>" in text and "<b>wire</b>.txt" in text
    assert "default-src 'none'" in page and "<link" not in page and "@import" not in page


def test_csv_neutralises_formulas(al, marks):
    # every mark with its counterparts: the hostile texts are among them
    marks = [replace(m, counterparts=True) for m in marks]
    rows = list(csv.reader(io.StringIO(render(collect_marks(al, marks), "csv"))))
    assert rows[0][0] == "passage"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    texts = {r[-1][:11] for r in rows}
    assert {"'=HYPERLINK", "'@everyone ", "'-1 is what"} <= texts
    assert "'+ check with the café" in {r[7] for r in rows}


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (0.5, "0.5"),
        (3, "3"),
        (None, ""),
    ],
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


# -- writing ---------------------------------------------------------------------------------
def test_write_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "marks.md"
    write_export(out, "first")
    with pytest.raises(ExportError, match="exists; not overwriting"):
        write_export(out, "second")
    assert out.read_text() == "first"
    write_export(out, "third", force=True)
    assert out.read_text() == "third"
    assert [p.name for p in tmp_path.iterdir()] == ["marks.md"]


def test_write_to_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ExportError, match=r"cannot write .*does not exist"):
        write_export(tmp_path / "nope" / "x.md", "text")


def test_write_under_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("keep")
    with pytest.raises(ExportError, match="cannot write"):
        write_export(tmp_path / "file" / "x.md", "text")
    assert (tmp_path / "file").read_text() == "keep"


def test_write_to_a_folder_is_refused(tmp_path):
    with pytest.raises(ExportError, match="is a folder"):
        write_export(tmp_path, "text", force=True)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_write_into_read_only_folder_keeps_old_file(tmp_path):
    out = tmp_path / "x.md"
    out.write_text("old")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            write_export(out, "new", force=True)
    finally:
        tmp_path.chmod(0o700)
    assert out.read_text() == "old"


def test_failed_rename_keeps_old_file(tmp_path, monkeypatch):
    out = tmp_path / "x.md"
    out.write_text("old")

    def boom(*a, **k):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(ExportError, match="Input/output error"):
        write_export(out, "new", force=True)
    monkeypatch.undo()
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x.md"]


def test_citation_for_the_clipboard(al):
    from reader.core.export.passages import citation

    src = al.sources[1]
    s, e = src.sentences[3]
    assert citation(src.name, src.text[s:e], s, e) == (
        "\u201c-1 is what the markets did, café owners said.\u201d \u2014 outlet [red].txt, "
        f"characters {s}\u2013{e}"
    )
    assert citation("a.txt", "Two\n  lines.", 3, 15, note="why") == (
        "\u201cTwo lines.\u201d \u2014 a.txt, characters 3\u201315\nNote: why"
    )


# -- Markdown structure: a note or quote never opens a block that swallows the rest ----------
@pytest.mark.parametrize(
    "hostile",
    [
        "~~~",
        "```",
        "~~~python",
        "    ~~~",
        "<div>",
        "---",
        "> quote",
        "| a | b |",
        "[x]: http://evil.example",
    ],
)
def test_a_note_with_a_block_opener_stays_inside_its_passage(al, hostile):
    from markdown_it import MarkdownIt

    marks = [
        create_mark(
            al, 0, 1, note=f"before\n{hostile}\nafter", now="2024-01-01T00:00:00Z", mark_id="m-1"
        ),
        create_mark(al, 1, 2, note="the second note", now="2024-01-01T00:00:00Z", mark_id="m-2"),
    ]
    text = render(collect_marks(al, marks), "md")
    tokens = MarkdownIt("gfm-like").parse(text)
    kinds = {t.type for t in tokens}
    assert not kinds & {"fence", "code_block", "html_block", "hr", "table_open"}, kinds
    headings = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert len(headings) == 2 and headings[1].startswith("2.")  # the second passage is intact
    assert "the second note" in text


def _highlighted_by_definition(text, spans, si):
    """The HTML highlighting as specified (and as first written, quadratic): each piece
    between span boundaries takes the first covering span, own before counterpart."""
    from html import escape

    from reader.core.export.html_page import _anchor, _tag_class

    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    starts, seen = {}, set()
    for s, _e, k, _own, _p in sorted(spans, key=lambda x: (x[0], x[2])):
        if k not in seen:
            seen.add(k)
            starts.setdefault(s, []).append(k)
    order = sorted(spans, key=lambda x: (not x[3], x[2]))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        for k in starts.get(a, []):
            out.append(f'<span id="{_anchor(k, si)}"></span>')
        piece = escape(text[a:b])
        cover = next((x for x in order if x[0] <= a and b <= x[1] and x[0] < x[1]), None)
        if cover is None:
            out.append(piece)
            continue
        _s, _e, k, own, p = cover
        title = f"{k}. " + (p.note if p.note else (p.tag or "shared passage"))
        out.append(
            f'<mark class="{"own" if own else "cp"} {_tag_class(p)}" '
            f'title="{escape(title)}">{piece}</mark>'
        )
    for k in starts.get(len(text), []):
        out.append(f'<span id="{_anchor(k, si)}"></span>')
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),
            st.integers(0, 12),
            st.booleans(),
            st.sampled_from(["", "yellow", "blue"]),
        ),
        max_size=12,
    )
)
def test_html_highlighting_matches_its_definition(raw):
    from reader.core.export.html_page import _highlighted
    from reader.core.export.passages import ExportPassage, Occurrence

    text = "The <quick> brown fox & the lazy dog, again."
    spans = []
    for k, (start, length, own, tag) in enumerate(raw, 1):
        end = min(len(text), start + length)
        p = ExportPassage(f"p{k}", Occurrence("a.txt", start, end, text[start:end]), tag=tag)
        spans.append((start, end, 1 + k % 5, own, p))
    assert _highlighted(text, spans, 0) == _highlighted_by_definition(text, spans, 0)
