"""The footer: the key bar, with help (``?``) and quit (``q``) first, so that they are
still there when a narrow terminal cuts the bar short (at 40 columns the rest of it
does not fit)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: the actions shown first, in this order
FIRST = ("help", "quit")


class ReaderFooter(Footer):
    def compose(self) -> ComposeResult:
        items = list(super().compose())

        def rank(widget) -> int:
            if isinstance(widget, FooterKey) and widget.action in FIRST:
                return FIRST.index(widget.action)
            return len(FIRST)

        yield from sorted(items, key=rank)  # stable: the rest keep their order
