"""The help screen: every key, from the same table the bindings are made of."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
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
        & .help-grid { layout: grid; grid-size: 2; grid-columns: 16 1fr; height: auto; }
        & .help-section { column-span: 2; color: $accent; text-style: bold; height: 2; }
        & .help-section.-first { height: 1; }
        & .help-keys { text-style: bold; height: auto; padding: 0 0 0 2; }
        & .help-text { height: auto; }
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("g,home", "edge(0)", "Top", show=False, id="help.top"),
        Binding("G,end", "edge(1)", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        """``keymap``: the settings file's remapped keys (binding id -> keys)."""
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "reader: keys"
            with VerticalScroll(id="help-body"), Grid(classes="help-grid", id="help-text"):
                section = None
                for sec, keys, text in help_rows(self.keymap):
                    if sec != section:  # (a grid row of auto height would take none)
                        first = section is None
                        yield Static(
                            Content(sec if first else f"\n{sec}"),
                            classes="help-section" + (" -first" if first else ""),
                        )
                        section = sec
                    yield Static(Content(keys), classes="help-keys")
                    yield Static(Content(text), classes="help-text")
                yield Static(Content("\nColours"), classes="help-section")
                for name, text in LEGEND:
                    yield Static(Content(name), classes="help-keys")
                    yield Static(Content(text), classes="help-text")
            yield Static(
                Content("j/k, space/b, g/G scroll · Esc, q or ? closes"), classes="help-hint"
            )

    def plain(self) -> str:
        """The help as text (the keys and what they do, a row per line)."""
        out = []
        for widget in self.query("#help-text > Static"):
            text = str(widget.render())
            if widget.has_class("help-keys"):
                out.append(f"  {text:<14}")
            elif widget.has_class("help-text"):
                out[-1] += text
            else:
                out.append(text.strip())
        return "\n".join(out) + "\n"

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=step, animate=False)

    def action_page(self, step: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        page = max(1, body.scrollable_content_region.height - 1)
        body.scroll_relative(y=step * page, animate=False)

    def action_edge(self, end: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_to(y=body.max_scroll_y if end else 0, animate=False)
