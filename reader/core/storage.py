"""Saving marks: a JSON sidecar file next to the sources, merged and written atomically.

Location: ``<folder>/.reader-marks.json`` (:func:`marks_path`), where ``<folder>`` is
the first path given when it is a folder, else the folder of that file. The name is
hidden, so the loader never takes it for a source.

Format (``version`` 1)::

    {"format": "reader-marks", "version": 1,
     "marks": [{"id": "0b6f...", "note": "", "tag": "yellow",
                "created": "2024-05-01T12:00:00Z", "modified": "2024-05-01T12:00:00Z",
                "counterparts": true,
                "targets": [{"source": "a.txt", "role": "primary", "score": null,
                             "quote": {"exact": "...", "prefix": "...", "suffix": "..."},
                             "position": {"start": 120, "end": 188}}, ...]}, ...]}

``quote`` and ``position`` are the W3C TextQuoteSelector and TextPositionSelector
(``str`` offsets, end exclusive). The file is a set of record lists by kind
(:class:`~reader.core.records.RecordKind`; ``marks`` is one): top-level keys this
version does not know, and keys of a record it does not know, are kept when it writes.

Reading opens only a regular file, without blocking, up to :data:`MAX_BYTES`: a FIFO,
device, socket or folder in its place is reported and makes the store read-only.

Saving (:class:`Sidecar`) never writes what it has not merged: under an exclusive
lock (``flock`` on ``.reader-marks.json.lock`` beside the file, held only for the
read-merge-write), the file is read as it is on disk now, this session's changes
since it last read or wrote it are applied onto it (:func:`~reader.core.records.three_way`:
another instance's marks are kept, a mark removed here stays removed), and the result is
written atomically (temporary file, fsync, rename, fsync of the folder): a crash or
``kill -9`` leaves the previous or the new file, never a torn one. A symbolic link is
written through (its target is updated, the link stays). A file that does not parse is
renamed aside (``.reader-marks.json.corrupt-<time>``) and reported, never overwritten;
one that cannot be read, or comes from a newer version of reader, makes the store
read-only for the session.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.files import RefusedFile, atomic_write, destination, exclusive_lock, fsync_dir
from reader.core.files import remove_stale_temps as _remove_stale_temps
from reader.core.marks import COUNTERPART, DEFAULT_TAG, EXACT, PRIMARY, TAGS, Mark, Target
from reader.core.records import Conflict, RecordKind, SyncedRecords
from reader.core.sources import display_path
from reader.core.visible import json_text

__all__ = [
    "FILE_NAME",
    "MARKS",
    "MAX_BYTES",
    "LoadResult",
    "MarkStore",
    "Sidecar",
    "StorageError",
    "SyncResult",
    "atomic_write",
    "dumps",
    "load_marks",
    "loads",
    "mark_from_dict",
    "mark_to_dict",
    "marks_path",
    "remove_stale_temps",
    "save_marks",
    "set_aside",
]

FILE_NAME = ".reader-marks.json"
FORMAT = "reader-marks"
VERSION = 1
#: the largest marks file read (about 500,000 marks); a larger one is left alone
MAX_BYTES = 256 * 1024 * 1024


class StorageError(Exception):
    """Marks could not be read or written; the message is one line."""


def marks_path(paths: Sequence[str | os.PathLike[str]]) -> Path:
    """Where the marks of the sources opened from ``paths`` (as given on the command
    line) are kept: in the first path when it is a folder, else in the folder of that
    file, whichever files load. The app and ``reader export`` both use this."""
    if not paths:
        raise ValueError("no paths")
    first = Path(paths[0])
    try:
        folder = first if first.is_dir() else first.parent
    except OSError:
        folder = first.parent
    return folder / FILE_NAME


# -- JSON <-> marks ---------------------------------------------------------------------
def mark_to_dict(mark: Mark) -> dict[str, Any]:
    return {
        "id": mark.id,
        "note": mark.note,
        "tag": mark.tag,
        "created": mark.created,
        "modified": mark.modified,
        "counterparts": mark.counterparts,
        "targets": [
            {
                "source": t.source,
                "role": t.role,
                "score": t.score,
                "quote": {"exact": t.exact, "prefix": t.prefix, "suffix": t.suffix},
                "position": {"start": t.start, "end": t.end},
            }
            for t in mark.targets
        ],
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
    return Target(
        source=d["source"],
        start=start,
        end=end,
        exact=quote["exact"],
        prefix=quote.get("prefix", ""),
        suffix=quote.get("suffix", ""),
        role=role if role in (PRIMARY, COUNTERPART) else PRIMARY,
        score=score,
        status=EXACT,
    )


def mark_from_dict(d: dict[str, Any]) -> Mark:
    targets = tuple(_target_from_dict(t) for t in d["targets"])
    if not targets:
        raise ValueError("a mark without targets")
    tag = d.get("tag", DEFAULT_TAG)
    return Mark(
        id=str(d["id"]),
        targets=targets,
        note=str(d.get("note", "")),
        tag=tag if tag in TAGS else DEFAULT_TAG,
        created=str(d.get("created", "")),
        modified=str(d.get("modified", "")),
        counterparts=bool(d.get("counterparts", True)),
    )


#: marks as one kind of record in the sidecar (corrections can be another)
MARKS: RecordKind[Mark] = RecordKind("marks", mark_to_dict, mark_from_dict, lambda m: m.id)


def _text(doc: dict[str, Any]) -> str:
    """The file's text: one top-level key per line and one record per line (readable,
    diff-friendly, and written by json's C encoder: ``indent`` would make it use the
    pure-Python one, 3 s for 20,000 marks). Non-ASCII stays readable; control
    characters, bidi controls and lone surrogates are ``\\u`` escapes (so it is always
    valid UTF-8)."""
    lines = ["{"]
    keys = list(doc)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        value = doc[key]
        if isinstance(value, list) and value:
            lines.append(f" {json_text(key)}: [")
            last = len(value) - 1
            lines.extend(f"  {json_text(r)}{',' if i < last else ''}" for i, r in enumerate(value))
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {json_text(key)}: {json_text(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dumps(marks: Sequence[Mark]) -> str:
    """The text of a save file holding ``marks``."""
    return _text({"format": FORMAT, "version": VERSION, "marks": [mark_to_dict(m) for m in marks]})


class _Corrupt(Exception):
    pass


class _TooNew(Exception):
    pass


def _parse(raw: bytes) -> dict[str, Any]:
    """The document in a save file's bytes; raises ``_Corrupt`` / ``_TooNew``."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Corrupt("not UTF-8 text") from None
    except RecursionError:
        raise _Corrupt("nested too deeply") from None
    except ValueError as exc:
        raise _Corrupt(f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _Corrupt("not a reader marks file")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _Corrupt("no format version")
    if version > VERSION:
        raise _TooNew(f"format version {version} is newer than this reader ({VERSION})")
    return doc


def _records(doc: dict[str, Any], key: str) -> list[Any]:
    records = doc.get(key, [])
    if not isinstance(records, list):
        raise _Corrupt(f"{key!r} is not a list")
    return records


_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, RecursionError)


def loads(text: str) -> list[Mark]:
    """Marks from the JSON text of a save file; raises ``_Corrupt`` / ``_TooNew``."""
    doc = _parse(text.encode("utf-8", "surrogatepass"))
    try:
        return [mark_from_dict(m) for m in _records(doc, MARKS.key)]
    except _MALFORMED as exc:
        raise _Corrupt(f"a mark is malformed ({type(exc).__name__}: {exc})") from None


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
    fsync_dir(path.parent)
    return candidate


def _read_problem(exc: OSError) -> str:
    if isinstance(exc, RefusedFile):
        return str(exc)
    return exc.strerror or str(exc)


@dataclass
class LoadResult:
    marks: list[Mark]
    warnings: list[str] = field(default_factory=list)
    set_aside: Path | None = None  # where a corrupt file was moved
    writable: bool = True  # False: saving would lose data (unreadable or newer file)


def load_marks(path: Path, *, move_corrupt: bool = True) -> LoadResult:
    """Read the save file (no merge, no lock: for ``reader export``). A missing file
    means no marks. A corrupt one is moved aside (with ``move_corrupt``) and reported;
    one that is not a regular file, too large, unreadable or of a newer format is
    reported and the result is not ``writable``. Never raises for a bad file."""
    path = Path(path)
    shown = display_path(path)
    try:
        from reader.core.files import read_regular

        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        return LoadResult([])
    except OSError as exc:
        return LoadResult(
            [],
            [
                f"cannot read marks from {shown}: {_read_problem(exc)}; "
                "marks will not be saved this session"
            ],
            writable=False,
        )
    try:
        doc = _parse(raw)
        try:
            return LoadResult([mark_from_dict(m) for m in _records(doc, MARKS.key)])
        except _MALFORMED as exc:
            raise _Corrupt(f"a mark is malformed ({type(exc).__name__}: {exc})") from None
    except _TooNew as exc:
        return LoadResult(
            [],
            [f"cannot use marks in {shown}: {exc}; marks will not be saved this session"],
            writable=False,
        )
    except _Corrupt as exc:
        problem = str(exc)
    if not move_corrupt:
        return LoadResult(
            [], [f"marks file {shown} is corrupt ({problem}); left as is"], writable=False
        )
    try:
        moved = set_aside(path)
    except OSError as exc:
        return LoadResult(
            [],
            [
                f"marks file {shown} is corrupt ({problem}) and could not be "
                f"moved aside ({exc.strerror}); marks will not be saved"
            ],
            writable=False,
        )
    return LoadResult(
        [],
        [
            f"marks file {shown} was corrupt ({problem}); moved it to "
            f"{display_path(moved.name)} and started afresh"
        ],
        set_aside=moved,
    )


def save_marks(path: Path, marks: Sequence[Mark]) -> None:
    """Replace the save file with ``marks``, atomically and without merging (tools and
    tests; the app saves through :class:`MarkStore`). Raises :class:`StorageError`."""
    try:
        atomic_write(Path(path), dumps(marks))
    except OSError as exc:
        raise StorageError(
            f"cannot save marks to {display_path(path)}: {_read_problem(exc)}"
        ) from None


def remove_stale_temps(folder: Path, older_than: float = 60.0) -> int:
    """Delete temporary files a killed save left behind (older than ``older_than`` s)."""
    return _remove_stale_temps(folder, FILE_NAME, older_than)


# -- the sidecar, shared by every session on a folder -------------------------------------
@dataclass
class SyncResult:
    changed: bool = False  # what the session holds changed (another writer's changes)
    wrote: bool = False
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # new ones, to tell the user
    error: str | None = None  # the write failed (one line); the merge still holds


class Sidecar:
    """The sidecar file of a folder, shared by every session (and process) that has it
    open: record lists by kind, read safely and merged before every write.

    :meth:`sync` merges one kind's :class:`SyncedRecords` with the file and writes the
    result when the file lacks it. Problems are reported in ``warnings`` (each once);
    a file that cannot be read safely makes the sidecar read-only (``writable`` False),
    so nothing is written over it.
    """

    def __init__(self, path: str | os.PathLike[str], *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.writable = True
        self.warnings: list[str] = []
        self._doc: dict[str, Any] = {"format": FORMAT, "version": VERSION}
        self._seen: tuple[int, ...] | None = None  # the file as this session last saw it
        self._known = False  # read (or written) at least once
        self._thread_lock = threading.Lock()

    def _warn(self, text: str, result: SyncResult) -> None:
        self.warnings.append(text)
        result.warnings.append(text)

    def _identity(self) -> tuple[int, ...] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    def _read(self, records: SyncedRecords, result: SyncResult, locked: bool):
        """What the file holds for ``records``' kind (see :meth:`SyncedRecords.read`), or
        None when it is as this session last saw it. Sets ``self._missing``. A corrupt
        file is moved aside only under the lock (``locked``; else ``_NeedLock``), so a
        file another process has just written is never taken for it."""
        from reader.core.files import read_regular

        shown = display_path(self.path)
        self._missing = False
        identity = self._identity()
        if identity is not None and identity == self._seen:
            return None
        try:
            raw = read_regular(self.path, MAX_BYTES)
        except FileNotFoundError:
            self._missing = True
            if not self._known:
                self._known = True
                return {}
            return None  # removed since: this session still holds everything
        except OSError as exc:
            self.writable = False
            self._warn(
                f"cannot read marks from {shown}: {_read_problem(exc)}; marks will "
                "not be saved this session",
                result,
            )
            raise _ReadOnly from None
        try:
            doc = _parse(raw)
            try:
                theirs = records.read(_records(doc, records.kind.key))
            except _MALFORMED as exc:
                raise _Corrupt(f"a record is malformed ({type(exc).__name__}: {exc})") from None
        except _TooNew as exc:
            self.writable = False
            self._warn(
                f"cannot use marks in {shown}: {exc}; marks will not be saved this session", result
            )
            raise _ReadOnly from None
        except _Corrupt as exc:
            if not locked:
                raise _NeedLock from None
            try:
                moved = set_aside(self.path)
            except OSError as err:
                self.writable = False
                self._warn(
                    f"marks file {shown} is corrupt ({exc}) and could not be moved "
                    f"aside ({err.strerror}); marks will not be saved",
                    result,
                )
                raise _ReadOnly from None
            first = not self._known
            self._known = True
            self._missing = True
            self._warn(
                f"marks file {shown} was corrupt ({exc}); moved it to "
                f"{display_path(moved.name)} and "
                + ("started afresh" if first else "saved the marks of this session"),
                result,
            )
            return {} if first else None
        self._doc = doc
        self._seen = identity
        self._known = True
        return theirs

    def sync(self, records: SyncedRecords, *, write: bool = True) -> SyncResult:
        """Merge ``records`` with the file as it is now and, with ``write`` and when the
        file lacks the result, write it (under the lock, re-reading first). A failed
        write is ``result.error`` (never raised): what was read is merged all the same,
        the session keeps its records and the next sync tries again."""
        result = SyncResult()
        with self._thread_lock:
            if not self.writable:
                return result
            try:
                try:
                    theirs = self._read(records, result, locked=False)
                    if theirs is None and not self._missing and not records.pending():
                        return result  # the file as we left it, nothing new here
                    outcome = records.merge(theirs)
                    self._absorb(outcome, result)
                    if not write or not (outcome.write or (self._missing and outcome.records)):
                        return result
                except _NeedLock:
                    pass  # a corrupt file: dealt with under the lock
                real = destination(self.path)
                with exclusive_lock(real, timeout=self.lock_timeout):
                    outcome = records.merge(self._read(records, result, locked=True))
                    self._absorb(outcome, result)
                    if write and (outcome.write or (self._missing and outcome.records)):
                        doc = {
                            **self._doc,
                            "format": FORMAT,
                            "version": VERSION,
                            records.kind.key: outcome.records,
                        }
                        atomic_write(self.path, _text(doc))
                        records.written(outcome.records)
                        self._doc = doc
                        self._seen = self._identity()
                        result.wrote = True
            except _ReadOnly:
                return result
            except OSError as exc:  # LockTimeout included
                result.error = (
                    f"cannot save marks to {display_path(self.path)}: {_read_problem(exc)}"
                )
        return result

    @staticmethod
    def _absorb(outcome, result: SyncResult) -> None:
        result.changed = result.changed or outcome.changed
        result.conflicts.extend(outcome.conflicts)


class _ReadOnly(Exception):
    pass


class _NeedLock(Exception):
    pass


class MarkStore:
    """The marks of one folder for a session: ``store = MarkStore(marks_path(paths));
    marks = store.load()``, then :meth:`save` after every change, from any thread.

    Every save is a merge with the file as it is on disk at that moment (see
    :class:`Sidecar`), so another instance's marks are never overwritten, and a save
    before the first load cannot lose what the file holds. ``store.warnings`` holds
    what to tell the user; when ``store.writable`` is False nothing is written.
    ``prepare`` turns marks read from the file into what the session shows (the app
    re-anchors them to the texts); ``records`` is the session's marks (the app's
    mark book shares it)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        prepare: Callable[[list[Mark]], list[Mark]] | None = None,
        records: SyncedRecords[Mark] | None = None,
    ) -> None:
        self.path = Path(path)
        self.records = records if records is not None else SyncedRecords(MARKS, prepare)
        if prepare is not None:
            self.records.prepare = prepare
        self.sidecar = Sidecar(self.path)

    @property
    def warnings(self) -> list[str]:
        return self.sidecar.warnings

    @property
    def writable(self) -> bool:
        return self.sidecar.writable

    @writable.setter
    def writable(self, value: bool) -> None:
        self.sidecar.writable = value

    @property
    def marks(self) -> list[Mark]:
        return self.records.items

    def load(self) -> list[Mark]:
        """Read the file and merge it with the marks this session holds (writing only
        if the session made marks before this first read). Never raises for a bad file."""
        remove_stale_temps(destination(self.path).parent)
        result = self.sync()
        if result.error:
            self.sidecar.warnings.append(result.error)
        return self.records.items

    def sync(self, *, write: bool = True) -> SyncResult:
        return self.sidecar.sync(self.records, write=write)

    def save(self, marks: Sequence[Mark] | None = None) -> bool:
        """Save this session's marks (``marks``: replace them first with this complete
        list), merged with the file. Returns False when the store is read-only; raises
        :class:`StorageError` on I/O errors."""
        if marks is not None:
            self.records.replace_all(marks)
        if not self.writable:
            return False
        result = self.sync()
        if result.error:
            raise StorageError(result.error)
        return self.writable
