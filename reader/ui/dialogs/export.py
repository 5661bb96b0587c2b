"""The export dialog (``e``): format, destination, and marks or shared passages.

The file is written in a thread worker (the core's :func:`write_export`: a temporary
file renamed into place, never over an existing file unless forced). An existing
file is only replaced after an explicit second step (the button turns into
"Overwrite"); any error is shown in the dialog, which stays open with everything the
user typed, so nothing is lost. Returns the written path, or None.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static

from reader.core.export.render import FORMAT_NAMES, FORMATS
from reader.ui.dialogs.compact import CompactWhenShort
from reader.ui.literal import safe_content
from reader.ui.safe_input import SafeInput

#: terminal columns below which the formats are named short (md json csv html)
NARROW_BELOW = 60


def default_path(folder: Path, fmt: str, matches: bool) -> Path:
    """``reader-marks.<fmt>`` (or ``reader-matches.<fmt>``) in ``folder``; a numbered
    name when that file already exists."""
    stem = "reader-matches" if matches else "reader-marks"
    path = folder / f"{stem}.{fmt}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.{fmt}"
        n += 1
    return path


class ExportDialog(CompactWhenShort, ModalScreen[tuple[Path, str] | None]):
    DEFAULT_CSS = """
    ExportDialog {
        align: center middle;
        & > Vertical {
            width: 90%;
            max-width: 90;
            min-width: 40;
            height: auto;
            max-height: 95%;
            border: round $accent;
            border-title-color: $accent;
            background: $surface;
            padding: 0 1;
        }
        & .export-label { height: 1; text-style: bold; }
        & RadioSet { layout: horizontal; height: auto; width: 1fr;
                     overflow-x: auto; scrollbar-size-horizontal: 0; }
        & RadioSet > RadioButton { width: auto; margin: 0 1 0 0; }
        & Checkbox { margin: 1 0 0 0; }
        & Input { margin: 0 0 0 0; }
        & .export-hint { color: $text-muted; height: auto; }
        & #export-error { color: $text-error; text-style: bold; height: auto; }
        & #export-error.-warning { color: $text-warning; }
        & .export-buttons { height: auto; align-horizontal: right; margin: 1 0 0 0; }
        & .export-buttons Button { margin: 0 0 0 1; }
        &.-compact Checkbox, &.-compact .export-buttons { margin: 0; }
        &.-compact .export-keys { display: none; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    class Done(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Failed(Message):
        def __init__(self, text: str, exists: bool = False) -> None:
            super().__init__()
            self.text = text
            self.exists = exists

    def __init__(
        self,
        folder: Path,
        n_marks: int,
        build: Callable[[str, bool], str],
        fmt: str = FORMATS[0],
        base: Path | None = None,
    ) -> None:
        """``folder``: where the default file goes; ``base``: what a relative path
        typed is read against (the sources' folder; default ``folder``); ``fmt``: the
        format ticked first."""
        super().__init__()
        # absolute: the default path is shown in full, and a relative one typed is read
        # against it (a relative folder would be joined to itself: story/story/...)
        self.folder = folder.absolute()
        self.base = (base or folder).absolute()
        self.first_format = fmt if fmt in FORMATS else FORMATS[0]
        self.n_marks = n_marks
        self.build = build
        self.busy = False
        self.confirm_overwrite: Path | None = None  # armed by a first Export on a file
        self._auto = ""  # the path we filled in (replaced when the format changes)

    # -- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "export"
            yield Static(Content("Format"), classes="export-label")
            with RadioSet(id="export-format"):
                for fmt in FORMATS:
                    yield RadioButton(
                        Content(FORMAT_NAMES[fmt]), value=fmt == self.first_format, id=f"fmt-{fmt}"
                    )
            yield Checkbox(
                Content("Shared passages instead of marks"),
                value=self.n_marks == 0,
                id="export-matches",
            )
            marks = (
                f"{self.n_marks} mark(s) to export"
                if self.n_marks
                else "no marks yet: exporting the passages the sources share verbatim"
            )
            yield Static(Content(marks), classes="export-hint", id="export-what")
            yield Static(
                Content("File (relative paths are next to the sources)"), classes="export-label"
            )
            yield SafeInput(id="export-path")
            yield Static(Content(""), id="export-error")
            with Horizontal(classes="export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")
            yield Static(
                Content(
                    "Enter exports · an existing file is only replaced after "
                    "you confirm · Esc cancels"
                ),
                classes="export-hint export-keys",
            )

    def on_mount(self) -> None:
        self._set_default_path()
        self.query_one(Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        # every format on one row: the short names where the long ones would not fit
        short = event.size.width < NARROW_BELOW
        for fmt in FORMATS:
            button = self.query_one(f"#fmt-{fmt}", RadioButton)
            button.label = Content(fmt if short else FORMAT_NAMES[fmt])

    # -- state ----------------------------------------------------------------------
    @property
    def fmt(self) -> str:
        index = self.query_one(RadioSet).pressed_index
        return FORMATS[index] if 0 <= index < len(FORMATS) else FORMATS[0]

    @property
    def matches(self) -> bool:
        return self.query_one(Checkbox).value

    def _set_default_path(self) -> None:
        self._auto = str(default_path(self.folder, self.fmt, self.matches))
        self.query_one(Input).value = self._auto

    def _show(self, text: str, warning: bool = False) -> None:
        error = self.query_one("#export-error", Static)
        error.update(safe_content(text))  # paths and file names, literally
        error.set_class(warning, "-warning")

    def _disarm(self) -> None:
        if self.confirm_overwrite is not None:
            self.confirm_overwrite = None
            button = self.query_one("#export-go", Button)
            button.label = "Export"
            button.variant = "primary"
            self._show("")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._refresh_defaults()
        self.query_one(Input).focus()  # where Enter exports

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        what = self.query_one("#export-what", Static)
        if self.matches:
            what.update(
                Content("exporting the shared passages, each with every source it appears in")
            )
        else:
            what.update(Content(f"{self.n_marks} mark(s) to export"))
        self._refresh_defaults()

    def _refresh_defaults(self) -> None:
        if self.query_one(Input).value in ("", self._auto):
            self._set_default_path()
        self._disarm()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.confirm_overwrite is not None and self._target() != self.confirm_overwrite:
            self._disarm()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-go":
            self.action_export()
        else:
            self.action_cancel()

    def _target(self) -> Path | None:
        raw = self.query_one(Input).value.strip()
        if not raw:
            return None
        path = Path(raw).expanduser()
        return path if path.is_absolute() else self.base / path

    # -- exporting -------------------------------------------------------------------
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_export(self) -> None:
        if self.busy:
            return
        path = self._target()
        if path is None:
            self._show("Give a file name to export to.")
            return
        if not self.matches and self.n_marks == 0:
            self._show(
                "There are no marks to export: mark sentences with m, or tick shared passages."
            )
            return
        force = False
        try:  # only a regular file (or a link to one) is ever replaced
            replaceable = path.is_file()
        except OSError:  # no permission to look: the write says why
            replaceable = False
        if replaceable:
            if self.confirm_overwrite != path:
                self._arm(path)
                return
            force = True
        self.busy = True
        self.query_one("#export-go", Button).disabled = True
        self._show("exporting…", warning=True)
        self._write(path, self.fmt, self.matches, force)

    def _arm(self, path: Path) -> None:
        self.confirm_overwrite = path
        button = self.query_one("#export-go", Button)
        button.label = "Overwrite"
        button.variant = "error"
        self._show(
            f"{path.name} already exists. Press Overwrite (or Enter) to replace it, "
            "or change the file name.",
            warning=True,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _write(self, path: Path, fmt: str, matches: bool, force: bool) -> None:
        """Render and write in a thread; never touches a widget."""
        from reader.core.export.render import ExportError, write_export

        try:
            text = self.build(fmt, matches)
            written = write_export(path, text, force=force)
        except ExportError as exc:
            try:
                exists = not force and path.is_file()
            except OSError:
                exists = False
            self.post_message(self.Failed(str(exc), exists=exists))
            return
        except Exception as exc:
            self.post_message(self.Failed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self.Done(written))

    def on_export_dialog_done(self, message: Done) -> None:
        self.busy = False
        self.dismiss((message.path, self.fmt))

    def on_export_dialog_failed(self, message: Failed) -> None:
        self.busy = False
        self.query_one("#export-go", Button).disabled = False
        path = self._target()
        if message.exists and path is not None:
            self._arm(path)
        else:
            self._show(
                f"Not exported: {message.text}. Nothing was written; change the path and try again."
            )
