"""Why is this sentence linked? Its counterparts and related sentences in every source.

``w`` on the current sentence opens this list (:func:`reader.core.alignment.explain.explain`, what
``reader align --explain FILE:N`` prints): each linked sentence with its source and
number (``FILE:N``, counted from 1), its kind, its confidence, the sources through which
it is linked too, and its text with the words that matched highlighted; the sentence
explained is shown on top, with the words it shares with the highlighted entry.
Enter (or a click) jumps there: that source's pane shows the sentence and takes the
focus. ``j``/``k`` move, ``c`` changes the strictness (the list follows), Esc closes.

Every row is identified by the sentence it names, and :meth:`WhyScreen.set_alignment`
rebuilds the list from another alignment keeping the cursor on the same sentence. A
counterpart unlinked here (``d``) stays where it was, struck out, until the view
closes (undo links it again in place); the cursor goes to the entry below it. The
list (:class:`reader.ui.dialogs.entries.EntryList`) paints again only the lines that
changed: an unlink repaints the heading, that entry and the cursor's. An
action on the highlighted entry is a binding, an entry of :data:`HINTS` and a message
that carries :meth:`WhyScreen.highlighted_reason` to the app; when the app has changed
the alignment it calls ``set_alignment`` (the strictness key does exactly that).

All text is shown through :func:`reader.ui.panes.wrap.sanitise` inside Content objects, as in
the panes: a document's ``[markup]``, escapes or control characters, or a file name's,
never restyle the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from reader.core.alignment.corrections import pair
from reader.core.alignment.explain import Reason, explain, shown_confidence
from reader.core.alignment.links import BY_GROUP, BY_USER, COUNTERPART
from reader.core.alignment.model import Alignment
from reader.core.alignment.refs import format_ref
from reader.ui.dialogs.backdrop import BackdropScreen
from reader.ui.dialogs.entries import Entry, EntryList
from reader.ui.literal import sanitise

#: The keys the hint line lists (an action added to the list adds itself here).
HINTS = [
    ("Enter", "jumps there"),
    ("d", "unlinks"),
    ("ctrl+z/y", "undo/redo"),
    ("j/k", "move"),
    ("c", "strictness"),
    ("Esc", "closes"),
]

MATCHED = "bold $text-success"  # the words two linked sentences share
#: entries' texts kept by the why view (a sentence has a few dozen links at most)
PROMPTS_KEPT = 256


def sentence_content(
    al: Alignment,
    source: int,
    sentence: int,
    spans: tuple[tuple[int, int], ...] = (),
    style: str = MATCHED,
) -> Content:
    """The text of a sentence, sanitised as in the panes, with ``spans`` (offsets in the
    source text) in ``style``."""
    src = al.sources[source]
    start, end = src.sentences[sentence]
    content = Content(sanitise(src.text[start:end]))
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a < b:
            content = content.stylize(style, a - start, b - start)
    return content


def reason_prompt(al: Alignment, r: Reason) -> Content:
    """Two lines or more: where and how it is linked; its text, matched words marked."""
    names = al.sources
    counterpart = r.kind == COUNTERPART
    head: list[tuple[str, str] | str] = [
        ("● " if counterpart else "◦ ", "bold $text-accent" if counterpart else "dim"),
        (sanitise(format_ref(names, r.source, r.sentence)), "bold"),
        (f"  {r.kind}", "" if counterpart else "dim"),
        (f" · confidence {shown_confidence(r.confidence)}", ""),
    ]
    if r.by == BY_GROUP:
        head.append((" · by its group (no direct link)", "dim"))
    elif r.by == BY_USER:
        head.append((" · ◆ linked by you", "bold"))
    if r.agree:
        head.append(
            (" · also linked through " + ", ".join(sanitise(names[k].name) for k in r.agree), "dim")
        )
    body = sentence_content(al, r.source, r.sentence, r.there)
    return Content.assemble(*head, "\n", Content("  "), body)


def reason_id(r: Reason) -> str:
    return f"{r.source}:{r.sentence}"


def unlinked_prompt(al: Alignment, r: Reason) -> Content:
    """A counterpart unlinked in this view, where it was: its reference and text, struck
    out (as tall as it was, so nothing below it moves)."""
    head = Content.assemble(
        ("✕ ", "bold $text-error"),
        (sanitise(format_ref(al.sources, r.source, r.sentence)), "strike"),
        ("  unlinked by you", "bold"),
    )
    body = sentence_content(al, r.source, r.sentence).stylize("strike")
    return Content.assemble(head, "\n", Content("  "), body)


class ReasonList(EntryList):
    """The why view's list; ``j``/``k`` move too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="why.down"),
        Binding("k", "cursor_up", "Up", show=False, id="why.up"),
    ]


class WhyScreen(BackdropScreen[tuple[int, int] | None]):
    """Returns the (source, sentence) to jump to, or None when closed."""

    DEFAULT_CSS = """
    WhyScreen {
        align: center middle;
        & > Vertical {
            width: 94%;
            max-width: 120;
            height: 90%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & #why-title { height: 1; text-style: bold; text-wrap: nowrap;
                       text-overflow: ellipsis; }
        & #why-sentence { height: auto; max-height: 8; color: $text; margin: 0 0 1 0; }
        & ReasonList { height: 1fr; border: none; background: $surface; padding: 0; }
        & ReasonList:focus { border: none; }
        & .why-hint { color: $text-muted; height: 1; }
    }
    """

    BINDINGS = [
        Binding("escape,q,w", "close", "Close", id="why.close"),
        Binding("c", "app.cycle_strictness", "Strictness", id="why.strictness"),
        Binding("d,delete", "unlink", "Unlink", id="why.unlink"),
        Binding("ctrl+z", "app.undo_correction", "Undo", id="why.undo"),
        Binding("ctrl+y", "app.redo_correction", "Redo", id="why.redo"),
    ]

    @dataclass(eq=False)
    class Unlink(Message):
        """The reader asks to unlink the sentence explained from ``other``."""

        here: tuple[int, int]
        other: tuple[int, int]

    def __init__(self, alignment: Alignment, source: int, sentence: int) -> None:
        super().__init__()
        self.alignment = alignment
        self.source = source
        self.sentence = sentence
        self.reasons: dict[str, Reason] = {}
        self._sentence_plain: str | None = None
        self._unlinked: dict[str, Reason] = {}  # counterparts unlinked in this view
        self._order: list[str] = []  # the counterparts as last shown
        self._prompts: dict[Reason, Content] = {}  # the same reason reads the same

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "why linked"
            yield Static(id="why-title")
            yield Static(id="why-sentence")
            yield ReasonList(id="why-list")
            yield Static(
                Content(" · ".join(f"{k} {what}" for k, what in HINTS)), classes="why-hint"
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one(ReasonList).focus()

    @property
    def list(self) -> ReasonList:
        return self.query_one(ReasonList)

    # -- the list ------------------------------------------------------------------------
    def set_alignment(self, alignment: Alignment) -> None:
        """Explain the same sentence by ``alignment``, keeping the cursor's sentence."""
        self.alignment = alignment
        if self.is_mounted:
            self._fill()

    def _fill(self) -> None:
        al, source, sentence = self.alignment, self.source, self.sentence
        lst = self.list
        keep = self._highlighted_id()
        reasons = explain(al, source, sentence)
        self.reasons = {reason_id(r): r for r in reasons}
        # one line (height 1): no layout pass
        self.query_one("#why-title", Static).update(
            Content.assemble(
                (sanitise(format_ref(al.sources, source, sentence)), "bold $text-accent"),
                (
                    f"  shared by {al.support(source, sentence)} of {len(al.sources)} sources"
                    f" · strictness {al.strictness}",
                    "$text-muted",
                ),
            ),
            layout=False,
        )
        entries: list[Entry] = []
        counterparts = self._in_place([r for r in reasons if r.kind == COUNTERPART], reasons)
        related = [r for r in reasons if r.kind != COUNTERPART]
        for title, mine in (
            ("counterparts", counterparts),
            ("related, not counterparts (never move a pane)", related),
        ):
            shown = sum(reason_id(r) in self.reasons for r in mine)
            gone = len(mine) - shown
            heading = f"{title}: {shown or 'none'}" + (
                f" · unlinked by you: {gone}" if gone else ""
            )
            entries.append(Entry(Content.assemble((heading, "bold")), disabled=True))
            for r in mine:
                if reason_id(r) in self.reasons:
                    entries.append(Entry(self._prompt(r), reason_id(r)))
                else:  # as tall as its entry was: nothing below it moves
                    was = lst.index_of(reason_id(r))
                    tall = lst.height_of(was) if was is not None else 0
                    entries.append(Entry(unlinked_prompt(al, r), reason_id(r), True, tall))
        self._order = [reason_id(r) for r in counterparts]
        linked = {r.source for r in reasons} | {source}
        alone = [sanitise(src.name) for k, src in enumerate(al.sources) if k not in linked]
        if alone:
            entries.append(
                Entry(
                    Content.assemble(("nothing linked in: ", "bold"), ", ".join(alone)),
                    disabled=True,
                )
            )
        lst.set_entries(entries)  # the lines that show the same are not painted again
        lst.highlighted = self._cursor_after(keep)
        self._show_sentence()

    def _prompt(self, r: Reason) -> Content:
        """:func:`reason_prompt`, kept: most entries read the same after a correction."""
        prompts = self._prompts
        found = prompts.get(r)
        if found is None:
            if len(prompts) > PROMPTS_KEPT:
                prompts.clear()
            found = prompts[r] = reason_prompt(self.alignment, r)
        return found

    def _in_place(
        self, counterparts: Sequence[Reason], reasons: Sequence[Reason]
    ) -> Sequence[Reason]:
        """``counterparts``, with those unlinked in this view where they were shown
        before (the entries below them do not move), while that unlink is in force (not
        undone, not refused, not linked again)."""
        out = list(counterparts)
        shown = {reason_id(r) for r in reasons}
        here = (self.source, self.sentence)
        unlinked = self.alignment.corrections.unlinked
        before = self._order
        for gone_id in sorted(
            (
                i
                for i, r in self._unlinked.items()
                if i not in shown and pair(here, (r.source, r.sentence)) in unlinked
            ),
            key=lambda i: before.index(i) if i in before else len(before),
        ):
            at = 0
            if gone_id in before:  # after the nearest entry shown above it before
                ids = [reason_id(r) for r in out]
                for earlier in reversed(before[: before.index(gone_id)]):
                    if earlier in ids:
                        at = ids.index(earlier) + 1
                        break
            else:
                at = len(out)
            out.insert(at, self._unlinked[gone_id])
        return out

    def _cursor_after(self, keep: str | None) -> int | None:
        """Where the cursor goes: on ``keep`` if it can still be chosen; if it was just
        unlinked, on the next entry below (or above) it; else on the first entry."""
        lst = self.list
        at = (lst.index_of(keep) if keep is not None else None) or 0
        entries = lst.entries
        for k in [*range(at, len(entries)), *range(at - 1, -1, -1)]:
            if not entries[k].disabled and entries[k].id in self.reasons:
                return k
        return None

    def _highlighted_id(self) -> str | None:
        i = self.list.highlighted  # always an entry's index, or None
        return None if i is None else self.list.entry_at(i).id

    def highlighted_reason(self) -> Reason | None:
        """The entry under the cursor (what an action on the list acts on)."""
        return self.reasons.get(self._highlighted_id() or "")

    def _show_sentence(self) -> None:
        """The sentence explained, with the words it shares with the highlighted entry."""
        r = self.highlighted_reason()
        content = sentence_content(
            self.alignment, self.source, self.sentence, r.here if r is not None else ()
        )
        # the same text (only the words marked differ) keeps its height: no layout pass
        same = content.plain == self._sentence_plain
        self._sentence_plain = content.plain
        self.query_one("#why-sentence", Static).update(content, layout=not same)

    # -- events and actions ----------------------------------------------------------------
    def on_entry_list_highlighted(self, event: EntryList.Highlighted) -> None:
        event.stop()
        self._show_sentence()

    def on_entry_list_selected(self, event: EntryList.Selected) -> None:
        event.stop()
        r = self.reasons.get(event.entry.id or "")
        if r is not None:
            self.dismiss((r.source, r.sentence))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_unlink(self) -> None:
        """Unlink the highlighted counterpart (the app decides, and refreshes the list)."""
        r = self.highlighted_reason()
        if r is None or r.kind != COUNTERPART:
            self.app.bell()
            self.notify(
                "Only a counterpart can be unlinked (a related sentence is not linked)",
                markup=False,
                timeout=4,
            )
            return
        self._unlinked[reason_id(r)] = r  # shown where it was once it is unlinked
        self.post_message(self.Unlink((self.source, self.sentence), (r.source, r.sentence)))
