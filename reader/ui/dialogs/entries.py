"""A list of entries of several lines each, painted again only where it changed.

Textual's ``OptionList`` paints every line again whenever anything changes: its
highlight is a reactive that repaints the whole widget, setting its options clears
every cache, and an option removed shifts all the ones below it (a new virtual size:
a layout pass). The why view's list changes on every correction, so :class:`EntryList`
keeps, for each entry, the lines it rendered, and marks for painting only the lines
whose entry, or whose entry's state (highlighted, hovered), changed. A click is
found from the line clicked, not from a mark inside the painted line, so an entry
moved up or down by a change above it is never rendered again for that.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from reader.ui.lines import runs

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

#: rendered entries kept (a few dozen show at once)
RENDERS_KEPT = 512

NORMAL, HIGHLIGHTED, HOVER, DISABLED = "", "highlighted", "hover", "disabled"


@dataclass(frozen=True, eq=False)
class Entry:
    """One entry: its text, its ``id`` and whether it can be highlighted (a heading,
    a note or a trace of what was there cannot)."""

    prompt: Content
    id: str | None = None
    disabled: bool = False
    #: lines it takes at least (blank lines below its text): an entry that replaces
    #: another as tall keeps the entries below it where they were
    min_height: int = 0

    def shows_as(self, other: Entry) -> bool:
        """Whether ``other`` shows exactly what this entry shows."""
        return (
            self.id == other.id
            and self.disabled == other.disabled
            and self.min_height == other.min_height
            and self.prompt.is_same(other.prompt)
        )


class EntryList(ScrollView, can_focus=True):
    """Entries, one highlighted; Enter or a click selects it."""

    ALLOW_SELECT = False  # a click or a drag chooses an entry (as in Textual's OptionList)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES = {
        "entry-list--entry",
        "entry-list--highlighted",
        "entry-list--hover",
        "entry-list--disabled",
    }

    DEFAULT_CSS = """
    EntryList {
        height: 1fr;
        color: $foreground;
        background: $surface;
        overflow-x: hidden;
        & > .entry-list--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .entry-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .entry-list--disabled { color: $text-disabled; }
        & > .entry-list--hover { background: $block-hover-background; }
    }
    """

    class Highlighted(Message):
        """The highlight moved to ``entry`` (at ``index``)."""

        def __init__(self, entry_list: EntryList, entry: Entry, index: int) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.entry = entry
            self.index = index

        @property
        def control(self) -> EntryList:
            return self.entry_list

    class Selected(Highlighted):
        """Enter or a click on ``entry``."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[Entry] = []
        self._highlighted: int | None = None
        self._hover: int | None = None
        # the lines laid out: the first line of each entry, its height, at this width
        self._starts: list[int] = []
        self._heights: list[int] = []
        self._width = 0
        # kept by entry (an Entry is hashed as itself), style and width; heights at this width
        self._renders: dict[tuple[Entry, object, int], list[Strip]] = {}
        self._height_of: dict[Entry, int] = {}

    # -- what it holds -------------------------------------------------------------------
    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    def entry_at(self, index: int) -> Entry:
        return self._entries[index]

    def height_of(self, index: int) -> int:
        """The lines entry ``index`` takes (0 before the list has its size)."""
        return self._heights[index] if 0 <= index < len(self._heights) else 0

    def index_of(self, entry_id: str) -> int | None:
        for k, entry in enumerate(self._entries):
            if entry.id == entry_id:
                return k
        return None

    def set_entries(self, entries: Iterable[Entry]) -> None:
        """Show ``entries``. One that shows exactly what an entry shown now shows is
        kept (with its rendered lines); only the lines that differ are painted again.
        The highlight stays on the same entry if it is still there (else on none)."""
        old = self._entries
        by_key: dict[tuple[str | None, str], Entry] = {(e.id, e.prompt.plain): e for e in old}
        new: list[Entry] = []
        for entry in entries:
            kept = by_key.pop((entry.id, entry.prompt.plain), None)
            new.append(kept if kept is not None and kept.shows_as(entry) else entry)
        highlighted = old[self._highlighted] if self._highlighted is not None else None
        old_lines = self._line_owners()
        self._entries = new
        self._hover = None
        self._highlighted = None
        if highlighted is not None and highlighted in new:
            self._highlighted = new.index(highlighted)
        if not self._width:
            return  # laid out when the widget has its size
        self._lay_out()
        self._refresh_changed(old_lines)
        if self._highlighted is not None:  # entries above it may have grown or gone
            self.scroll_to_entry(self._highlighted)

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and not (0 <= index < len(self._entries)):
            index = None
        if index is not None and self._entries[index].disabled:
            index = None
        if index == self._highlighted:
            return
        before, self._highlighted = self._highlighted, index
        self._refresh_entry(before)
        self._refresh_entry(index)
        if index is not None:
            self.scroll_to_entry(index)
            self.post_message(self.Highlighted(self, self._entries[index], index))

    def scroll_to_entry(self, index: int) -> None:
        if not self._width or not (0 <= index < len(self._starts)):
            return
        region = Region(0, self._starts[index], self._width, self._heights[index])
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    # -- laying out and painting ---------------------------------------------------------
    def _line_owners(self) -> list[tuple[Entry, int, str]]:
        """Per line: the entry, its line and its state (what the line shows)."""
        out = []
        for k, (entry, height) in enumerate(zip(self._entries, self._heights)):
            state = self._state(k)
            out += [(entry, line, state) for line in range(height)]
        return out

    def _lay_out(self) -> None:
        width = self._width
        if len(self._height_of) > RENDERS_KEPT:
            self._height_of.clear()
        self._starts, self._heights = [], []
        total = 0
        heights = self._height_of
        for entry in self._entries:
            height = heights.get(entry)
            if height is None:
                prompt = entry.prompt
                if "\n" not in prompt.plain and prompt.cell_length <= width:
                    height = 1  # a heading or a note: nothing to wrap
                else:
                    height = max(1, prompt.get_height(cast("RulesMap", self.styles), width))
                height = heights[entry] = max(height, entry.min_height)
            self._starts.append(total)
            self._heights.append(height)
            total += height
        size = Size(width, total)
        if size != self.virtual_size:
            self.virtual_size = size

    def _refresh_changed(self, old: list[tuple[Entry, int, str]]) -> None:
        """Mark for painting the lines that show something else than ``old`` did."""
        new = self._line_owners()
        changed = [
            y
            for y in range(max(len(old), len(new)))
            if y >= len(old)
            or y >= len(new)
            or old[y] != new[y]  # an Entry is equal only to itself
        ]
        for first, end in runs(changed):
            self.refresh_lines(first, end - first)

    def _refresh_entry(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self._starts):
            self.refresh_lines(self._starts[index], self._heights[index])

    def _state(self, index: int) -> str:
        if self._entries[index].disabled:
            return DISABLED
        if index == self._highlighted:
            return HIGHLIGHTED
        if index == self._hover:
            return HOVER
        return NORMAL

    def _entry_at_line(self, line: int) -> int | None:
        k = bisect_right(self._starts, line) - 1
        if k < 0 or k >= len(self._entries) or line >= self._starts[k] + self._heights[k]:
            return None
        return k

    def _rendered(self, index: int, state: str) -> list[Strip]:
        entry, width = self._entries[index], self._width
        names = ("entry-list--entry",) + ((f"entry-list--{state}",) if state else ())
        style = self.get_visual_style(*names)
        key = (entry, style, width)
        strips = self._renders.get(key)
        if strips is None:
            if len(self._renders) > RENDERS_KEPT:
                self._renders.clear()
            strips = Visual.to_strips(self, entry.prompt, width, None, style)
            strips = [strip.extend_cell_length(width, style.rich_style) for strip in strips]
            strips += [Strip.blank(width, style.rich_style)] * (entry.min_height - len(strips))
            self._renders[key] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        self._ensure_laid_out()
        line = self.scroll_offset.y + y
        k = self._entry_at_line(line)
        if k is None:
            return Strip.blank(self._width, self.get_visual_style("entry-list--entry").rich_style)
        strips = self._rendered(k, self._state(k))
        offset = line - self._starts[k]
        if offset < len(strips):
            return strips[offset]
        return Strip.blank(self._width, self.get_visual_style("entry-list--entry").rich_style)

    def _ensure_laid_out(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self._renders.clear()
            self._height_of.clear()
            self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_laid_out()
        self.refresh()
        if self._highlighted is not None:  # the cursor stays in sight
            self.call_after_refresh(self.scroll_to_entry, self._highlighted)

    def notify_style_update(self) -> None:
        self._renders.clear()
        self._height_of.clear()
        super().notify_style_update()

    # -- keys and the mouse --------------------------------------------------------------
    def _enabled(self, indexes: Iterable[int]) -> int | None:
        return next((k for k in indexes if not self._entries[k].disabled), None)

    def action_cursor_down(self) -> None:
        start = -1 if self._highlighted is None else self._highlighted
        found = self._enabled(range(start + 1, len(self._entries)))
        if found is not None:
            self.highlighted = found

    def action_cursor_up(self) -> None:
        if self._highlighted is None:
            self.action_last()
            return
        found = self._enabled(range(self._highlighted - 1, -1, -1))
        if found is not None:
            self.highlighted = found

    def action_first(self) -> None:
        self.highlighted = self._enabled(range(len(self._entries)))

    def action_last(self) -> None:
        self.highlighted = self._enabled(range(len(self._entries) - 1, -1, -1))

    def _move_page(self, direction: int) -> None:
        if self._highlighted is None or not self._starts:
            (self.action_first if direction > 0 else self.action_last)()
            return
        page = max(1, self.scrollable_content_region.height)
        total = self._starts[-1] + self._heights[-1]
        line = min(max(self._starts[self._highlighted] + direction * page, 0), total - 1)
        at = self._entry_at_line(line)
        if at is None:
            return
        if at == self._highlighted:  # an entry taller than the view: on to the next one
            at = min(max(at + direction, 0), len(self._entries) - 1)
        ahead = range(at, len(self._entries)) if direction > 0 else range(at, -1, -1)
        behind = range(at, -1, -1) if direction > 0 else range(at, len(self._entries))
        found = self._enabled(ahead)
        self.highlighted = found if found is not None else self._enabled(behind)

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_select(self) -> None:
        k = self._highlighted
        if k is not None:
            self.post_message(self.Selected(self, self._entries[k], k))

    def _entry_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return self._entry_at_line(self.scroll_offset.y + offset.y)

    def on_click(self, event: events.Click) -> None:
        k = self._entry_under(event)
        if k is not None and not self._entries[k].disabled:
            self.highlighted = k
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._entry_under(event))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            before, self._hover = self._hover, index
            self._refresh_entry(before)
            self._refresh_entry(index)
