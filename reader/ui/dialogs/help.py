"""The help screen: every key, from the same table the bindings are made of."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.keys import help_rows

LEGEND = [
    (
        "shading",
        "plain: in every source · green: in some · amber: only in this source · dim: boilerplate",
    ),
    (
        "gutter",
        "┃ unique  │ shared by some  ▌ current sentence and its counterparts  "
        "┆ related to the current sentence, not a counterpart (never moves a pane)  "
        "▸ where a missing counterpart would be  • search match",
    ),
    (
        "marks",
        "▌ in the second column: a mark, in its colour (yellow, green, blue, pink, "
        "orange); visual mode shades the selected run",
    ),
    (
        "words",
        "inside the current sentence (blue) and its counterparts: green bold words "
        "match, amber underlined words differ (h: auto, matches, differences, none)",
    ),
]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 90%;
            max-width: 88;
            height: 90%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & VerticalScroll { height: 1fr; }
        & .help-hint { color: $text-muted; height: 1; }
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
    ]

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        """``keymap``: the settings file's remapped keys (binding id -> keys)."""
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "reader: keys"
            with VerticalScroll(id="help-body"):
                yield Static(self._body(), id="help-text")
            yield Static(Content("Esc, q or ? closes this screen"), classes="help-hint")

    def _body(self) -> Content:
        parts: list[tuple[str, str] | str] = []
        section = None
        for sec, keys, text in help_rows(self.keymap):
            if sec != section:
                if section is not None:
                    parts.append("\n")
                parts.append((f"{sec}\n", "bold $accent"))
                section = sec
            parts.append((f"  {keys:<14}", "bold"))
            parts.append(f"{text}\n")
        parts.append("\n")
        parts.append(("Colours\n", "bold $accent"))
        for name, text in LEGEND:
            parts.append((f"  {name:<14}", "bold"))
            parts.append(f"{text}\n")
        return Content.assemble(*parts)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=step, animate=False)
