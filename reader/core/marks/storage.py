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
(:class:`~reader.core.marks.records.RecordKind`; ``marks`` is one): top-level keys this
version does not know, and keys of a record it does not know, are kept when it writes.

Reading, merging and writing the file is the :class:`~reader.core.marks.sidecar.Sidecar`'s
(shared by every kind of record); this module is what marks add to it: where the
file is, how a mark becomes a record and back, and :class:`MarkStore`, the marks of
one session.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from reader.core.fs import atomic_write, destination, display_path
from reader.core.fs import remove_stale_temps as _remove_stale_temps
from reader.core.marks.marks import COUNTERPART, DEFAULT_TAG, EXACT, PRIMARY, TAGS, Mark, Target
from reader.core.marks.records import RecordKind, SyncedRecords
from reader.core.marks.sidecar import (
    FORMAT,
    MALFORMED,
    MAX_BYTES,
    VERSION,
    Corrupt,
    Sidecar,
    SyncResult,
    TooNew,
    file_text,
    parse,
    read_problem,
    record_list,
    set_aside,
)

T = TypeVar("T")

__all__ = [
    "FILE_NAME",
    "MARKS",
    "LoadResult",
    "MarkStore",
    "RecordStore",
    "StorageError",
    "dumps",
    "load_marks",
    "loads",
    "mark_from_dict",
    "mark_to_dict",
    "marks_path",
    "remove_stale_temps",
    "save_marks",
]

FILE_NAME = ".reader-marks.json"


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


def dumps(marks: Sequence[Mark]) -> str:
    """The text of a save file holding ``marks``."""
    return file_text(
        {"format": FORMAT, "version": VERSION, "marks": [mark_to_dict(m) for m in marks]}
    )


def loads(text: str) -> list[Mark]:
    """Marks from the JSON text of a save file; raises ``Corrupt`` / ``TooNew``."""
    doc = parse(text.encode("utf-8", "surrogatepass"))
    try:
        return [mark_from_dict(m) for m in record_list(doc, MARKS.key)]
    except MALFORMED as exc:
        raise Corrupt(f"a mark is malformed ({type(exc).__name__}: {exc})") from None


@dataclass
class LoadResult:
    marks: list[Mark]
    warnings: list[str] = field(default_factory=list)
    set_aside: Path | None = None  # where a corrupt file was moved
    writable: bool = True  # False: saving would lose data (unreadable or newer file)


def load_marks(path: Path, *, move_corrupt: bool = True) -> LoadResult:
    """Read the save file (no merge, no lock, no write: for ``reader export``). A missing file
    means no marks. A corrupt one is moved aside (with ``move_corrupt``) and reported;
    one that is not a regular file, too large, unreadable or of a newer format is
    reported and the result is not ``writable``. Never raises for a bad file."""
    path = Path(path)
    shown = display_path(path)
    try:
        from reader.core.fs import read_regular

        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        return LoadResult([])
    except OSError as exc:
        return LoadResult(
            [],
            [f"cannot read marks from {shown}: {read_problem(exc)}"],
            writable=False,
        )
    try:
        doc = parse(raw)
        try:
            return LoadResult([mark_from_dict(m) for m in record_list(doc, MARKS.key)])
        except MALFORMED as exc:
            raise Corrupt(f"a mark is malformed ({type(exc).__name__}: {exc})") from None
    except TooNew as exc:
        return LoadResult(
            [],
            [f"cannot use marks in {shown}: {exc}"],
            writable=False,
        )
    except Corrupt as exc:
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
            f"cannot save marks to {display_path(path)}: {read_problem(exc)}"
        ) from None


def remove_stale_temps(folder: Path, older_than: float = 60.0) -> int:
    """Delete temporary files a killed save left behind (older than ``older_than`` s)."""
    return _remove_stale_temps(folder, FILE_NAME, older_than)


class RecordStore(Generic[T]):
    """One kind of record of one folder for a session, in the sidecar file: ``load()``,
    then change ``records`` (put, remove) and :meth:`sync`. Every sync is a merge with
    the file as it is on disk at that moment (see :class:`Sidecar`), so another
    instance's records are never overwritten, and a sync before the first load cannot
    lose what the file holds. ``warnings`` holds what to tell the user; when
    ``writable`` is False nothing is written. ``prepare`` turns records read from the
    file into what the session holds (re-anchored to the texts); ``records`` is the
    session's records (shared with whatever shows them)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        kind: RecordKind[T],
        *,
        prepare: Callable[[list[T]], list[T]] | None = None,
        records: SyncedRecords[T] | None = None,
        what: str = "marks",
    ) -> None:
        self.path = Path(path)
        self.records = records if records is not None else SyncedRecords(kind, prepare)
        if prepare is not None:
            self.records.prepare = prepare
        self.sidecar = Sidecar(self.path, what=what)

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
    def items(self) -> list[T]:
        return self.records.items

    def load(self) -> list[T]:
        """Read the file and merge it with what this session holds (writing only if
        the session changed records before this first read). Never raises for a bad
        file (see ``warnings`` and ``writable``)."""
        remove_stale_temps(destination(self.path).parent)
        result = self.sync()
        if result.error:
            self.sidecar.warnings.append(result.error)
        return self.records.items

    def sync(self, *, write: bool = True) -> SyncResult:
        return self.sidecar.sync(self.records, write=write)


class MarkStore(RecordStore[Mark]):
    """The marks of one folder for a session: ``store = MarkStore(marks_path(paths));
    marks = store.load()``, then :meth:`save` after every change, from any thread (see
    :class:`RecordStore`; the app's mark book shares ``records``)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        prepare: Callable[[list[Mark]], list[Mark]] | None = None,
        records: SyncedRecords[Mark] | None = None,
    ) -> None:
        super().__init__(path, MARKS, prepare=prepare, records=records)

    @property
    def marks(self) -> list[Mark]:
        return self.records.items

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
