"""The footer: the key bar, with help (``?``) and quit (``q``) first, so that they are
still there when a narrow terminal cuts the bar short (at 40 columns the rest of it
does not fit).

Textual's footer rebuilds its keys (a dozen widgets, ~15 ms) on every change of the
bindings, and the bindings "change" on every focus move, even between panes whose keys
are the same: at start-up that was four or five rebuilds in the first second. This one
rebuilds only when what it shows changed, once per refresh at most."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

#: the actions shown first, in this order
FIRST = ("help", "quit")


class ReaderFooter(Footer):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None  # what the keys show now (see _wanted)
        self._pending = False  # a rebuild is asked for after the next refresh

    def _wanted(self) -> tuple:
        """Everything the keys are built from: the shown bindings (key, how it is
        written, label, action, enabled, tooltip, group) and the footer's own options."""
        app = self.app
        keys = tuple(
            (b.key, app.get_key_display(b), b.description, b.action, enabled, tooltip, b.group)
            for (_, b, enabled, tooltip) in self.screen.active_bindings.values()
            if b.show
        )
        return keys, self.compact, self.show_command_palette, app.ENABLE_COMMAND_PALETTE

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        wanted = self._wanted()
        if wanted != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready and self.is_attached:
            self._shown = self._wanted()
        items = list(super().compose())

        def rank(widget) -> int:
            if isinstance(widget, FooterKey) and widget.action in FIRST:
                return FIRST.index(widget.action)
            return len(FIRST)

        yield from sorted(items, key=rank)  # stable: the rest keep their order
