"""The reader's settings in the app: which of the settings file's choices can be used
(a theme that exists, binding ids that exist), and writing back the choices the reader
makes in the app (the theme, sync, strictness, words, the export format), in a thread.

:class:`Preferences` is a widget that draws nothing (like the aligner and the marks
keeper): it holds the :class:`~reader.settings.Settings`; the app applies them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import work
from textual.widget import Widget

from reader.settings import Settings
from reader.ui.search import SearchBar


def binding_ids() -> set[str]:
    """Every binding id a ``[keymap]`` may remap: the panes', the app's and those of
    the search box, the marks panel and the dialogs."""
    from textual.binding import Binding

    from reader.ui.dialogs.export import ExportDialog
    from reader.ui.dialogs.help import HelpScreen
    from reader.ui.dialogs.picker import PanePicker
    from reader.ui.dialogs.why import ReasonList, WhyScreen
    from reader.ui.keys import ALIGN_KEYS, APP_KEYS, MARK_KEYS, PANE_KEYS
    from reader.ui.marks.editor import MarkEditor
    from reader.ui.marks.panel import MarkList

    ids = {k.id for k in (*APP_KEYS, *PANE_KEYS, *MARK_KEYS, *ALIGN_KEYS)}
    for cls in (ExportDialog, HelpScreen, PanePicker, ReasonList, WhyScreen, MarkEditor,
                MarkList, SearchBar):  # fmt: skip
        ids.update(b.id for b in cls.BINDINGS if isinstance(b, Binding) and b.id)
    return ids


class Preferences(Widget):
    DEFAULT_CSS = """
    Preferences { display: none; }
    """

    def __init__(self, settings: Settings | None = None, **kwargs) -> None:
        """``settings``: as read from the file (default: the defaults, saved nowhere)."""
        super().__init__(**kwargs)
        self.settings = settings if settings is not None else Settings()

    def usable(self, themes: Iterable[str]) -> tuple[str | None, dict[str, str], str | None]:
        """``(theme, keymap, problem)``: the theme if one of ``themes``, the keymap's
        entries whose binding ids exist, and one line on what cannot be used."""
        settings = self.settings
        problems = []
        theme = settings.theme
        if theme and theme not in set(themes):
            problems.append(f"no theme called {theme!r}")
            theme = None
        keymap = dict(settings.keymap)
        unknown = sorted(set(keymap) - binding_ids()) if keymap else []
        if unknown:
            problems.append(f"no binding with the id {', '.join(unknown)} (ids: see ?)")
            keymap = {k: v for k, v in keymap.items() if k not in unknown}
        problem = f"settings {settings.path or ''}: " + "; ".join(problems) if problems else None
        return theme, keymap, problem

    def remember(self, **choices: object) -> None:
        """Write choices made in the app to the settings file (in a thread); nothing
        when the settings came from no file."""
        if self.settings.path is not None:
            self._save(self.settings.path, choices)

    @work(thread=True, exit_on_error=False, group="settings")
    def _save(self, path: Path, choices: dict[str, object]) -> None:
        from reader.settings import save_choices

        try:
            save_choices(path, **choices)
        except (OSError, ValueError) as exc:
            self.app.call_from_thread(
                self.app.notify,
                f"cannot save the settings to {path}: {exc}",
                title="settings",
                severity="warning",
                timeout=8,
            )
