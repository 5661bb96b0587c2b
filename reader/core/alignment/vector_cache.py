"""A disk cache of sentence vectors, keyed by (model, sentence text).

Re-opening a set of sources encodes nothing again; editing one sentence encodes that
sentence alone, since every sentence is its own entry. Vectors are kept as float16
(half the bytes; on bible-mark-xl the alignment is unchanged, see
``benchmarks/cross_language.py``).

Where: ``platformdirs.user_cache_dir("reader")/vectors-v1.sqlite3`` (the platform's cache
folder; ``READER_CACHE_DIR`` overrides the folder). The format version is in the file
name, so a newer reader with another layout never meets this one's file.

Why SQLite (the standard library's ``sqlite3``) and not files of our own:

- **Crash-safe.** Every write is one transaction behind SQLite's rollback journal: a
  crash or ``kill -9`` mid-write leaves the previous state (the journal is rolled back
  by the next open), never a torn file. This is the temp-file-and-rename guarantee,
  per transaction, without rewriting the whole cache on each save.
- **Two processes at once.** SQLite's file locks serialise writers; a reader or writer
  that waits more than a few seconds for the lock skips the cache this time (the
  sentences are encoded instead), it never fails.
- **Corrupt or foreign file.** A file SQLite cannot read, a database without our
  ``meta`` row, or a table of the wrong shape is moved aside (``….corrupt``, replacing
  an older one, so at most one is kept) and a fresh cache is built; a row whose vector
  has the wrong length is dropped and re-encoded. Never a traceback: if the folder
  cannot be written at all, the cache turns itself off for the session and says so
  once in :attr:`VectorCache.warnings`.
- **Bounded.** At most ``max_bytes`` (default 256 MB, ``READER_VECTOR_CACHE_MB``
  overrides; ``0`` turns the cache off): ~190k sentences of a 512-d model (1.4 kB
  each with its key and index entries). When a write
  takes the file past it, the least recently used entries are deleted down to 80 % and
  the freed pages returned to the file system (incremental vacuum). "Used" is the time
  an entry was last written or read, refreshed at most once an hour per entry so that
  re-opening a book does not rewrite its rows.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

FILE_NAME = "vectors-v1.sqlite3"
FORMAT = "reader-vectors"
VERSION = "1"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_BATCH = 500  # keys per SELECT (well under SQLite's variable limit)
_REFRESH_SECONDS = 3600  # a read refreshes an entry's "used" time at most this often
_PRUNE_TO = 0.8  # share of max_bytes kept after a prune
_BUSY_SECONDS = 5.0
_CORRUPT = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                                   dim INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY, model INTEGER NOT NULL,
                                    key BLOB NOT NULL, vec BLOB NOT NULL,
                                    used INTEGER NOT NULL, UNIQUE (model, key));
CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used);
"""
_TABLES = {"meta", "models", "vectors"}


def default_dir() -> Path:
    env = os.environ.get("READER_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reader", appauthor=False))


def default_max_bytes() -> int:
    env = os.environ.get("READER_VECTOR_CACHE_MB")
    if env:
        try:
            return max(0, int(float(env) * 1024 * 1024))
        except ValueError:
            pass
    return DEFAULT_MAX_BYTES


def text_key(text: str) -> bytes:
    """16 bytes identifying a sentence text (any str: lone surrogates and NULs included)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Corrupt(Exception):
    pass


class VectorCache:
    """Sentence vectors on disk. Thread-safe; every method is best effort and never
    raises for a problem with the cache file (see the module docstring)."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, max_bytes: int | None = None
    ) -> None:
        self.path = Path(path) if path is not None else default_dir() / FILE_NAME
        self.max_bytes = default_max_bytes() if max_bytes is None else max(0, int(max_bytes))
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._disabled = self.max_bytes == 0
        self._model_ids: dict[tuple[str, int], int] = {}

    # --- public ----------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return not self._disabled

    def get(self, model: str, dim: int, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of ``texts`` under ``model``: ``(vectors, found)``, float32 rows (zero
        where not found) and a boolean mask of the rows found."""
        out = np.zeros((len(texts), dim), dtype=np.float32)
        found = np.zeros(len(texts), dtype=bool)
        if not texts:
            return out, found
        keys = [text_key(t) for t in texts]
        rows = self._run(lambda conn: self._get(conn, model, dim, keys), default=None)
        if rows:
            for k, key in enumerate(keys):
                vec = rows.get(key)
                if vec is not None:
                    out[k] = vec
                    found[k] = True
        return out, found

    def put(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store ``vectors`` (one row per text) under ``model``."""
        vectors = np.asarray(vectors)
        if not texts or self._disabled:
            return
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise ValueError(f"{len(texts)} texts but vectors of shape {vectors.shape}")
        dim = vectors.shape[1]
        half = vectors.astype(np.float16)
        rows = [(text_key(t), half[k].tobytes()) for k, t in enumerate(texts)]
        self._run(lambda conn: self._put(conn, model, dim, rows), default=None)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except sqlite3.Error:
                    pass
                self._conn = None
                self._model_ids.clear()

    def __enter__(self) -> VectorCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- connection, errors --------------------------------------------------------------

    def _run(self, op, default):
        """Run ``op(conn)`` under the lock: rebuild once on corruption, skip when busy,
        turn the cache off when the file cannot be used at all."""
        with self._lock:
            for _attempt in range(2):
                if self._disabled:
                    return default
                try:
                    return op(self._connect())
                except _Corrupt as exc:
                    self._rebuild(str(exc))
                except sqlite3.Error as exc:
                    name = getattr(exc, "sqlite_errorname", "")
                    if name in _CORRUPT or (
                        isinstance(exc, sqlite3.DatabaseError)
                        and not isinstance(exc, sqlite3.OperationalError)
                        and not name
                    ):
                        self._rebuild(f"{type(exc).__name__}: {exc}")
                    elif name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in str(exc):
                        self._rollback()
                        return default  # another process holds it: encode instead
                    else:
                        self._disable(f"{exc}")
                        return default
                except OSError as exc:
                    self._disable(f"{exc.strerror or exc}")
                    return default
            self._disable("it is still unreadable after being rebuilt")
            return default

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=_BUSY_SECONDS, check_same_thread=False, isolation_level=None
        )
        try:
            self._check_or_create(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _check_or_create(self, conn: sqlite3.Connection) -> None:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # before the first table
            conn.execute("BEGIN IMMEDIATE")
            try:
                for stmt in filter(str.strip, _SCHEMA.split(";")):
                    conn.execute(stmt)
                conn.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('format', ?), ('version', ?)",
                    (FORMAT, VERSION),
                )
                conn.execute("COMMIT")
            except BaseException:
                self._rollback(conn)
                raise
            tables = _TABLES
        if not tables >= _TABLES:
            raise _Corrupt(f"not a reader vector cache (tables: {', '.join(sorted(tables))})")
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise _Corrupt(f"not a reader vector cache (meta: {meta})")
        cols = [r[1] for r in conn.execute("PRAGMA table_info(vectors)")]
        if cols != ["id", "model", "key", "vec", "used"]:
            raise _Corrupt(f"unexpected columns {cols}")

    def _rollback(self, conn: sqlite3.Connection | None = None) -> None:
        conn = conn or self._conn
        if conn is not None and conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _rebuild(self, reason: str) -> None:
        self.close_unlocked()
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            if self.path.exists():
                os.replace(self.path, aside)
            for suffix in ("-journal", "-wal", "-shm"):
                extra = self.path.with_name(self.path.name + suffix)
                if extra.exists():
                    extra.unlink()
        except OSError as exc:
            self._disable(f"could not move the unreadable cache aside: {exc.strerror or exc}")
            return
        self.warnings.append(
            f"vector cache {self.path} was unreadable ({reason}); "
            f"moved aside to {aside.name} and rebuilt"
        )

    def close_unlocked(self) -> None:
        """Close the connection (the caller holds the lock)."""
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None
        self._model_ids.clear()

    def _disable(self, reason: str) -> None:
        self.close_unlocked()
        if not self._disabled:
            self.warnings.append(f"vector cache {self.path} turned off for this session: {reason}")
        self._disabled = True

    # --- operations (called under the lock with a live connection) --------------------

    def _model_id(self, conn: sqlite3.Connection, model: str, dim: int, create: bool) -> int | None:
        key = (model, dim)
        if key in self._model_ids:
            return self._model_ids[key]
        row = conn.execute("SELECT id, dim FROM models WHERE name = ?", (model,)).fetchone()
        if row is None:
            if not create:
                return None
            cur = conn.execute("INSERT INTO models (name, dim) VALUES (?, ?)", (model, dim))
            mid = cur.lastrowid
            assert mid is not None  # an INSERT gives a row id
        else:
            mid, old_dim = row
            if old_dim != dim:  # same name, other shape: the old vectors are useless
                conn.execute("DELETE FROM vectors WHERE model = ?", (mid,))
                conn.execute("UPDATE models SET dim = ? WHERE id = ?", (dim, mid))
        self._model_ids[key] = mid
        return mid

    def _get(
        self, conn: sqlite3.Connection, model: str, dim: int, keys: list[bytes]
    ) -> dict[bytes, np.ndarray]:
        mid = self._model_id(conn, model, dim, create=False)
        if mid is None:
            return {}
        want = list(dict.fromkeys(keys))
        found: dict[bytes, np.ndarray] = {}
        stale: list[bytes] = []
        bad: list[bytes] = []
        now = int(time.time())
        nbytes = dim * 2
        for b0 in range(0, len(want), _BATCH):
            chunk = want[b0 : b0 + _BATCH]
            marks = ",".join("?" * len(chunk))
            for key, vec, used in conn.execute(
                f"SELECT key, vec, used FROM vectors WHERE model = ? AND key IN ({marks})",
                (mid, *chunk),
            ):
                if not isinstance(vec, bytes) or len(vec) != nbytes:
                    bad.append(key)
                    continue
                arr = np.frombuffer(vec, dtype=np.float16).astype(np.float32)
                if not np.all(np.isfinite(arr)):
                    bad.append(key)
                    continue
                found[key] = arr
                if not isinstance(used, int) or used < now - _REFRESH_SECONDS:
                    stale.append(key)
        if stale or bad:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "UPDATE vectors SET used = ? WHERE model = ? AND key = ?",
                    [(now, mid, k) for k in stale],
                )
                conn.executemany(
                    "DELETE FROM vectors WHERE model = ? AND key = ?", [(mid, k) for k in bad]
                )
                conn.execute("COMMIT")
            except sqlite3.OperationalError:
                self._rollback(conn)  # busy: the refresh can wait for another time
        return found

    def _put(
        self, conn: sqlite3.Connection, model: str, dim: int, rows: list[tuple[bytes, bytes]]
    ) -> None:
        now = int(time.time())
        conn.execute("BEGIN IMMEDIATE")
        try:
            mid = self._model_id(conn, model, dim, create=True)
            conn.executemany(
                "INSERT OR REPLACE INTO vectors (model, key, vec, used) VALUES (?, ?, ?, ?)",
                [(mid, k, v, now) for k, v in rows],
            )
            conn.execute("COMMIT")
        except BaseException:
            self._rollback(conn)
            self._model_ids.clear()  # an id created in the rolled-back transaction is gone
            raise
        self._prune(conn)

    def size_bytes(self) -> int:
        """The cache file's size as SQLite counts it (pages in use and free)."""
        return int(self._run(lambda c: _file_bytes(c), default=0))

    def _prune(self, conn: sqlite3.Connection) -> None:
        used_bytes = _file_bytes(conn) - _free_bytes(conn)
        if used_bytes <= self.max_bytes:
            return
        count = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        if count == 0:
            return
        keep = int(count * _PRUNE_TO * self.max_bytes / used_bytes)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "DELETE FROM vectors WHERE id IN (SELECT id FROM vectors "
                "ORDER BY used DESC LIMIT -1 OFFSET ?)",
                (keep,),
            )
            conn.execute("COMMIT")
        except BaseException:
            self._rollback(conn)
            raise
        conn.execute("PRAGMA incremental_vacuum")


def _file_bytes(conn: sqlite3.Connection) -> int:
    return (
        conn.execute("PRAGMA page_count").fetchone()[0]
        * conn.execute("PRAGMA page_size").fetchone()[0]
    )


def _free_bytes(conn: sqlite3.Connection) -> int:
    return (
        conn.execute("PRAGMA freelist_count").fetchone()[0]
        * conn.execute("PRAGMA page_size").fetchone()[0]
    )
