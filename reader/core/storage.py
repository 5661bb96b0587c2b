"""Saving marks: a JSON sidecar file next to the sources, written atomically.

Location: ``<folder>/.reader-marks.json`` (:func:`marks_path`), where ``<folder>``
is the folder opened, or the folder of the files opened. The name is hidden, so
the loader never takes it for a source.

Format (``version`` 1)::

    {"format": "reader-marks", "version": 1,
     "marks": [{"id": "0b6f...", "note": "", "tag": "yellow",
                "created": "2024-05-01T12:00:00Z", "modified": "2024-05-01T12:00:00Z",
                "counterparts": true,
                "targets": [{"source": "a.txt", "role": "primary", "score": null,
                             "quote": {"exact": "...", "prefix": "...", "suffix": "..."},
                             "position": {"start": 120, "end": 188}}, ...]}, ...]}

``quote`` and ``position`` are the W3C TextQuoteSelector and TextPositionSelector
(``str`` offsets, end exclusive). Unknown keys are ignored on load.

Saving writes a temporary file in the same folder, flushes and fsyncs it, renames it
over the old file (``os.replace``, atomic) and fsyncs the folder: a crash or
``kill -9`` at any moment leaves the previous or the new file, never a torn one. A
save file that does not parse is renamed aside (``.reader-marks.json.corrupt-<time>``)
and reported, never overwritten; one that cannot be read, or comes from a newer
version of reader, makes the store read-only for the session.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.marks import COUNTERPART, DEFAULT_TAG, EXACT, PRIMARY, TAGS, Mark, Target
from reader.core.sources import display_path

FILE_NAME = ".reader-marks.json"
FORMAT = "reader-marks"
VERSION = 1
_TMP_PREFIX = FILE_NAME + "."
_TMP_SUFFIX = ".tmp"


class StorageError(Exception):
    """Marks could not be read or written; the message is one line."""


def marks_path(paths: Sequence[str | os.PathLike[str]]) -> Path:
    """Where the marks of the sources opened from ``paths`` are kept: the sidecar in the
    folder given, or in the folder of the first file given."""
    if not paths:
        raise ValueError("no paths")
    first = Path(paths[0])
    folder = first if first.is_dir() else first.parent
    return folder / FILE_NAME


# -- JSON <-> marks ---------------------------------------------------------------------
def mark_to_dict(mark: Mark) -> dict[str, Any]:
    return {
        "id": mark.id, "note": mark.note, "tag": mark.tag, "created": mark.created,
        "modified": mark.modified, "counterparts": mark.counterparts,
        "targets": [{"source": t.source, "role": t.role, "score": t.score,
                     "quote": {"exact": t.exact, "prefix": t.prefix, "suffix": t.suffix},
                     "position": {"start": t.start, "end": t.end}} for t in mark.targets],
    }


def _target_from_dict(d: dict[str, Any]) -> Target:
    quote, pos = d["quote"], d["position"]
    start, end = pos["start"], pos["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
        raise ValueError("bad position")
    score = d.get("score")
    if score is not None and not isinstance(score, (int, float)):
        raise ValueError("bad score")
    for key in ("exact", "prefix", "suffix"):
        if not isinstance(quote.get(key, ""), str):
            raise ValueError(f"bad quote {key}")
    if not isinstance(d["source"], str):
        raise ValueError("bad source")
    role = d.get("role", PRIMARY)
    return Target(source=d["source"], start=start, end=end, exact=quote["exact"],
                  prefix=quote.get("prefix", ""), suffix=quote.get("suffix", ""),
                  role=role if role in (PRIMARY, COUNTERPART) else PRIMARY,
                  score=score, status=EXACT)


def mark_from_dict(d: dict[str, Any]) -> Mark:
    targets = tuple(_target_from_dict(t) for t in d["targets"])
    if not targets:
        raise ValueError("a mark without targets")
    tag = d.get("tag", DEFAULT_TAG)
    return Mark(id=str(d["id"]), targets=targets, note=str(d.get("note", "")),
                tag=tag if tag in TAGS else DEFAULT_TAG, created=str(d.get("created", "")),
                modified=str(d.get("modified", "")), counterparts=bool(d.get("counterparts", True)))


def dumps(marks: Sequence[Mark]) -> str:
    """The save file's text. Non-ASCII stays readable; a string that UTF-8 cannot encode
    (a lone surrogate) makes the whole file ASCII with ``\\u`` escapes instead."""
    doc = {"format": FORMAT, "version": VERSION, "marks": [mark_to_dict(m) for m in marks]}
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(doc, ensure_ascii=True, indent=1) + "\n"
    return text


class _Corrupt(Exception):
    pass


class _TooNew(Exception):
    pass


def loads(text: str) -> list[Mark]:
    """Marks from the JSON text of a save file; raises ``_Corrupt`` / ``_TooNew``."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise _Corrupt(f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Corrupt("not a reader marks file")
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise _Corrupt("no format version")
    if version > VERSION:
        raise _TooNew(f"format version {version} is newer than this reader ({VERSION})")
    try:
        return [mark_from_dict(m) for m in doc["marks"]]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _Corrupt(f"a mark is malformed ({type(exc).__name__}: {exc})") from None


# -- files ----------------------------------------------------------------------------
def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: str, *, overwrite: bool = True) -> None:
    """Write ``data`` (UTF-8) to ``path`` via a temporary file in the same folder,
    flushed, fsynced and renamed into place; the folder is fsynced after. With
    ``overwrite=False`` an existing ``path`` is never replaced (``FileExistsError``).
    On any error the temporary file is removed and ``path`` is left as it was."""
    path = Path(path)
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            try:
                os.chmod(tmp, os.stat(path).st_mode & 0o777)
            except OSError:
                pass
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: no check-then-write race
            except FileExistsError:
                raise
            except OSError:  # hard links unsupported here: check, then rename
                if os.path.lexists(path):
                    raise FileExistsError(17, "File exists", str(path)) from None
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


def _stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.localtime())


def set_aside(path: Path) -> Path:
    """Rename a bad save file to ``<name>.corrupt-<time>`` (never over another file)."""
    base = path.with_name(f"{path.name}.corrupt-{_stamp()}")
    candidate, n = base, 1
    while os.path.lexists(candidate):
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    os.replace(path, candidate)  # same folder: atomic
    _fsync_dir(path.parent)
    return candidate


@dataclass
class LoadResult:
    marks: list[Mark]
    warnings: list[str] = field(default_factory=list)
    set_aside: Path | None = None  # where a corrupt file was moved
    writable: bool = True  # False: saving would lose data (unreadable or newer file)


def load_marks(path: Path, *, move_corrupt: bool = True) -> LoadResult:
    """Read the save file. A missing file means no marks. A corrupt one is moved aside
    (with ``move_corrupt``) and reported; an unreadable or newer-format one is reported
    and the result is not ``writable``. Never raises for a bad file."""
    path = Path(path)
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadResult([])
    except OSError as exc:
        return LoadResult([], [f"cannot read marks from {shown}: {exc.strerror}; "
                               "marks will not be saved this session"], writable=False)
    try:
        return LoadResult(loads(raw.decode("utf-8")))
    except UnicodeDecodeError:
        problem = "not UTF-8 text"
    except _TooNew as exc:
        return LoadResult([], [f"cannot use marks in {shown}: {exc}; marks will not be "
                               "saved this session"], writable=False)
    except _Corrupt as exc:
        problem = str(exc)
    if not move_corrupt:
        return LoadResult([], [f"marks file {shown} is corrupt ({problem}); left as is"],
                          writable=False)
    try:
        moved = set_aside(path)
    except OSError as exc:
        return LoadResult([], [f"marks file {shown} is corrupt ({problem}) and could not be "
                               f"moved aside ({exc.strerror}); marks will not be saved"],
                          writable=False)
    return LoadResult([], [f"marks file {shown} was corrupt ({problem}); moved it to "
                           f"{display_path(moved.name)} and started afresh"], set_aside=moved)


def save_marks(path: Path, marks: Sequence[Mark]) -> None:
    """Atomically replace the save file with ``marks``. Raises :class:`StorageError`."""
    try:
        atomic_write(Path(path), dumps(marks))
    except OSError as exc:
        raise StorageError(f"cannot save marks to {display_path(path)}: "
                           f"{exc.strerror or exc}") from None


def remove_stale_temps(folder: Path, older_than: float = 60.0) -> int:
    """Delete temporary files a killed save left behind (older than ``older_than`` s)."""
    n = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for e in entries:
        if e.name.startswith("." + _TMP_PREFIX) and e.name.endswith(_TMP_SUFFIX):
            try:
                if now - e.stat(follow_symlinks=False).st_mtime > older_than:
                    os.unlink(e.path)
                    n += 1
            except OSError:
                pass
    return n


class MarkStore:
    """The marks of one folder, for the app: load once, then :meth:`save` after every
    change (from any thread; saves are serialised and the newest list wins).

    ``store = MarkStore(marks_path(paths)); marks = store.load()``; ``store.warnings``
    holds what to tell the user; when ``store.writable`` is False, :meth:`save` does
    nothing (the file on disk must not be overwritten) and returns False.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.warnings: list[str] = []
        self.writable = True
        self._lock = threading.Lock()
        self._generation = 0
        self._saved_generation = 0

    def load(self) -> list[Mark]:
        remove_stale_temps(self.path.parent)
        result = load_marks(self.path)
        self.warnings = list(result.warnings)
        self.writable = result.writable
        return result.marks

    def save(self, marks: Sequence[Mark]) -> bool:
        """Save ``marks`` (the complete list). Returns False when the store is read-only
        or a newer list was already saved; raises :class:`StorageError` on I/O errors."""
        if not self.writable:
            return False
        snapshot = list(marks)
        with self._lock:
            self._generation += 1
            generation = self._generation
        with self._lock:
            if generation < self._saved_generation:
                return False
            save_marks(self.path, snapshot)
            self._saved_generation = generation
        return True
