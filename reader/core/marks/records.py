"""Records keyed by id, kept by several writers at once: a three-way merge.

A *record* is a JSON object with a string ``"id"`` and, usually, an ISO 8601
``"modified"`` time (marks; later, corrections). Each session holds its own records
("ours") and remembers the state of the file it last read or wrote ("base"). To save,
it re-reads the file as it is now ("theirs") and :func:`three_way` applies this
session's changes (records added, edited or removed relative to base) onto it:

- a record only one side changed (added, edited or removed) takes that side's change;
  a record neither side touched stays as the file has it;
- a record removed here stays removed, whatever the other copy still holds, unless
  the other writer *edited* it since: an edit beats a removal on either side (the
  edit is the newer decision, and a mark brought back can be removed again, while
  a removed one could not be recovered);
- a record both sides edited: the later ``modified`` wins; on a tie, ours. The other
  version is reported as a :class:`Conflict`.

:class:`SyncedRecords` is one kind of record held by a session: the objects the app
shows (ours), their JSON form, and the base, thread-safe, with the merge step the
storage layer calls (:meth:`SyncedRecords.merge`). It knows nothing of files or of
what the records are: the kind (:class:`RecordKind`) gives the JSON conversion.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Record = dict[str, Any]
T = TypeVar("T")

#: what a conflict was about
BOTH_EDITED, EDITED_THERE, EDITED_HERE = (
    "both edited",
    "edited there, removed here",
    "edited here, removed there",
)


@dataclass(frozen=True)
class Conflict:
    id: str
    why: str  # BOTH_EDITED, EDITED_THERE or EDITED_HERE
    kept: str  # "ours" or "theirs"
    dropped: Record | None  # the version that lost (None: a removal that lost)


@dataclass
class Merged:
    records: dict[str, Record]  # id -> record, in the merged order
    conflicts: list[Conflict] = field(default_factory=list)
    from_theirs: set[str] = field(default_factory=set)  # ids whose record is theirs


def _stamp(record: Record | None) -> str:
    value = record.get("modified", "") if isinstance(record, dict) else ""
    return value if isinstance(value, str) else ""


def three_way(
    base: Mapping[str, Record], ours: Mapping[str, Record], theirs: Mapping[str, Record]
) -> Merged:
    """Merge two descendants of ``base`` record by record (rules in the module doc).
    Order: the records of ``theirs`` in their order, then the ones only ``ours`` has."""
    out = Merged({})

    def take_theirs(rid: str, rec: Record) -> None:
        out.records[rid] = rec
        out.from_theirs.add(rid)

    for rid, t in theirs.items():
        b = base.get(rid)
        if rid in ours:
            o = ours[rid]
            if o == t or t == b:
                out.records[rid] = o
            elif o == b:
                take_theirs(rid, t)
            else:  # both changed it (or both added the same id differently)
                if _stamp(t) > _stamp(o):
                    take_theirs(rid, t)
                    out.conflicts.append(Conflict(rid, BOTH_EDITED, "theirs", o))
                else:
                    out.records[rid] = o
                    out.conflicts.append(Conflict(rid, BOTH_EDITED, "ours", t))
        elif b is None:
            take_theirs(rid, t)  # added there
        elif t != b:  # edited there, removed here: the edit wins
            take_theirs(rid, t)
            out.conflicts.append(Conflict(rid, EDITED_THERE, "theirs", None))
        # else: removed here, untouched there: stays removed
    for rid, o in ours.items():
        if rid in theirs:
            continue
        b = base.get(rid)
        if b is None:
            out.records[rid] = o  # added here
        elif o != b:  # edited here, removed there: the edit wins
            out.records[rid] = o
            out.conflicts.append(Conflict(rid, EDITED_HERE, "ours", None))
        # else: removed there, untouched here: stays removed
    return out


@dataclass(frozen=True)
class RecordKind(Generic[T]):
    """One kind of record in a shared file: the key of its list in the file, and how
    an object becomes a JSON record and back (``decode`` raises ``ValueError``,
    ``KeyError``, ``TypeError`` or ``AttributeError`` for a malformed record)."""

    key: str
    encode: Callable[[T], Record]
    decode: Callable[[Record], T]
    id_of: Callable[[T], str]


@dataclass
class MergeOutcome(Generic[T]):
    records: list[Record]  # what the file should hold now
    write: bool  # the file does not hold that yet
    changed: bool  # the merge changed what this session holds (others' changes came in)
    conflicts: list[Conflict] = field(default_factory=list)


class SyncedRecords(Generic[T]):
    """The records of one kind a session holds, and the base they were last merged
    with. The app changes them (:meth:`put`, :meth:`remove`) from its thread; the
    storage layer merges them with the file (:meth:`merge`) from another. A lock keeps
    both apart, held only for in-memory work.

    ``prepare`` turns records decoded from the file into the objects the session
    holds (marks are re-anchored to the texts); it must be pure. Records are compared
    in that prepared form, so what ``prepare`` changes (a mark found a few characters
    further) is not taken for an edit and written back by a session that changed
    nothing."""

    def __init__(
        self, kind: RecordKind[T], prepare: Callable[[list[T]], list[T]] | None = None
    ) -> None:
        self.kind = kind
        self.prepare = prepare
        self._lock = threading.RLock()
        self._items: dict[str, T] = {}
        self._list: list[T] = []
        self._encoded: dict[str, tuple[T, Record]] = {}  # id -> (object, its record)
        self._base_raw: dict[str, Record] = {}  # the file's records as last read/written
        self._base: dict[str, Record] = {}  # the same, prepared and re-encoded

    # -- the session's side ---------------------------------------------------------------
    @property
    def items(self) -> list[T]:
        """The records, in order (a list that is replaced, never changed in place)."""
        return self._list

    def get(self, rid: str) -> T | None:
        return self._items.get(rid)

    def put(self, item: T) -> None:
        """Add ``item``, or replace the record with its id (keeping its place)."""
        with self._lock:
            rid = self.kind.id_of(item)
            if rid in self._items:
                self._items[rid] = item
                self._list = list(self._items.values())
            else:
                self._items[rid] = item
                self._list = [*self._list, item]

    def remove(self, rid: str) -> T | None:
        with self._lock:
            gone = self._items.pop(rid, None)
            if gone is not None:
                self._list = list(self._items.values())
            return gone

    def replace_all(self, items: Iterable[T]) -> None:
        with self._lock:
            self._items = {self.kind.id_of(i): i for i in items}
            self._list = list(self._items.values())

    def pending(self) -> bool:
        """Whether this session holds changes the file does not have yet."""
        with self._lock:
            return self._ours() != self._base

    # -- the storage side -----------------------------------------------------------------
    def _record(self, item: T) -> Record:
        rid = self.kind.id_of(item)
        cached = self._encoded.get(rid)
        if cached is not None and cached[0] is item:
            return cached[1]
        record = self.kind.encode(item)
        self._encoded[rid] = (item, record)
        return record

    def _ours(self) -> dict[str, Record]:
        return {rid: self._record(item) for rid, item in self._items.items()}

    def read(self, raw: Sequence[Any]) -> dict[str, tuple[Record, Record, T | None]]:
        """Decode and prepare what the file holds: ``id -> (raw record, prepared record,
        object)``. Only records that changed since the base are decoded (the others
        get None for the object). Raises ``ValueError`` (or what ``decode`` raises) for
        a malformed list. Call it holding nothing: this is the slow part."""
        out: dict[str, tuple[Record, Record, T | None]] = {}
        fresh: list[tuple[str, Record, T]] = []
        seen: set[str] = set()
        for rec in raw:
            if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
                raise ValueError("a record without an id")
            rid = rec["id"]
            if rid in seen:
                raise ValueError(f"two records with the id {rid!r}")
            seen.add(rid)
            if self._base_raw.get(rid) == rec:
                out[rid] = (rec, self._base[rid], None)
            else:
                fresh.append((rid, rec, self.kind.decode(rec)))
                out[rid] = (rec, rec, None)  # a place holder, keeps the file's order
        if fresh:
            objects = [obj for _, _, obj in fresh]
            if self.prepare is not None:
                objects = self.prepare(objects)
            for (rid, rec, _), obj in zip(fresh, objects):
                prepared = self.kind.encode(obj)
                out[rid] = (rec, rec if prepared == rec else prepared, obj)  # share if equal
        return out

    def merge(
        self, theirs: Mapping[str, tuple[Record, Record, T | None]] | None
    ) -> MergeOutcome[T]:
        """Merge this session's records with the file's (from :meth:`read`; None: the
        file is as this session last left it). This session then holds the merged
        records and the base is the file as read; call :meth:`written` once the
        outcome's records are on disk."""
        with self._lock:
            if theirs is None:
                theirs = {rid: (self._base_raw[rid], rec, None) for rid, rec in self._base.items()}
            result = three_way(self._base, self._ours(), {rid: v[1] for rid, v in theirs.items()})
            items: dict[str, T] = {}
            records: list[Record] = []
            for rid, rec in result.records.items():
                if rid in result.from_theirs:
                    raw, _, obj = theirs[rid]
                    if obj is None:  # pragma: no cover - a changed record is decoded
                        obj = self._decode_one(raw)
                    items[rid] = obj
                    self._encoded[rid] = (obj, rec)
                    records.append(raw)  # as the file has it, keys we do not know kept
                else:
                    items[rid] = self._items[rid]
                    unchanged = rid in theirs and theirs[rid][1] == rec
                    records.append(theirs[rid][0] if unchanged else rec)
            changed = bool(result.from_theirs) or items.keys() != self._items.keys()
            self._items = items
            self._list = list(items.values())
            self._base_raw = {rid: v[0] for rid, v in theirs.items()}
            self._base = {rid: v[1] for rid, v in theirs.items()}
            return MergeOutcome(
                records,
                write=records != list(self._base_raw.values()),
                changed=changed,
                conflicts=result.conflicts,
            )

    def _decode_one(self, raw: Record) -> T:
        obj = self.kind.decode(raw)
        return self.prepare([obj])[0] if self.prepare is not None else obj

    def written(self, records: Sequence[Record]) -> None:
        """The file now holds ``records`` (as :meth:`merge` returned them): the new
        base. A record this session encoded is its own prepared form."""
        with self._lock:
            base_raw = {r["id"]: r for r in records}
            self._base = {
                rid: self._base[rid] if self._base_raw.get(rid) == r else r
                for rid, r in base_raw.items()
            }
            self._base_raw = base_raw
