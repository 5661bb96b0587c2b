"""Text shown literally on every surface of the reading view: panes, titles, the
status line, dialogs, notifications, the palette.

One sanitiser: the core's (:mod:`reader.core.visible`: control characters, escape
sequences, bidi controls and lone surrogates become visible stand-ins, one character
for one) plus what a pane lays out itself (tabs and line breaks become spaces), and
Content objects built from it, so document text and file names are never parsed as
markup.
"""

from __future__ import annotations

from textual.content import Content

from reader.core.visible import TABLE

# The core's sanitiser (control characters, bidi controls and lone surrogates made
# visible, one character for one) plus what a pane lays out itself: tabs, newlines and
# the other line breaks become spaces.
_TABLE: dict[int, str] = dict(TABLE)
_TABLE.update({ord("\t"): " ", ord("\n"): " ", ord("\r"): " ", 0x0B: " ", 0x0C: " "})
# Line and paragraph separators break lines in some terminals.
_TABLE.update({0x2028: " ", 0x2029: " ", 0x85: " "})


def sanitise(text: str) -> str:
    """The same text, one character per character, safe to print literally."""
    return text.translate(_TABLE)


def safe_content(text: str | Content) -> Content:
    """``text`` as Content that shows literally on one screen line per line of it:
    control characters, escape sequences, bidi controls made visible (newlines kept,
    so a dialog can hold several lines); a Content's styles are kept."""
    if isinstance(text, Content):
        lines = [
            Content(sanitise(line.plain), spans=list(line.spans), strip_control_codes=False)
            for line in text.split("\n")
        ]
        return Content("\n").join(lines)
    return Content(
        "\n".join(sanitise(line) for line in str(text).split("\n")), strip_control_codes=False
    )
