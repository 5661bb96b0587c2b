"""Every key of the reading view, in one table: the bindings and the help screen both
come from here, so the help can never miss a key. Each binding has an ``id`` so a
keymap can remap it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma separated
    action: str
    description: str  # short: the footer
    help: str  # long: the help screen
    id: str
    show: bool = False
    shown_keys: str = ""  # how the help screen writes the keys


APP_KEYS = [
    Key("q", "quit", "Quit", "Quit (closes a dialog first)", "app.quit", True),
    Key("question_mark,f1", "help", "Help", "This help", "app.help", True, "? F1"),
    Key("tab", "focus_next", "Next pane", "Focus the next pane", "pane.focus_next", False, "tab"),
    Key(
        "shift+tab",
        "focus_previous",
        "Previous pane",
        "Focus the previous pane",
        "pane.focus_previous",
        False,
        "shift+tab",
    ),
    Key("escape", "cancel", "Cancel", "", "app.cancel_load", False, "Esc"),
    *[
        Key(str(i), f"focus_pane({i - 1})", f"Pane {i}", "", f"pane.focus_{i}")
        for i in range(1, 10)
    ],
]

PANE_KEYS = [
    Key("j,down", "move(1)", "Next", "Next sentence", "sentence.next", False, "j ↓"),
    Key("k,up", "move(-1)", "Previous", "Previous sentence", "sentence.previous", False, "k ↑"),
    Key(
        "J,right_square_bracket",
        "shared(1)",
        "Shared",
        "Next sentence shared with another source",
        "shared.next",
        True,
        "J ]",
    ),
    Key(
        "K,left_square_bracket",
        "shared(-1)",
        "Previous shared",
        "Previous sentence shared with another source",
        "shared.previous",
        False,
        "K [",
    ),
    Key("u", "unique(1)", "Unique", "Next sentence unique to this pane", "unique.next", True, "u"),
    Key(
        "U",
        "unique(-1)",
        "Previous unique",
        "Previous sentence unique to this pane",
        "unique.previous",
        False,
        "U",
    ),
    Key("g,home", "edge(0)", "Top", "First sentence", "sentence.first", False, "g Home"),
    Key("G,end", "edge(1)", "Bottom", "Last sentence", "sentence.last", False, "G End"),
    Key(
        "ctrl+d",
        "page(0.5)",
        "Half page down",
        "Half a page down",
        "page.half_down",
        False,
        "ctrl+d",
    ),
    Key("ctrl+u", "page(-0.5)", "Half page up", "Half a page up", "page.half_up", False, "ctrl+u"),
    Key("space,pagedown", "page(1)", "Page down", "A page down", "page.down", False, "space PgDn"),
    Key("b,pageup", "page(-1)", "Page up", "A page up", "page.up", False, "b PgUp"),
    Key("slash", "app.search", "Search", "Search all sources (fuzzy)", "search.open", True, "/"),
    Key("n", "app.search_step(1)", "Next match", "Next search match", "search.next", False, "n"),
    Key(
        "N",
        "app.search_step(-1)",
        "Previous match",
        "Previous search match",
        "search.previous",
        False,
        "N",
    ),
    Key("s", "app.toggle_sync", "Sync", "Sync scrolling on/off", "view.sync", True, "s"),
    Key("p", "app.pick_panes", "Panes", "Choose which sources are shown", "view.panes", False, "p"),
    Key("x", "app.hide_pane", "Hide", "Hide this pane", "view.hide", False, "x"),
    Key(
        "f",
        "app.cycle_filter",
        "Filter",
        "Filter: shared sentences only → unique only → all (the rest folded)",
        "view.filter",
        False,
        "f",
    ),
    Key(
        "C",
        "app.compare",
        "Compare",
        "Compare this pane with one chosen, side by side (C again: as before)",
        "view.compare",
        False,
        "C",
    ),
]

#: Marking and exporting (bound on the pane, like every letter key).
MARK_KEYS = [
    Key(
        "m",
        "app.mark",
        "Mark",
        "Mark this sentence and its counterparts (visual: the run); on a mark: unmark",
        "marks.mark",
        True,
        "m",
    ),
    Key(
        "v",
        "visual",
        "Visual",
        "Visual mode: j/k select a run, m/Enter marks it, Esc cancels",
        "marks.visual",
        False,
        "v",
    ),
    Key("enter", "app.mark_run", "Mark run", "", "marks.visual_mark", False, "Enter"),
    Key("escape", "visual_cancel", "Cancel visual", "", "marks.visual_cancel", False, "Esc"),
    Key(
        "a",
        "app.annotate",
        "Note",
        "Note and colour of the mark here (marks it first)",
        "marks.annotate",
        False,
        "a",
    ),
    Key("M", "app.mark_step(1)", "Next mark", "Next mark in this pane", "marks.next", False, "M"),
    Key(
        "apostrophe",
        "app.mark_step(-1)",
        "Previous mark",
        "Previous mark in this pane",
        "marks.previous",
        False,
        "'",
    ),
    Key(
        "ctrl+z",
        "app.undo",
        "Undo",
        "Undo the last change: a mark made or removed, a link or unlink (any pane)",
        "edit.undo",
        False,
        "ctrl+z",
    ),
    Key("ctrl+y", "app.redo", "Redo", "Redo the last change undone", "edit.redo", False, "ctrl+y"),
    Key(
        "l",
        "app.toggle_marks_panel",
        "Marks",
        "Marks panel: Enter jumps, a edits, d removes, Esc closes",
        "marks.panel",
        True,
        "l",
    ),
    Key(
        "y",
        "app.copy",
        "Copy",
        "Copy the sentence or mark, with its source (OSC 52)",
        "marks.copy",
        False,
        "y",
    ),
    Key(
        "e",
        "app.export",
        "Export",
        "Export marks or shared passages: md, json, csv, html",
        "export.open",
        True,
        "e",
    ),
]

#: The alignment itself: how strict a counterpart is, and why two sentences are linked.
ALIGN_KEYS = [
    Key(
        "c",
        "app.cycle_strictness",
        "Strictness",
        "Cycle strictness: strict → normal → loose (what a counterpart is)",
        "alignment.strictness",
        False,
        "c",
    ),
    Key(
        "h",
        "app.cycle_words",
        "Words",
        "Words marked in linked sentences: auto → matches → differences → none",
        "alignment.words",
        False,
        "h",
    ),
    Key(
        "r",
        "app.align_again",
        "Align",
        "Align again (after Esc stopped the alignment, or it failed)",
        "alignment.again",
        False,
        "r",
    ),
    Key(
        "w",
        "app.why",
        "Why",
        "Why linked: counterparts and related sentences, with confidence; d there unlinks",
        "alignment.why",
        True,
        "w",
    ),
    Key(
        "L",
        "app.link",
        "Link",
        "Link from here: move to a sentence in another pane (any move, search too), "
        "then L or Enter links them; Esc cancels",
        "corrections.link",
        False,
        "L",
    ),
]

HELP_EXTRA = [
    ("1-9", "Focus pane N (shows a hidden source in place of the oldest pane)"),
    ("ctrl+p", "Command palette (themes, panes, sync, search, strictness, marks, export)"),
    ("mouse", "Wheel scrolls, click picks a sentence, click the strip at the right to jump"),
    (
        "Esc",
        "Close a dialog, the search box or visual mode; cancels a pending link; "
        "stops a running alignment",
    ),
    ("◆", "In the gutter: a link you made (a computed counterpart shows ▌)"),
]


def bindings(keys: list[Key]) -> list[BindingType]:
    return [Binding(k.keys, k.action, k.description, show=k.show, id=k.id) for k in keys]


def help_rows(keymap: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(section, keys, text) for the help screen, every key included; keys remapped in
    ``keymap`` (binding id -> keys) shown as remapped."""
    keymap = keymap or {}

    def shown(k: Key) -> str:
        if k.id in keymap:
            return " ".join(keymap[k.id].replace(" ", "").split(","))
        return k.shown_keys or k.keys

    rows = [("Moving", shown(k), k.help) for k in PANE_KEYS[:12]]
    rows += [("Views", shown(k), k.help) for k in PANE_KEYS[12:]]
    rows += [("Alignment", shown(k), k.help) for k in ALIGN_KEYS]
    rows += [("Marks", shown(k), k.help) for k in MARK_KEYS if k.help]
    rows += [("App", shown(k), k.help) for k in APP_KEYS if k.help]
    rows += [("App", keys, text) for keys, text in HELP_EXTRA]
    return rows
