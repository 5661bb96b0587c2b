"""Command-palette commands ("category: verb"). Titles are Content built from plain
text: Textual's own system-command provider parses titles as markup, which would
mangle a file name like ``notes[red].txt``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reader.core.alignment.links import LOOSE, NORMAL, STRICT
from reader.core.text.segment import Source
from reader.ui.literal import sanitise


class _Strictness(Protocol):
    @property
    def target(self) -> str: ...


class CommandHost(Protocol):
    """What the commands call: the app's actions (the app is one; nothing here needs
    to import it)."""

    @property
    def sources(self) -> Sequence[Source]: ...
    @property
    def strictness(self) -> _Strictness: ...
    def set_strictness(self, level: str) -> None: ...
    def action_toggle_sync(self) -> None: ...
    def action_pick_panes(self) -> None: ...
    def action_hide_pane(self) -> None: ...
    def action_cycle_filter(self) -> None: ...
    def action_compare(self) -> None: ...
    def action_search(self) -> None: ...
    def action_why(self) -> None: ...
    def action_align_again(self) -> None: ...
    def action_cycle_words(self) -> None: ...
    def action_link(self) -> None: ...
    def action_undo_correction(self) -> None: ...
    def action_redo_correction(self) -> None: ...
    def action_mark(self) -> None: ...
    def action_annotate(self) -> None: ...
    def action_toggle_marks_panel(self) -> None: ...
    def action_mark_step(self, step: int) -> None: ...
    def action_copy(self) -> None: ...
    def action_toggle_mark_counterparts(self) -> None: ...
    def action_undo(self) -> None: ...
    def action_redo(self) -> None: ...
    def action_export(self) -> None: ...
    def action_help(self) -> None: ...
    def action_focus_pane(self, index: int) -> None: ...


def _commands(app: CommandHost) -> list[tuple[str, str, Callable[[], object]]]:
    out: list[tuple[str, str, Callable[[], object]]] = [
        ("view: toggle sync", "Sync scrolling on/off (s)", app.action_toggle_sync),
        ("view: choose panes", "Choose which sources are shown (p)", app.action_pick_panes),
        ("view: hide this pane", "Hide the focused pane (x)", app.action_hide_pane),
        (
            "view: filter shared / unique / all",
            "Show only shared or only unique sentences, the rest folded (f)",
            app.action_cycle_filter,
        ),
        (
            "view: compare with another source",
            "This pane and one chosen, side by side at full width (C)",
            app.action_compare,
        ),
        ("search: find in all sources", "Fuzzy search (/)", app.action_search),
        *[
            (
                f"alignment: strictness {level}",
                f"{what} (c cycles; now {app.strictness.target})",
                partial(app.set_strictness, level),
            )
            for level, what in (
                (STRICT, "Only the most confident links are counterparts"),
                (NORMAL, "The default: counterparts a reader can trust"),
                (LOOSE, "Weaker links count as counterparts too"),
            )
        ],
        (
            "alignment: words marked",
            "Cycle auto / matches / differences / none in linked sentences (h)",
            app.action_cycle_words,
        ),
        (
            "alignment: align again",
            "Start the alignment again after Esc stopped it (r)",
            app.action_align_again,
        ),
        (
            "alignment: why are these linked",
            "Counterparts and related sentences of the "
            "current sentence, with confidence and matched words (w)",
            app.action_why,
        ),
        (
            "corrections: link this sentence to another",
            "Link from here: move to a sentence in another pane, then L or Enter (L)",
            app.action_link,
        ),
        (
            "corrections: unlink a counterpart",
            "Opens why linked: d unlinks the highlighted counterpart (w, then d)",
            app.action_why,
        ),
        (
            "corrections: undo",
            "Undo the last change: a link or unlink, or a mark (ctrl+z)",
            app.action_undo_correction,
        ),
        (
            "corrections: redo",
            "Redo the last change undone (ctrl+y)",
            app.action_redo_correction,
        ),
        (
            "marks: mark this sentence",
            "Mark the current sentence and its counterparts (m)",
            app.action_mark,
        ),
        (
            "marks: note and colour",
            "Edit the note and colour of the mark here (a)",
            app.action_annotate,
        ),
        ("marks: show or hide the list", "The marks panel (l)", app.action_toggle_marks_panel),
        (
            "marks: next mark",
            "Jump to the next mark in this pane (M)",
            lambda: app.action_mark_step(1),
        ),
        (
            "marks: previous mark",
            "Jump to the previous mark in this pane (')",
            lambda: app.action_mark_step(-1),
        ),
        (
            "marks: copy to clipboard",
            "Copy the sentence or mark with its source (y)",
            app.action_copy,
        ),
        ("edit: undo", "Undo the last change: a mark, a link or unlink (ctrl+z)", app.action_undo),
        ("edit: redo", "Redo the last change undone (ctrl+y)", app.action_redo),
        (
            "marks: counterparts on/off",
            "Whether m also marks the aligned sentences of the other sources",
            app.action_toggle_mark_counterparts,
        ),
        (
            "export: marks or shared passages to a file",
            "Markdown, JSON, CSV or HTML (e)",
            app.action_export,
        ),
        ("help: keys", "Every key (?)", app.action_help),
    ]
    for i, src in enumerate(app.sources):
        out.append(
            (
                f"pane: show {i + 1} {sanitise(src.name)}",
                "Focus this source, showing it if hidden",
                partial(app.action_focus_pane, i),
            )
        )
    return out


class ReaderCommands(Provider):
    async def discover(self) -> Hits:
        for title, help_text, callback in _commands(cast(CommandHost, self.app)):
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in _commands(cast(CommandHost, self.app)):
            score, offsets = matcher.fuzzy_search.match(query, title)
            if score > 0:
                content = Content(title)
                for offset in offsets:
                    if not title[offset].isspace():
                        content = content.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, content, callback, text=title, help=help_text)
