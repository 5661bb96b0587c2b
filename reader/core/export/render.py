"""Every export format by name, the text of one, and writing it to a file.

:func:`render` turns an :class:`~reader.core.export.passages.ExportData` into the text
of one of :data:`FORMATS`; :func:`write_export` writes it to a file, never over an
existing one unless ``force``, through a temporary file and a rename, so a failed
write loses nothing.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.fs import RefusedFile, atomic_write, display_path, kind_of

#: every export format: its name on the command line and in file names, and how the
#: export dialog names it
FORMAT_NAMES = {"md": "Markdown", "json": "JSON (W3C)", "csv": "CSV", "html": "HTML"}
FORMATS = tuple(FORMAT_NAMES)


if TYPE_CHECKING:  # the formats are importable without the aligner (reader --help)
    from reader.core.export.passages import ExportData


class ExportError(Exception):
    """An export could not be written; the message is one line."""


def render(data: ExportData, fmt: str) -> str:
    """The text of ``data`` in format ``fmt`` (one of :data:`FORMATS`). No format ever
    carries a raw control character (but tab, newline, and CSV's CRLF row ends): the
    text formats show them as visible stand-ins, JSON as ``\\u`` escapes."""
    if fmt == "json":
        from reader.core.export.web_annotation import to_json

        return to_json(data)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    from reader.core.export.passages import visible_data

    data = visible_data(data)
    if fmt == "md":
        from reader.core.export.markdown import to_markdown

        return to_markdown(data)
    if fmt == "csv":
        from reader.core.export.csv_table import to_csv

        return to_csv(data)
    from reader.core.export.html_page import to_html

    return to_html(data)


def write_export(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` (UTF-8) through a temporary file in the same folder,
    renamed into place, so a failure (a full disk, a kill) leaves no partial file and
    any existing file as it was. Raises :class:`ExportError` with a one-line message.

    What may be replaced: nothing without ``force``; with ``force``, only a regular
    file. A symbolic link to a regular file is written through (the file it points to
    is replaced, the link stays); a folder, FIFO, device or socket is refused, with
    or without ``force``."""
    path = Path(path)
    shown = display_path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ExportError(f"cannot write {shown}: a loop of symbolic links") from None
        mode = None  # a permission problem: the write says so below
    if mode is not None and stat.S_ISDIR(mode):
        raise ExportError(f"{shown} is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise ExportError(f"{shown} is {kind_of(mode)}, not a regular file; not writing to it")
    if not force and os.path.lexists(path):
        raise ExportError(f"{shown} exists; not overwriting it (use --force)")
    try:
        atomic_write(path, text, overwrite=force)
    except FileExistsError:
        raise ExportError(f"{shown} exists; not overwriting it (use --force)") from None
    except RefusedFile as exc:
        raise ExportError(f"{shown} is {exc.strerror}; not writing to it") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileNotFoundError) and not path.parent.is_dir():
            reason = f"folder {display_path(path.parent)} does not exist"
        elif isinstance(exc, PermissionError):
            reason = "permission denied"
        raise ExportError(f"cannot write {shown}: {reason}") from None
    return path
