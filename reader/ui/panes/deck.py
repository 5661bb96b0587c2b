"""The row of panes, and the one owner of "where we are".

A pane the user moves posts :class:`~reader.ui.messages.Moved`; :meth:`PaneDeck.move_to`
sets the leader's current sentence and then scrolls every other pane (no animation,
inside ``batch_update``) so the counterpart of the current sentence sits on the same
screen row. Followers never post anything back, so there is no feedback loop.

The deck also decides which panes are shown: as many as fit at
:data:`MIN_PANE_WIDTH` columns, most recently used first, less the ones the reader
hid. What it shows comes down from the app: the sources, the alignment at the
strictness shown, search hits and marks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal

from reader.core.alignment.links import BY_USER
from reader.core.alignment.model import Alignment
from reader.core.text.segment import Source
from reader.ui.messages import Moved, Resized, StatusNote
from reader.ui.panes.levels import Prepared
from reader.ui.panes.pane import SourcePane
from reader.ui.panes.view import SentenceView

if TYPE_CHECKING:
    from reader.core.alignment.navigation import WordComparison

#: Narrowest pane worth reading in; more sources than fit are hidden, never squashed.
MIN_PANE_WIDTH = 30
#: word comparisons of two sentences kept
COMPARED_KEPT = 4096


class PaneDeck(Horizontal):
    """One :class:`SourcePane` per source, lined up on the leader's current sentence.

    ``reserved``: the columns the screen gives to something else beside the deck now
    (the marks panel); ``activity``: called on every move (the app's idle collector)."""

    def __init__(
        self,
        *,
        reserved: Callable[[], int] = lambda: 0,
        activity: Callable[[], None] = lambda: None,
        position: Callable[[int, int, int], None] = lambda sentence, total, hidden: None,
        user_moved: Callable[[], None] = lambda: None,
        **kwargs,
    ) -> None:
        """``position``: told (sentence, sentences, hidden sources) of the leader after
        every move; ``user_moved``: told when the reader moves (not a resync)."""
        super().__init__(**kwargs)
        self.reserved = reserved
        self.activity = activity
        self.position = position
        self.on_user_move = user_moved
        self.sources: list[Source] = []
        self.panes: list[SourcePane] = []
        self.alignment: Alignment | None = None  # at the strictness shown
        self.sync_on = True
        self._leader = 0
        self.anchor_row = 0
        self.priority: list[int] = []  # most recently focused first
        self.hidden: set[int] = set()  # hidden by the user
        self.shown: list[int] = []
        self._resync_pending = False
        # every pane opens at its own first line; the panes follow the leader from the
        # reader's first move (a key, a click, a jump) on
        self.following = False
        self.word_mode = "auto"  # what the words show (navigation.WORD_MODES)
        self.filter = "all"  # all | shared | unique: what the panes show (f)
        self._compare: tuple[set[int], list[int]] | None = None  # hidden, priority before
        # the words of two sentences compared (a correction, or a return to a sentence,
        # lines up the same pairs again): (a, i, b, j, their languages) -> comparison
        self._compared: dict[tuple[object, ...], WordComparison] = {}

    # -- what the app gives the panes ------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The panes of sources given before the deck was mounted (:meth:`take`)."""
        yield from self.panes

    def take(self, sources: Sequence[Source]) -> None:
        """A pane per source, not mounted yet: the deck's compose yields them (the panes
        are in the screen's first layout) or :meth:`show_sources` mounts them."""
        self.sources = list(sources)
        self.priority = list(range(len(self.sources)))
        self.panes = [SourcePane(src, i, self.user_moved) for i, src in enumerate(self.sources)]

    def sources_shown(self) -> None:
        """The panes are mounted: light the leader, show as many as fit."""
        self.leader = self._leader
        self.apply_visibility()

    async def show_sources(self, sources: Sequence[Source]) -> None:
        """A pane per source (awaited: the first pane can take the focus at once)."""
        self.take(sources)
        await self.mount(*self.panes)
        self.sources_shown()

    @property
    def leader(self) -> int:
        """The pane the reader works in (focused, unless a dialog or the marks panel
        has the focus): its title is lit and marked ``▶``."""
        return self._leader

    @leader.setter
    def leader(self, index: int) -> None:
        old, self._leader = self._leader, index
        if old != index and old < len(self.panes):
            self.panes[old].set_leader(False)
        if index < len(self.panes):
            self.panes[index].set_leader(True)

    @property
    def leader_view(self) -> SentenceView | None:
        return self.panes[self.leader].view if self.panes else None

    def set_level(self, prepared: Prepared, resync: bool = True) -> None:
        """Shade, title and strip every pane by ``prepared`` (no aligning, no
        re-classifying), then line them up again."""
        self.alignment = prepared.alignment
        with self.app.batch_update():
            for pane in self.panes:
                pane.set_alignment(prepared.alignment, prepared.kinds[pane.index])
            if self.filter != "all":  # the shading changed: so did what the filter keeps
                self._apply_filter()
            if resync:
                self.resync()

    def patch_level(self, prepared: Prepared) -> None:
        """``prepared`` differs from what is shown by a correction: re-shade the
        sentences it touched (``prepared.touched``), then line the panes up again."""
        self.alignment = prepared.alignment
        with self.app.batch_update():
            for pane in self.panes:
                pane.patch_alignment(
                    prepared.alignment,
                    prepared.kinds[pane.index],
                    prepared.touched.get(pane.index, frozenset()),
                )
            if self.filter != "all":  # the shading changed: so did what the filter keeps
                self._apply_filter()
            self.resync()

    def set_hits(self, per_source: dict[int, dict[int, list[tuple[int, int]]]]) -> None:
        """Search matches: for each source, sentence -> the spans that matched."""
        for pane in self.panes:
            pane.view.set_hits(per_source.get(pane.index, {}))

    def set_marked(self, per_source: Sequence[dict[int, str]]) -> None:
        for pane in self.panes:
            pane.view.set_marked(per_source[pane.index] if pane.index < len(per_source) else {})

    def cycle_filter(self) -> str | None:
        """all → shared → unique → all (f): the sentences the others share only, or
        the unique ones only; the rest is folded to one row per run. None without an
        alignment (nothing to filter by)."""
        if self.alignment is None:
            return None
        order = ("all", "shared", "unique")
        self.filter = order[(order.index(self.filter) + 1) % len(order)]
        self._apply_filter()
        return self.filter

    def _apply_filter(self) -> None:
        from reader.ui.panes.rows import ALL, SOME, UNIQUE

        keep = {"shared": (ALL, SOME), "unique": (UNIQUE,)}.get(self.filter)
        with self.app.batch_update():
            for pane in self.panes:
                view = pane.view
                kinds = view.kinds or []
                hidden = (
                    frozenset(k for k, kind in enumerate(kinds) if kind not in keep)
                    if keep is not None
                    else frozenset()
                )
                view.set_hidden(hidden)
                if view.current in hidden:
                    found = view.visible_from(view.current, 1)
                    if found is None:
                        found = view.visible_from(view.current, -1)
                    if found is not None:
                        view.current = found
            self.resync()

    def compare(self, other: int) -> None:
        """Show the leader's pane and ``other`` side by side, the rest hidden (C); the
        panes shown before come back with :meth:`end_compare`."""
        if self._compare is None:
            self._compare = (set(self.hidden), list(self.priority))
        leader = self.leader
        self.choose([leader, other])
        self.leader = leader
        self.call_after_refresh(self.panes[leader].view.focus)

    @property
    def comparing(self) -> bool:
        return self._compare is not None

    def end_compare(self) -> None:
        if self._compare is None:
            return
        self.hidden, self.priority = self._compare
        self._compare = None
        self.apply_visibility()
        self.request_resync()

    def cycle_words(self) -> str:
        """The next of auto → matches → differences → none (h); returns it."""
        from reader.core.alignment.navigation import WORD_MODES

        self.word_mode = WORD_MODES[(WORD_MODES.index(self.word_mode) + 1) % len(WORD_MODES)]
        self.resync()
        return self.word_mode

    def toggle_sync(self) -> bool:
        self.sync_on = not self.sync_on
        self.resync()
        return self.sync_on

    # -- which panes are shown -----------------------------------------------------------
    def capacity(self) -> int:
        width = self.screen.size.width - self.reserved()
        return max(1, width // MIN_PANE_WIDTH)

    def apply_visibility(self) -> None:
        if not self.panes:
            return
        wanted = [i for i in self.priority if i not in self.hidden] or [self.leader]
        shown = sorted(wanted[: self.capacity()])
        if shown == self.shown:
            return
        self.shown = shown
        for i, pane in enumerate(self.panes):
            pane.display = i in shown
        first = True
        for i in shown:
            self.panes[i].set_class(first, "-first")
            first = False
        if self.leader not in shown:
            self.leader = shown[0]
            if self.panes[self.leader].view.app is not None:
                self.call_after_refresh(self.panes[self.leader].view.focus)
        self.request_resync()

    def show_source(self, index: int) -> None:
        """Bring source ``index`` on screen (replacing the least recently used pane)."""
        if index in self.priority:
            self.priority.remove(index)
        self.priority.insert(0, index)
        self.hidden.discard(index)
        self.apply_visibility()

    def choose(self, chosen: list[int]) -> None:
        """Show the sources ``chosen`` (the pane picker), the others hidden."""
        self.hidden = set(range(len(self.panes))) - set(chosen)
        self.priority = chosen + [i for i in self.priority if i not in chosen]
        if self.leader not in chosen:
            self.leader = chosen[0]
        self.apply_visibility()
        self.call_after_refresh(self.panes[self.leader].view.focus)

    def hide_leader(self) -> bool:
        """Hide the leader's pane; False when it is the only one shown."""
        if len(self.shown) <= 1:
            return False
        self.hidden.add(self.leader)
        rest = [i for i in self.shown if i != self.leader]
        self.leader = rest[0]
        self.apply_visibility()
        self.call_after_refresh(self.panes[self.leader].view.focus)
        return True

    def focus_leader(self) -> None:
        """Give the focus back to the leader pane at once. A deferred ``focus()`` could
        run after a search result has already moved the focus to the hit's pane, and
        pull it back (and the position with it)."""
        if self.panes:
            self.screen.set_focus(self.panes[self.leader].view)

    def on_resized(self, message: Resized) -> None:
        message.stop()
        self.apply_visibility()
        self.request_resync()

    def request_resync(self) -> None:
        if not self._resync_pending:
            self._resync_pending = True
            self.call_after_refresh(self.resync)

    def resync(self) -> None:
        self._resync_pending = False
        if not self.panes:
            return
        view = self.panes[self.leader].view
        self.move_to(self.leader, view.current, self.anchor_row)

    # -- the one owner of the position -----------------------------------------------------
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        # A focus event can arrive after the focus has moved on (a search jump focuses
        # the hit's pane right after the search box gave the focus back): ignore it.
        # `screen.focused` is the truth now; `has_focus` follows the Focus/Blur events,
        # which are still queued, so it would let the stale event through.
        if widget is not self.screen.focused:
            return
        if isinstance(widget, SentenceView) and widget.index != self.leader:
            self.leader = widget.index
            if widget.index in self.priority:
                self.priority.remove(widget.index)
            self.priority.insert(0, widget.index)
            row = max(0, min(widget.size.height - 1, widget.screen_row(widget.current)))
            self.move_to(widget.index, widget.current, row)
            pane = self.panes[widget.index]
            if pane.title_bar.shortened:  # its title could not show the whole name
                self.post_message(
                    StatusNote(f"pane {widget.index + 1}: {pane.source.name}", transient=True)
                )

    def on_moved(self, message: Moved) -> None:
        message.stop()
        self.user_moved(message.source, message.sentence, message.screen_row)

    def user_moved(self, source: int, sentence: int, screen_row: int | None = None) -> None:
        """The reader moved pane ``source`` (a key, the wheel, a click). Called by the
        view as the key is handled, not through a message: the next key of a burst
        (``jjjjj``, ``j m``) then starts from where this one landed, and a frame is
        painted only when the keys stop coming (Textual refreshes on idle)."""
        if source != self.leader:
            self.leader = source
        self.following = True
        self.on_user_move()
        self.move_to(source, sentence, screen_row)

    def _words(self, a: Source, i: int, b: Source, j: int) -> WordComparison:
        """:func:`compare_words`, kept (a few thousand pairs)."""
        from reader.core.alignment.navigation import compare_words

        key = (a, i, b, j, a.lang, b.lang)
        found = self._compared.get(key)
        if found is None:
            if len(self._compared) >= COMPARED_KEPT:
                self._compared.clear()
            found = self._compared[key] = compare_words(a, i, b, j)
        return found

    def move_to(self, source: int, sentence: int, screen_row: int | None = None) -> None:
        """Make ``sentence`` of ``source`` current and line every shown pane up with it."""
        if not self.panes:
            return
        from reader.core.alignment.navigation import word_spans

        self.activity()

        if source not in self.shown:
            self.show_source(source)
        self.leader = source
        leader = self.panes[source].view
        leader.relayout()
        if not len(leader.source):
            return
        sentence = max(0, min(len(leader.source) - 1, sentence))
        if leader.wrapped is None:
            # a pane just shown (a hidden source reached from the why view, search, 1-9)
            # has no size yet: keep the sentence; its first resize lines the panes up on it
            leader.current = sentence
            self.position(sentence, len(leader.source), len(self.panes) - len(self.shown))
            return
        self.position(sentence, len(leader.source), len(self.panes) - len(self.shown))
        top = leader.row_of(sentence)
        row = leader.natural_row(sentence) if screen_row is None else screen_row
        row = max(0, min(row, leader.size.height - 1, top))
        al = self.alignment
        followers: list[
            tuple[
                SentenceView,
                int | None,
                bool,
                dict[int, list[tuple[int, int]]],
                frozenset[int],
                frozenset[int],
            ]
        ] = []
        pairs = []  # the words compared with every counterpart shown
        by_user = False  # the current sentence has a link the reader made
        for i in self.shown:
            if i == source:
                continue
            view = self.panes[i].view
            view.relayout()
            if al is None or view.wrapped is None or not len(view.source):
                followers.append((view, None, False, {}, frozenset(), frozenset()))
                continue
            j, found = al.locate(source, sentence, i)  # counterparts only
            marks: dict[int, list[tuple[int, int]]] = {}
            user: set[int] = set()  # linked by the reader
            for c in al.counterparts(source, sentence):
                if c.source == i:
                    pairs.append(
                        (
                            marks,
                            c.sentence,
                            self._words(leader.source, sentence, view.source, c.sentence),
                        )
                    )
                    marks[c.sentence] = []
                    if c.by == BY_USER:
                        user.add(c.sentence)
            by_user = by_user or bool(user)
            # related sentences get a quiet mark where they are; they never move a pane
            related = frozenset(c.sentence for c in al.related(source, sentence) if c.source == i)
            followers.append((view, j, found, marks, related, frozenset(user)))
            if self.sync_on and self.following:
                row = min(row, view.row_of(j))
        self.anchor_row = row
        kind, mine, theirs = word_spans([p for _m, _k, p in pairs], self.word_mode)
        for (marks, k, _p), spans in zip(pairs, theirs):
            marks[k] = spans
        with self.app.batch_update():
            for view, *_rest in followers:
                view.word_kind = kind
            leader.word_kind = kind
            if al is not None and not by_user:  # a link to a source whose pane is hidden
                by_user = any(c.by == BY_USER for c in al.counterparts(source, sentence))
            leader.set_highlight(
                {sentence: mine} if al else {},
                None,
                True,
                corrected=frozenset({sentence}) if by_user else frozenset(),
            )
            leader.show_sentence(sentence, row)
            for view, target, found, marks, related, by_reader in followers:
                if target is None:
                    view.set_highlight({}, None, False)
                    continue
                follow = self.sync_on and self.following
                view.set_highlight(
                    marks, None if found or not follow else target, False, related, by_reader
                )
                if follow:
                    view.show_sentence(target, row)
                self.panes[view.index].set_note(
                    "" if found or not follow else "no counterpart here ▸"
                )
            self.panes[source].set_note("")

    def jump_to(self, source: int, sentence: int) -> None:
        """Show ``source``, give its pane the focus and make ``sentence`` current there.
        The focus moves synchronously: a focus event still queued for the old pane (the
        search box or a dialog gave it the focus back) then finds it unfocused and is
        ignored; a deferred ``focus()`` would let that stale event make the old pane the
        leader again."""
        self.show_source(source)
        self.leader = source
        self.following = True
        view = self.panes[source].view
        if self.screen.focused is not view:  # has_focus lags behind (set by events)
            self.screen.set_focus(view)
        self.move_to(source, sentence)
