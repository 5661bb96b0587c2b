"""The sidecar file of a folder: record lists by kind, read safely, merged before
every write, written atomically. Marks are one kind (:mod:`reader.core.marks.storage`);
corrections can be another.

Reading opens only a regular file, without blocking, up to :data:`MAX_BYTES`: a FIFO,
device, socket or folder in its place is reported and makes the store read-only.

Saving (:class:`Sidecar`) never writes what it has not merged: under an exclusive
lock (``flock`` on ``.reader-marks.json.lock`` beside the file, held only for the
read-merge-write), the file is read as it is on disk now, this session's changes
since it last read or wrote it are applied onto it (:func:`~reader.core.marks.records.three_way`:
another instance's marks are kept, a mark removed here stays removed), and the result is
written atomically (temporary file, fsync, rename, fsync of the folder): a crash or
``kill -9`` leaves the previous or the new file, never a torn one. A symbolic link is
written through (its target is updated, the link stays). A file that does not parse is
renamed aside (``.reader-marks.json.corrupt-<time>``) and reported, never overwritten;
one that cannot be read, or comes from a newer version of reader, makes the store
read-only for the session. Top-level keys this version does not know, and keys of a
record it does not know, are kept when it writes.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.fs import (
    atomic_write,
    destination,
    display_path,
    exclusive_lock,
    fsync_dir,
    read_regular,
)
from reader.core.marks.records import Conflict, MergeOutcome, SyncedRecords
from reader.core.visible import json_text

FORMAT = "reader-marks"
VERSION = 1
#: the largest marks file read (about 500,000 marks); a larger one is left alone
MAX_BYTES = 256 * 1024 * 1024


def file_text(doc: dict[str, Any]) -> str:
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


class Corrupt(Exception):
    pass


class TooNew(Exception):
    pass


def parse(raw: bytes) -> dict[str, Any]:
    """The document in a save file's bytes; raises ``Corrupt`` / ``TooNew``."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Corrupt("not UTF-8 text") from None
    except RecursionError:
        raise Corrupt("nested too deeply") from None
    except ValueError as exc:
        raise Corrupt(f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise Corrupt("not a reader marks file")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Corrupt("no format version")
    if version > VERSION:
        raise TooNew(f"format version {version} is newer than this reader ({VERSION})")
    return doc


def record_list(doc: dict[str, Any], key: str) -> list[Any]:
    records = doc.get(key, [])
    if not isinstance(records, list):
        raise Corrupt(f"{key!r} is not a list")
    return records


MALFORMED = (KeyError, TypeError, ValueError, AttributeError, RecursionError)


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


def read_problem(exc: OSError) -> str:
    """What went wrong, in words (``a FIFO (named pipe), not a regular file``), without
    the ``[Errno N]`` prefix."""
    return exc.strerror or str(exc)


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

    def __init__(
        self, path: str | os.PathLike[str], *, lock_timeout: float = 10.0, what: str = "marks"
    ) -> None:
        self.path = Path(path)
        self.what = what  # what the messages call the records (marks, corrections)
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
                f"cannot read {self.what} from {shown}: {read_problem(exc)}; {self.what} "
                "will not be saved this session",
                result,
            )
            raise _ReadOnly from None
        try:
            doc = parse(raw)
            try:
                theirs = records.read(record_list(doc, records.kind.key))
            except MALFORMED as exc:
                raise Corrupt(f"a record is malformed ({type(exc).__name__}: {exc})") from None
        except TooNew as exc:
            self.writable = False
            self._warn(
                f"cannot use {self.what} in {shown}: {exc}; {self.what} will not be saved "
                "this session",
                result,
            )
            raise _ReadOnly from None
        except Corrupt as exc:
            if not locked:
                raise _NeedLock from None
            try:
                moved = set_aside(self.path)
            except OSError as err:
                self.writable = False
                self._warn(
                    f"marks file {shown} is corrupt ({exc}) and could not be moved "
                    f"aside ({err.strerror}); {self.what} will not be saved",
                    result,
                )
                raise _ReadOnly from None
            first = not self._known
            self._known = True
            self._missing = True
            self._warn(
                f"marks file {shown} was corrupt ({exc}); moved it to "
                f"{display_path(moved.name)} and "
                + ("started afresh" if first else f"saved the {self.what} of this session"),
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
                        atomic_write(self.path, file_text(doc))
                        records.written(outcome.records)
                        self._doc = doc
                        self._seen = self._identity()
                        result.wrote = True
            except _ReadOnly:
                return result
            except OSError as exc:  # LockTimeout included
                result.error = (
                    f"cannot save {self.what} to {display_path(self.path)}: {read_problem(exc)}"
                )
        return result

    @staticmethod
    def _absorb(outcome: MergeOutcome, result: SyncResult) -> None:
        result.changed = result.changed or outcome.changed
        result.conflicts.extend(outcome.conflicts)


class _ReadOnly(Exception):
    pass


class _NeedLock(Exception):
    pass
