"""The HTML export: one self-contained page (inline CSS, no scripts, no network) with
the list of passages and the sources side by side, the passages highlighted.

Every piece of document text, file name, note and tag goes through ``html.escape``;
a Content-Security-Policy forbids loading anything, as a second line of defence.
"""

from __future__ import annotations

from html import escape

from reader import __version__
from reader.core.export.passages import MARKS, ExportData, ExportPassage, Occurrence
from reader.core.marks.marks import TAG_COLOURS

#: the highlight of a shared passage (no tag)
MATCH_COLOUR = "#a8e6e0"

CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
       color: var(--ink); background: #fafafa; }
header, .passages { padding: 0 1.25rem; max-width: 70rem; }
h1 { font-size: 1.35rem; margin: 1rem 0 .25rem; }
header p { margin: 0 0 .75rem; color: var(--muted); }
.passages ol { margin: 0; padding-left: 1.5rem; }
.passages li { margin: 0 0 .6rem; }
.passages blockquote { margin: .15rem 0; padding-left: .6rem; border-left: 3px solid var(--rule);
       font-family: Georgia, "Times New Roman", serif; white-space: pre-wrap;
       overflow-wrap: anywhere; }
.meta, .cps { color: var(--muted); font-size: .85rem; }
.cps { margin: .1rem 0 0; padding-left: 1rem; }
.cps li { margin: 0; }
.note { margin: .15rem 0; font-size: .95rem; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
          vertical-align: -.05em; margin-right: .3em; border: 1px solid #0003; }
.sources { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(14rem, 1fr);
           gap: .75rem; padding: .75rem 1.25rem 1.5rem; overflow-x: auto;
           border-top: 1px solid var(--rule); margin-top: 1rem; }
.source { background: #fff; border: 1px solid var(--rule); border-radius: 6px; min-width: 0; }
.source h2 { position: sticky; top: 0; margin: 0; padding: .45rem .7rem; font-size: .9rem;
             background: #f1f1f4; border-bottom: 1px solid var(--rule);
             border-radius: 6px 6px 0 0; overflow-wrap: anywhere; }
.text { padding: .6rem .8rem; white-space: pre-wrap; overflow-wrap: anywhere;
        font: 14px/1.55 Georgia, "Times New Roman", serif; }
mark { color: inherit; border-radius: 2px; padding: 0 .05em; }
mark.cp { background: color-mix(in srgb, var(--c) 35%, transparent);
          border-bottom: 2px dashed var(--c); }
mark.own { background: var(--c); }
.orphaned { color: #a33; }
a { color: #2758a8; }
"""


def _tag_css() -> str:
    """A class per tag (``t-yellow`` ...) and ``t-match``, setting the colour ``--c``."""
    rules = [f".t-{name} {{ --c: {colour.page}; }}" for name, colour in TAG_COLOURS.items()]
    rules.append(f".t-match {{ --c: {MATCH_COLOUR}; }}")
    return "\n".join(" ".join(rules[k : k + 3]) for k in range(0, len(rules), 3)) + "\n"


CSS += _tag_css()


def _tag_class(p: ExportPassage) -> str:
    return "t-" + (p.tag if p.tag in TAG_COLOURS else "match")


def _anchor(k: int, si: int) -> str:
    return f"p{k}-s{si}"


def _highlighted(text: str, spans: list[tuple[int, int, int, bool, ExportPassage]], si: int) -> str:
    """``text`` escaped, with ``<mark>`` around each span. Spans may overlap: the text
    is cut at every span boundary and each piece takes the first span covering it
    (the passage's own occurrence before a counterpart, then the lower passage
    number). One sweep over the cuts with a heap of the spans open there:
    O(n log n) in the spans (a scan of every span for every piece was quadratic:
    bible-nt-5's 33k shared passages took minutes)."""
    import heapq

    spans = [x for x in spans if x[0] < x[1]] + [x for x in spans if x[0] >= x[1]]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    starts: dict[int, list[int]] = {}
    seen: set[int] = set()
    for s, _e, k, _own, _p in sorted(spans, key=lambda x: (x[0], x[2])):
        if k not in seen:  # one anchor per passage and source: its first span
            seen.add(k)
            starts.setdefault(s, []).append(k)
    opening: dict[int, list[int]] = {}
    for n, x in enumerate(spans):
        if x[0] < x[1]:
            opening.setdefault(x[0], []).append(n)
    active: list[tuple[bool, int, int]] = []  # (not own, passage, index): first = cover
    out = []
    for a, b in zip(cuts, cuts[1:]):
        for n in opening.get(a, ()):
            heapq.heappush(active, (not spans[n][3], spans[n][2], n))
        while active and spans[active[0][2]][1] <= a:  # ended: dropped when on top
            heapq.heappop(active)
        for k in starts.get(a, []):
            out.append(f'<span id="{_anchor(k, si)}"></span>')
        piece = escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        _s, _e, k, own, p = spans[active[0][2]]
        title = f"{k}. " + (p.note if p.note else (p.tag or "shared passage"))
        cls = f"{'own' if own else 'cp'} {_tag_class(p)}"
        out.append(f'<mark class="{cls}" title="{escape(title)}">{piece}</mark>')
    for k in starts.get(len(text), []):
        out.append(f'<span id="{_anchor(k, si)}"></span>')
    return "".join(out)


def _where(o: Occurrence, k: int, index: dict[str, int]) -> str:
    label = f"{escape(o.source)}, characters {o.start}\u2013{o.end}"
    si = index.get(o.source)
    if si is None or o.status == "orphaned":
        return label
    return f'<a href="#{_anchor(k, si)}">{label}</a>'


def to_html(data: ExportData) -> str:
    index = {name: i for i, (name, _) in enumerate(data.sources)}
    spans: list[list[tuple[int, int, int, bool, ExportPassage]]] = [[] for _ in data.sources]
    for k, p in enumerate(data.passages, 1):
        for own, o in [(True, p.occurrence)] + [(data.kind != MARKS, c) for c in p.counterparts]:
            si = index.get(o.source)
            if si is not None and o.status != "orphaned" and o.end <= len(data.sources[si][1]):
                spans[si].append((o.start, o.end, k, own, p))
    title = "Marked passages" if data.kind == MARKS else "Passages shared verbatim"
    n = len(data.passages)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="reader {escape(__version__)}">',
        f"<title>{title}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
        f"<p>{n} passage{'s' * (n != 1)} from {len(data.sources)} sources: "
        + ", ".join(escape(name) for name, _ in data.sources)
        + "</p>",
        "</header>",
        '<section class="passages">',
        "<ol>",
    ]
    for k, p in enumerate(data.passages, 1):
        o = p.occurrence
        item = [
            f'<li id="p{k}">',
            '<div class="meta">',
            f'<span class="swatch {_tag_class(p)}" style="background: var(--c)"></span>',
        ]
        item.append(_where(o, k, index))
        if p.tag:
            item.append(f" \u00b7 {escape(p.tag)}")
        if p.words:
            item.append(f" \u00b7 {p.words} words")
        if o.status == "orphaned":
            item.append(' \u00b7 <span class="orphaned">not found in the current text</span>')
        item.append("</div>")
        item.append(f"<blockquote>{escape(o.text.strip())}</blockquote>")
        if p.note:
            item.append(f'<p class="note"><strong>Note:</strong> {escape(p.note)}</p>')
        if p.counterparts:
            item.append('<ul class="cps">')
            for c in p.counterparts:
                score = "" if c.score is None else f" \u00b7 score {c.score:.2f}"
                item.append(f"<li>also in {_where(c, k, index)}{score}</li>")
            item.append("</ul>")
        item.append("</li>")
        parts.append("".join(item))
    parts += ["</ol>", "</section>", '<main class="sources">']
    for si, (name, text) in enumerate(data.sources):
        parts.append(
            f'<section class="source"><h2>{escape(name)}</h2>'
            f'<div class="text">{_highlighted(text, spans[si], si)}</div></section>'
        )
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
