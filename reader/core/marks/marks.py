"""Marks (highlights) a reader keeps, and how they re-attach to edited sources.

A :class:`Mark` is one marked passage: a note, a tag (one of :data:`TAGS`), its
timestamps, and one :class:`Target` per source it covers. The first target is the
passage the user marked; when the mark includes counterparts, the others are the
sentences the alignment links it to in the other sources, each with its link score.

Each target is anchored the way the W3C Web Annotation model does it: a
TextQuoteSelector (``exact`` text with ~32 characters of ``prefix`` and
``suffix``) plus a TextPositionSelector (``start``, ``end``: ``str`` offsets, end
exclusive, into the text as :mod:`reader.core.text.load` loads it).

:func:`reanchor` finds a target again in a (possibly edited) text: the stored
position when the quote is still there, else the exact quote nearest the old
offset (context breaking ties), else a fuzzy re-find with rapidfuzz above
:data:`FUZZY_THRESHOLD`. A target that cannot be found is kept, with its old
selectors, and flagged ``orphaned``; it is never dropped.

Everything here is pure: no I/O, no Textual. Marks are frozen; "editing" one
returns a new mark (:func:`edit_mark`).
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from reader.core.alignment.model import Alignment
from reader.core.text.segment import Source


@dataclass(frozen=True)
class TagColour:
    """How a tag is drawn: ``screen`` in the reading view (a bar in the gutter, a swatch
    in the marks panel: mid-luminance, so it reads on dark and light themes alike) and
    ``page`` in the HTML export (a light background the text is read through)."""

    screen: str
    page: str


#: Named tags, each in its own colour; the first is the default.
TAG_COLOURS: dict[str, TagColour] = {
    "yellow": TagColour("#d4b106", "#ffe97a"),
    "green": TagColour("#3fa34d", "#b7ecb0"),
    "blue": TagColour("#3d7eff", "#bcd8ff"),
    "pink": TagColour("#e055a8", "#ffc4e1"),
    "orange": TagColour("#e8772e", "#ffd09a"),
}
TAGS: tuple[str, ...] = tuple(TAG_COLOURS)
DEFAULT_TAG = TAGS[0]

#: Characters of context kept before and after a quote (TextQuoteSelector prefix/suffix).
CONTEXT_CHARS = 32

#: Least rapidfuzz ``partial_ratio`` (0-100) at which an edited quote counts as re-found.
FUZZY_THRESHOLD = 85.0

#: Quotes shorter than this are only re-found exactly (fuzzy matches of a few
#: characters are meaningless).
MIN_FUZZY_CHARS = 12

#: Target states after re-anchoring.
EXACT, MOVED, FUZZY, ORPHANED = "exact", "moved", "fuzzy", "orphaned"

PRIMARY, COUNTERPART = "primary", "counterpart"


def now_iso() -> str:
    """The current UTC time as ISO 8601 with a ``Z`` (second precision)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Target:
    """One anchored passage of a mark in one source."""

    source: str  # the source's name (Source.name: the file name)
    start: int  # TextPositionSelector
    end: int
    exact: str  # TextQuoteSelector
    prefix: str = ""
    suffix: str = ""
    role: str = PRIMARY  # PRIMARY (what the user marked) or COUNTERPART
    score: float | None = None  # alignment score, for counterparts
    status: str = EXACT  # EXACT, MOVED, FUZZY or ORPHANED: set by reanchor()
    similarity: float | None = None  # rapidfuzz score of a FUZZY re-find (0-100)

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED


@dataclass(frozen=True)
class Mark:
    id: str
    targets: tuple[Target, ...]
    note: str = ""
    tag: str = DEFAULT_TAG
    created: str = ""
    modified: str = ""
    counterparts: bool = True  # whether the aligned counterparts were marked too

    @property
    def primary(self) -> Target:
        return self.targets[0]

    @property
    def source(self) -> str:
        """The file name of the source the user marked."""
        return self.targets[0].source

    @property
    def orphaned(self) -> bool:
        """The marked passage itself could not be found again."""
        return self.targets[0].orphaned


@dataclass(frozen=True)
class CounterpartSpan:
    """A run of consecutive sentences of another source linked to a passage."""

    source: int  # source index in the alignment
    start: int
    end: int
    score: float  # the best link score into this run
    sentences: tuple[int, ...] = field(default=())


# -- building targets -------------------------------------------------------------------
def quote_target(
    text: str, source: str, start: int, end: int, *, role: str = PRIMARY, score: float | None = None
) -> Target:
    """A target for ``text[start:end]`` with its quote and context captured."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"bad range {start}:{end} for a text of {len(text)} characters")
    return Target(
        source=source,
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        role=role,
        score=score,
    )


def sentence_span(src: Source, first: int, last: int) -> tuple[int, int]:
    """Character span of sentences ``first..last`` (inclusive) of ``src``."""
    if not (0 <= first <= last < len(src.sentences)):
        raise IndexError(f"sentences {first}..{last} out of range for {len(src.sentences)}")
    return src.sentences[first][0], src.sentences[last][1]


def sentences_in(src: Source, start: int, end: int) -> range:
    """Indexes of the sentences of ``src`` that overlap ``[start, end)`` (an empty
    span counts as touching the sentence it sits in)."""
    starts = [s for s, _ in src.sentences]
    ends = [e for _, e in src.sentences]
    lo = bisect_right(ends, start)
    hi = bisect_left(starts, max(end, start + 1))
    return range(lo, max(lo, hi))


def counterpart_spans(al: Alignment, source: int, start: int, end: int) -> list[CounterpartSpan]:
    """The passages of other sources aligned with ``[start, end)`` of ``source``: the
    counterparts of every sentence it overlaps, as runs of consecutive sentences per
    source, each with its best link score. Sorted by source, then position."""
    by_source: dict[int, dict[int, float]] = {}
    for i in sentences_in(al.sources[source], start, end):
        for c in al.counterparts(source, i):
            best = by_source.setdefault(c.source, {})
            best[c.sentence] = max(best.get(c.sentence, 0.0), c.score)
    out: list[CounterpartSpan] = []
    for other in sorted(by_source):
        scores = by_source[other]
        run: list[int] = []
        for j in sorted(scores) + [None]:
            if run and (j is None or j != run[-1] + 1):
                s, e = sentence_span(al.sources[other], run[0], run[-1])
                out.append(
                    CounterpartSpan(other, s, e, round(max(scores[k] for k in run), 4), tuple(run))
                )
                run = []
            if j is not None:
                run.append(j)
    return out


def create_mark(
    al: Alignment,
    source: int,
    first: int,
    last: int | None = None,
    *,
    note: str = "",
    tag: str = DEFAULT_TAG,
    counterparts: bool = True,
    now: str | None = None,
    mark_id: str | None = None,
) -> Mark:
    """Mark sentences ``first..last`` (inclusive; ``last`` defaults to ``first``) of
    source ``source``. With ``counterparts`` (the default) the aligned sentences of the
    other sources are marked too, so the quote is captured everywhere it appears."""
    if tag not in TAGS:
        raise ValueError(f"unknown tag {tag!r}; one of {', '.join(TAGS)}")
    src = al.sources[source]
    start, end = sentence_span(src, first, first if last is None else last)
    targets = [quote_target(src.text, src.name, start, end)]
    if counterparts:
        targets += _counterpart_targets(al, source, start, end)
    stamp = now or now_iso()
    return Mark(
        id=mark_id or str(uuid.uuid4()),
        targets=tuple(targets),
        note=note,
        tag=tag,
        created=stamp,
        modified=stamp,
        counterparts=counterparts,
    )


def _counterpart_targets(al: Alignment, source: int, start: int, end: int) -> list[Target]:
    out = []
    for cp in counterpart_spans(al, source, start, end):
        other = al.sources[cp.source]
        out.append(
            quote_target(other.text, other.name, cp.start, cp.end, role=COUNTERPART, score=cp.score)
        )
    return out


def add_counterparts(al: Alignment, mark: Mark) -> Mark:
    """``mark`` with the counterparts of its primary passage in the other sources as
    targets: for a mark made before the alignment was ready. Unchanged when its
    primary target is orphaned or in no source of ``al``."""
    primary = mark.targets[0]
    names = [s.name for s in al.sources]
    if primary.orphaned or primary.source not in names:
        return mark
    extra = _counterpart_targets(al, names.index(primary.source), primary.start, primary.end)
    return replace(mark, targets=(primary, *extra), counterparts=True)


def edit_mark(
    mark: Mark, *, note: str | None = None, tag: str | None = None, now: str | None = None
) -> Mark:
    """A copy of ``mark`` with a new note and/or tag and an updated ``modified`` time."""
    if tag is not None and tag not in TAGS:
        raise ValueError(f"unknown tag {tag!r}; one of {', '.join(TAGS)}")
    return replace(
        mark,
        note=mark.note if note is None else note,
        tag=mark.tag if tag is None else tag,
        modified=now or now_iso(),
    )


def marks_in_source(marks: Iterable[Mark], name: str) -> list[tuple[int, int, Mark, Target]]:
    """The live (not orphaned) targets of ``marks`` in the source named ``name``, as
    ``(start, end, mark, target)`` sorted by position: what a pane highlights."""
    out = [
        (t.start, t.end, m, t)
        for m in marks
        for t in m.targets
        if t.source == name and not t.orphaned
    ]
    out.sort(key=lambda x: (x[0], x[1], x[2].created, x[2].id))
    return out


# -- re-anchoring ---------------------------------------------------------------------
def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _exact_candidates(text: str, exact: str, limit: int = 10_000) -> list[int]:
    out: list[int] = []
    i = text.find(exact)
    while i >= 0 and len(out) < limit:
        out.append(i)
        i = text.find(exact, i + 1)
    return out


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int, float]:
    """Move the ends of a fuzzy match so that ``text[start:end]`` is most like ``quote``
    (partial_ratio finds a window of the quote's length; edits change the length)."""
    from rapidfuzz import fuzz

    slack = max(8, len(quote) // 5)

    def best(cands: Iterable[tuple[int, int]]) -> tuple[int, int, float]:
        top = (start, end, -1.0)
        for s, e in cands:
            r = fuzz.ratio(quote, text[s:e])
            if r > top[2]:
                top = (s, e, r)
        return top

    s, e, _ = best((s, end) for s in range(max(0, start - slack), min(end, start + slack) + 1))
    s, e, r = best((s, e2) for e2 in range(max(s, end - slack), min(len(text), end + slack) + 1))
    return s, e, r


def _fuzzy_find(text: str, target: Target, threshold: float) -> tuple[int, int, float] | None:
    from rapidfuzz import fuzz

    quote = target.exact
    if len(quote.strip()) < MIN_FUZZY_CHARS or not text:
        return None
    # Near the old place first (cheap, and right when the same passage repeats), then all.
    margin = 4 * len(quote) + 2000
    lo, hi = max(0, target.start - margin), min(len(text), target.end + margin)
    windows = [(lo, hi)] if (lo, hi) != (0, len(text)) else []
    windows.append((0, len(text)))
    for w0, w1 in windows:
        hay = text[w0:w1]
        if len(hay) < len(quote) // 2:
            continue
        al = fuzz.partial_ratio_alignment(quote, hay, score_cutoff=threshold)
        if al is None or al.score < threshold:
            continue
        if len(quote) <= len(hay):
            s, e = w0 + al.dest_start, w0 + al.dest_end
        else:  # the haystack is the shorter one: it matched inside the quote
            s, e = w0, w1
        s, e, r = _refine(text, quote, s, e)
        if r >= threshold and e > s:
            return s, e, round(r, 1)
    return None


def reanchor(target: Target, text: str | None, *, threshold: float = FUZZY_THRESHOLD) -> Target:
    """``target`` re-found in ``text`` (the source's current text; ``None`` when the
    source is missing). Position check, then exact quote nearest the old offset, then
    fuzzy; otherwise the target is returned unchanged but flagged ``orphaned``."""
    if text is None:
        return replace(target, status=ORPHANED, similarity=None)
    exact = target.exact
    if target.end <= len(text) and text[target.start : target.end] == exact:
        return _anchored(target, text, target.start, target.end, EXACT, None)
    if exact:
        cands = _exact_candidates(text, exact)
        if cands:

            def rank(i: int) -> tuple[int, int]:
                ctx = _common_suffix(
                    text[max(0, i - CONTEXT_CHARS) : i], target.prefix
                ) + _common_prefix(
                    text[i + len(exact) : i + len(exact) + CONTEXT_CHARS], target.suffix
                )
                return (-ctx, abs(i - target.start))

            i = min(cands, key=rank)
            return _anchored(target, text, i, i + len(exact), MOVED, None)
    found = _fuzzy_find(text, target, threshold)
    if found is None:
        return replace(target, status=ORPHANED, similarity=None)
    s, e, r = found
    return _anchored(target, text, s, e, FUZZY, r)


def _anchored(
    target: Target, text: str, start: int, end: int, status: str, similarity: float | None
) -> Target:
    """The target at its new place. The stored quote is updated to the current text, so
    the next re-anchoring starts from what is there now."""
    fresh = quote_target(text, target.source, start, end, role=target.role, score=target.score)
    return replace(fresh, status=status, similarity=similarity)


def reanchor_mark(
    mark: Mark, texts: Mapping[str, str], *, threshold: float = FUZZY_THRESHOLD
) -> Mark:
    """Every target of ``mark`` re-found in ``texts`` (source name -> current text)."""
    return replace(
        mark,
        targets=tuple(reanchor(t, texts.get(t.source), threshold=threshold) for t in mark.targets),
    )


def reanchor_marks(
    marks: Sequence[Mark],
    texts: Mapping[str, str] | Sequence[Source],
    *,
    threshold: float = FUZZY_THRESHOLD,
) -> list[Mark]:
    """All ``marks`` re-found; ``texts`` maps names to texts, or is the loaded sources.
    Orphaned marks stay in the list (flagged), in the same order."""
    if not isinstance(texts, Mapping):
        texts = {s.name: s.text for s in texts}
    return [reanchor_mark(m, texts, threshold=threshold) for m in marks]


def orphaned_report(marks: Iterable[Mark]) -> list[str]:
    """One line per target that could not be found again (for a warning or a notice)."""
    out = []
    for m in marks:
        for t in m.targets:
            if t.orphaned:
                quote = " ".join(t.exact.split())
                quote = quote if len(quote) <= 60 else quote[:57] + "..."
                out.append(f"mark {m.id[:8]} not found in {t.source}: \u201c{quote}\u201d")
    return out
