"""Why is this sentence linked? Its counterparts and related sentences in every source.

``w`` on the current sentence opens this list (:func:`reader.core.alignment.explain.explain`, what
``reader align --explain FILE:N`` prints): each linked sentence with its source and
number (``FILE:N``, counted from 1), its kind, its confidence, the sources through which
it is linked too, and its text with the words that matched highlighted; the sentence
explained is shown on top, with the words it shares with the highlighted entry.
Enter (or a click) jumps there: that source's pane shows the sentence and takes the
focus. ``j``/``k`` move, ``c`` changes the strictness (the list follows), Esc closes.

Every row is identified by the sentence it names, and :meth:`WhyScreen.set_alignment`
rebuilds the list from another alignment keeping the cursor on the same sentence. An
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

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.core.alignment.explain import Reason, explain, shown_confidence
from reader.core.alignment.links import BY_GROUP, BY_USER, COUNTERPART
from reader.core.alignment.model import Alignment
from reader.core.alignment.refs import format_ref
from reader.ui.dialogs.backdrop import BackdropScreen
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

MATCHED = "bold $text-success"
#: rendered options a list keeps (a few dozen show at once)
RENDERS_KEPT = 512  # the words two linked sentences share


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


def same_options(old: Sequence[Option], new: Sequence[Option]) -> bool:
    """Whether ``new`` shows exactly what ``old`` shows (ids, text, styles, state)."""
    return len(old) == len(new) and all(
        a.id == b.id
        and a.disabled == b.disabled
        and isinstance(a.prompt, Content)
        and isinstance(b.prompt, Content)
        and a.prompt.is_same(b.prompt)
        for a, b in zip(old, new)
    )


def kept_options(old: Sequence[Option], new: Sequence[Option]) -> list[Option]:
    """``new``, each option that shows exactly what one of ``old`` shows replaced by
    that one (its text keeps its wrapped height, the list its rendered lines)."""
    by_key: dict[tuple[str | None, str], Option] = {}
    for option in old:
        if isinstance(option.prompt, Content):
            by_key[option.id, option.prompt.plain] = option
    out = []
    for option in new:
        prompt = option.prompt
        if isinstance(prompt, Content):
            kept = by_key.pop((option.id, prompt.plain), None)
            if (
                kept is not None
                and kept.disabled == option.disabled
                and isinstance(kept.prompt, Content)
                and kept.prompt.is_same(prompt)
            ):
                option = kept
        out.append(option)
    return out


class ReasonList(OptionList):
    """Textual's option list, keeping the lines of each option it rendered when the
    options are set again (a correction sets them all; most show the same)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="why.down"),
        Binding("k", "cursor_up", "Up", show=False, id="why.up"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._kept_renders: dict[tuple[object, ...], tuple[int, list[Strip]]] = {}

    def show_options(self, options: Sequence[Option]) -> None:
        """Set ``options``, the lines rendered of those already shown kept."""
        options = kept_options(self.options, options)
        shown = {id(o) for o in options}
        self._kept_renders = {k: v for k, v in self._kept_renders.items() if k[0] in shown}
        self.set_options(options)

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        # Textual's cache is emptied by set_options; kept here by option, style and
        # width. The lines carry the option's index (what a click selects): an option
        # moved up or down (one unlinked above it) has it replaced, not rendered again
        key = (
            id(option),
            style,
            self.get_component_styles("option-list--option").padding,
            self.scrollable_content_region.width,
            option._divider,
        )
        index = self._option_to_index[option]
        kept = self._kept_renders.get(key)
        if kept is None:
            if len(self._kept_renders) > RENDERS_KEPT:
                self._kept_renders.clear()
            kept = self._kept_renders[key] = (index, super()._get_option_render(option, style))
        elif kept[0] != index:
            meta = RichStyle.from_meta({"option": index})  # after each segment's: it wins
            strips = [Strip(Segment.apply_style(s, None, meta), s.cell_length) for s in kept[1]]
            kept = self._kept_renders[key] = (index, strips)
        return kept[1]


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
        options: list[Option] = []
        for kind, title in (
            (COUNTERPART, "counterparts"),
            ("related", "related, not counterparts (never move a pane)"),
        ):
            mine = [r for r in reasons if r.kind == kind]
            options.append(
                Option(Content.assemble((f"{title}: {len(mine) or 'none'}", "bold")), disabled=True)
            )
            options += [Option(reason_prompt(al, r), id=reason_id(r)) for r in mine]
        linked = {r.source for r in reasons} | {source}
        alone = [sanitise(src.name) for k, src in enumerate(al.sources) if k not in linked]
        if alone:
            options.append(
                Option(
                    Content.assemble(("nothing linked in: ", "bold"), ", ".join(alone)),
                    disabled=True,
                )
            )
        if not same_options(lst.options, options):  # else the rows painted stay
            lst.show_options(options)
        if reasons:
            ids = [reason_id(r) for r in reasons]
            target = keep if keep in ids else ids[0]
            lst.highlighted = lst.get_option_index(target)
        self._show_sentence()

    def _highlighted_id(self) -> str | None:
        lst = self.list
        i = lst.highlighted
        if i is None or not (0 <= i < lst.option_count):
            return None
        return lst.get_option_at_index(i).id

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
    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_sentence()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        r = self.reasons.get(event.option.id or "")
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
        self.post_message(self.Unlink((self.source, self.sentence), (r.source, r.sentence)))
