"""Loading the text versions of a story from files and folders.

File I/O only (bytes become text in :mod:`.decode`): no segmentation, no alignment. Every problem the user can
fix is raised as :class:`SourceError` with a one-line message; files that are
merely skipped (binary, empty) are reported as warnings.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.fs import RefusedFile, display_path, kind_of, read_regular, size_over
from reader.core.text.decode import (
    SNIFF,
    decode,
    is_blank,
    looks_binary,
    normalise_newlines,
    utf16_without_bom,
)
from reader.core.text.own_files import made_by_reader

#: Default largest file accepted as "a text version of a story".
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class SourceError(Exception):
    """A problem with the input the user has to fix; the message is one line."""


@dataclass(frozen=True)
class Document:
    """One loaded text version: its display name, path, decoded text and encoding."""

    name: str
    path: Path | None
    text: str
    encoding: str = "utf-8"


@dataclass
class Loaded:
    documents: list[Document]
    warnings: list[str] = field(default_factory=list)


def _candidate_files(folder: Path, warnings: list[str]) -> list[Path]:
    """The regular files of ``folder`` (not hidden; links followed), sorted by name.
    FIFOs, devices, sockets, broken links and link loops are skipped with a warning
    in ``warnings``; subfolders silently (not recursive)."""
    try:
        entries = list(os.scandir(folder))
    except PermissionError:
        raise SourceError(
            f"cannot read folder: {display_path(folder)} (permission denied)"
        ) from None
    except OSError as exc:
        raise SourceError(f"cannot read folder: {display_path(folder)} ({exc.strerror})") from None
    out = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        shown = display_path(entry.path)
        try:
            mode = os.stat(entry.path).st_mode  # follows symlinks: a link to a file counts
        except FileNotFoundError:
            if os.path.islink(entry.path):
                warnings.append(f"skipped {shown}: a broken symbolic link")
            continue
        except OSError as exc:
            why = (
                "a loop of symbolic links"
                if exc.errno == errno.ELOOP
                else f"cannot read it ({exc.strerror})"
            )
            warnings.append(f"skipped {shown}: {why}")
            continue
        if stat.S_ISREG(mode):
            out.append(Path(entry.path))
        elif not stat.S_ISDIR(mode):
            warnings.append(f"skipped {shown}: {kind_of(mode)}, not a regular file")
    return sorted(out, key=lambda p: (p.name.casefold(), p.name))


def _unique_names(paths: list[Path]) -> list[str]:
    names = [p.name for p in paths]
    if len(set(names)) == len(names):
        return names
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    return [f"{p.parent.name}/{p.name}" if counts[p.name] > 1 else p.name for p in paths]


def read_document(path: Path, name: str, max_bytes: int) -> tuple[Document | None, str | None]:
    """Read one file (a regular file only, opened without blocking, at most
    ``max_bytes``). Returns (document, warning); a skipped file has no document."""
    shown = display_path(path)
    try:
        data = read_regular(path, max_bytes)
    except FileNotFoundError:
        raise SourceError(f"no such file: {shown}") from None
    except PermissionError:
        raise SourceError(f"cannot read {shown}: permission denied") from None
    except RefusedFile as exc:
        if exc.errno != errno.EFBIG:
            raise SourceError(f"not a regular file: {shown} ({exc.strerror})") from None
        try:
            size = os.stat(path).st_size
        except OSError:
            size = max_bytes + 1
        raise SourceError(
            f"{shown} is too large to be a text version "
            f"({size_over(size, max_bytes)}; see --max-size)"
        ) from None
    except OSError as exc:
        raise SourceError(f"cannot read {shown}: {exc.strerror}") from None
    own = made_by_reader(data)
    if own is not None:  # an export saved next to the sources, the marks file...
        return None, f"skipped {shown}: {own} written by reader, not a source"
    if utf16_without_bom(data) is None and looks_binary(data[:SNIFF]):
        return None, f"skipped {shown}: looks like a binary file"
    text, encoding, note = decode(data)
    if all(is_blank(c) for c in text):  # stops at the first visible character
        return None, f"skipped {shown}: empty"
    warning = f"{shown}: {note}" if note else None
    return Document(name=name, path=path, text=text, encoding=encoding), warning


def _kind_of_path(p: Path) -> int:
    """``st_mode`` of what ``p`` points to; a :class:`SourceError` for what cannot be
    looked at (missing, a broken link, a loop, no permission on a folder above it)."""
    shown = display_path(p)
    try:
        return os.stat(p).st_mode
    except FileNotFoundError:
        if os.path.islink(p):
            raise SourceError(f"broken symbolic link: {shown}") from None
        raise SourceError(f"no such file or folder: {shown}") from None
    except PermissionError:
        raise SourceError(f"cannot read {shown}: permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SourceError(f"a loop of symbolic links: {shown}") from None
        raise SourceError(f"cannot read {shown}: {exc.strerror}") from None


def load_paths(paths: list[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """Load the documents named on the command line.

    One folder: every regular, non-hidden file in it (not recursive), sorted by
    name. Several paths: each must be a file (folders are expanded the same way).
    What is skipped is said in ``warnings``.
    """
    if not paths:
        raise SourceError("no input: give a folder or two or more files")
    files: list[Path] = []
    warnings: list[str] = []
    for raw in paths:
        p = Path(raw)
        mode = _kind_of_path(p)
        if stat.S_ISDIR(mode):
            found = _candidate_files(p, warnings)
            if not found:
                why = "; ".join(warnings) if warnings else ""
                raise SourceError(
                    f"folder has no files: {display_path(p)}" + (f" ({why})" if why else "")
                )
            files.extend(found)
        elif stat.S_ISREG(mode):
            files.append(p)
        else:
            raise SourceError(f"not a file or folder: {display_path(p)} ({kind_of(mode)})")
    seen: set[Path] = set()
    unique_files = []
    for f in files:
        try:
            key = f.resolve()
        except (OSError, RuntimeError):
            key = f
        if key not in seen:
            seen.add(key)
            unique_files.append(f)
    names = _unique_names(unique_files)
    loaded = Loaded(documents=[], warnings=warnings)
    for path, name in zip(unique_files, names):
        doc, warning = read_document(path, name, max_bytes)
        if warning:
            loaded.warnings.append(warning)
        if doc is not None:
            loaded.documents.append(doc)
    if not loaded.documents:
        raise SourceError("no usable text files among the inputs")
    return loaded


def documents_from_texts(texts: dict[str, str]) -> list[Document]:
    """Documents from in-memory texts (tests, library use), in the given order."""
    return [Document(name=n, path=None, text=normalise_newlines(t)) for n, t in texts.items()]
