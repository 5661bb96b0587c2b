"""The disk cache of sentence vectors: round trip, corrupt and foreign files, bound,
two processes, kill -9 mid-write, and encoding through it."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from reader.core.alignment import encoders
from reader.core.alignment.vector_cache import FILE_NAME, VectorCache, default_dir
from reader.core.alignment.vectors import EncodingCancelled, sentence_vectors

MODEL = "test-model/1"


def vec(text: str, dim: int = 32) -> np.ndarray:
    """A deterministic unit vector for ``text``."""
    seed = int.from_bytes(
        hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


class CountingEncoder:
    """An Encoder (the protocol) giving each text a fixed pseudo-random vector, counting
    the sentences it is asked to encode: it stands for any backend in tests of the cache."""

    name = "counting/1"
    dim = 32
    languages = frozenset({"en", "de"})

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, sentences):
        self.calls.append(list(sentences))
        return np.array([vec(t, self.dim) for t in sentences]).reshape(len(sentences), self.dim)

    @property
    def encoded(self) -> int:
        return sum(map(len, self.calls))


@pytest.fixture
def cache_path(tmp_path):
    return tmp_path / "cache" / FILE_NAME


def texts(n: int, prefix: str = "sentence") -> list[str]:
    return [f"{prefix} number {k}." for k in range(n)]


def test_round_trip_and_misses(cache_path):
    ts = texts(10) + ["with a NUL \x00 and a lone surrogate \ud800", ""]
    vs = np.array([vec(t) for t in ts])
    with VectorCache(cache_path) as c:
        c.put(MODEL, ts[:8], vs[:8])
        got, found = c.get(MODEL, 32, ts)
    assert found.tolist() == [True] * 8 + [False] * 4
    assert np.allclose(got[:8], vs[:8], atol=2e-3)
    assert not got[8:].any()
    with VectorCache(cache_path) as c:  # a new process-like open sees it too
        got, found = c.get(MODEL, 32, ts[:8])
        assert found.all() and c.warnings == []
        _, found = c.get("other-model/1", 32, ts[:8])
        assert not found.any()
        c.put(MODEL, ts[8:], vs[8:])
        got, found = c.get(MODEL, 32, ts)
    assert found.all() and np.allclose(got, vs, atol=2e-3)


def test_default_location_is_the_platform_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("READER_CACHE_DIR", raising=False)
    from platformdirs import user_cache_dir

    assert default_dir() == Path(user_cache_dir("reader", appauthor=False))
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path))
    assert VectorCache().path == tmp_path / FILE_NAME


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database at all\n" * 100,
        b"SQLite format 3\x00" + b"\xff" * 5000,  # right magic, garbage after it
        b"",
    ],
)
def test_corrupt_file_is_moved_aside_and_rebuilt(cache_path, content):
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(content)
    ts = texts(5)
    with VectorCache(cache_path) as c:
        _got, found = c.get(MODEL, 32, ts)
        assert not found.any()
        c.put(MODEL, ts, np.array([vec(t) for t in ts]))
        _, found = c.get(MODEL, 32, ts)
        assert found.all()
    if content:  # an empty file is a valid empty database: nothing to move
        assert cache_path.with_name(FILE_NAME + ".corrupt").read_bytes() == content
        assert any("moved aside" in w for w in c.warnings)


def test_truncated_cache_is_rebuilt(cache_path):
    ts = texts(3000)
    with VectorCache(cache_path) as c:
        c.put(MODEL, ts, np.array([vec(t) for t in ts]))
    data = cache_path.read_bytes()
    cache_path.write_bytes(data[: len(data) // 2])
    with VectorCache(cache_path) as c:
        got, found = c.get(MODEL, 32, ts)  # never a traceback
        c.put(MODEL, ts[:10], np.array([vec(t) for t in ts[:10]]))
        got, found = c.get(MODEL, 32, ts[:10])
        assert found.all() and np.allclose(got, [vec(t) for t in ts[:10]], atol=2e-3)


def test_foreign_sqlite_database_is_not_reused(cache_path):
    cache_path.parent.mkdir(parents=True)
    con = sqlite3.connect(cache_path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('someone else''s data')")
    con.commit()
    con.close()
    with VectorCache(cache_path) as c:
        c.put(MODEL, ["a"], np.array([vec("a")]))
        assert c.get(MODEL, 32, ["a"])[1].all()
    aside = sqlite3.connect(cache_path.with_name(FILE_NAME + ".corrupt"))
    assert aside.execute("SELECT body FROM notes").fetchone() == ("someone else's data",)
    aside.close()


def test_bad_rows_are_dropped_and_encoded_again(cache_path):
    ts = texts(4)
    with VectorCache(cache_path) as c:
        c.put(MODEL, ts, np.array([vec(t) for t in ts]))
    con = sqlite3.connect(cache_path)
    con.execute("UPDATE vectors SET vec = x'0102' WHERE key = (SELECT MIN(key) FROM vectors)")
    con.execute(
        "UPDATE vectors SET vec = ? WHERE key = (SELECT MAX(key) FROM vectors)",
        (np.full(32, np.inf, dtype=np.float16).tobytes(),),
    )
    con.commit()
    con.close()
    with VectorCache(cache_path) as c:
        _, found = c.get(MODEL, 32, ts)
        assert found.sum() == 2
        enc = CountingEncoder()
        enc.name = MODEL
        sentence_vectors(enc, ts, c)
        assert enc.encoded == 2


def test_unusable_folder_turns_the_cache_off(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with VectorCache(blocker / "sub" / FILE_NAME) as c:
        c.put(MODEL, ["a"], np.array([vec("a")]))
        _got, found = c.get(MODEL, 32, ["a"])
        assert not found.any() and not c.enabled
        assert len(c.warnings) == 1 and "turned off" in c.warnings[0]


def test_zero_size_turns_the_cache_off(monkeypatch, cache_path):
    monkeypatch.setenv("READER_VECTOR_CACHE_MB", "0")
    with VectorCache(cache_path) as c:
        assert not c.enabled
        c.put(MODEL, ["a"], np.array([vec("a")]))
        assert not c.get(MODEL, 32, ["a"])[1].any()
    assert not cache_path.exists()


def test_size_is_bounded_and_least_recently_used_go_first(cache_path):
    limit = 400_000
    old, kept = texts(300, "old"), texts(300, "kept")
    with VectorCache(cache_path, max_bytes=limit) as c:
        c.put(MODEL, old, np.array([vec(t) for t in old]))
        c.put(MODEL, kept, np.array([vec(t) for t in kept]))
        con = sqlite3.connect(cache_path)
        con.execute("UPDATE vectors SET used = used - 864000")  # ten days ago
        con.commit()
        con.close()
        assert c.get(MODEL, 32, kept)[1].all()  # reading refreshes "kept"
        for k in range(20):
            batch = texts(300, f"new{k}")
            c.put(MODEL, batch, np.array([vec(t) for t in batch]))
            assert c.size_bytes() <= limit * 1.3, k
        assert c.size_bytes() <= limit * 1.3
        assert not c.get(MODEL, 32, old)[1].any()  # oldest went first
        assert c.get(MODEL, 32, batch)[1].all()  # the newest stayed
    assert cache_path.stat().st_size <= limit * 1.3


WRITER = textwrap.dedent("""
    import hashlib, sys
    import numpy as np
    from reader.core.alignment.vector_cache import VectorCache
    def vec(text, dim=32):
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
        return v / np.linalg.norm(v)
    path, who, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    c = VectorCache(path)
    for r in range(rounds):
        ts = [f"shared {r} {k}" for k in range(40)] + [f"{who} {r} {k}" for k in range(40)]
        c.put("m/1", ts, np.array([vec(t) for t in ts]))
        got, found = c.get("m/1", 32, ts)
        if found.any():
            assert np.allclose(got[found], np.array([vec(t) for t in ts])[found], atol=2e-3)
        print("round", r, flush=True)
    assert not [w for w in c.warnings if "moved aside" in w], c.warnings
    print("DONE", c.warnings, flush=True)
""")


def test_two_processes_at_once(cache_path):
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(cache_path), who, "30"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("first", "second")
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "DONE" in out
    with VectorCache(cache_path) as c:
        for who in ("first", "second", "shared"):
            ts = [f"{who} {r} {k}" for r in range(30) for k in range(40)]
            got, found = c.get("m/1", 32, ts)
            # a writer that found the file locked for 5 s skips its write (best effort),
            # but whatever is there is right
            assert found.mean() > 0.9
            assert np.allclose(got[found], np.array([vec(t) for t in ts])[found], atol=2e-3)


def test_kill_during_writes_leaves_a_usable_cache(cache_path):
    rng = np.random.default_rng(7)
    for attempt in range(8):
        p = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(cache_path), f"k{attempt}", "1000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert p.stdout.readline().startswith("round"), p.stderr.read()
        time.sleep(float(rng.uniform(0.0, 0.3)))
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        p.stdout.close()
        p.stderr.close()
        with VectorCache(cache_path) as c:
            ts = [f"shared 0 {k}" for k in range(40)]
            got, found = c.get("m/1", 32, ts)
            assert found.all(), attempt
            assert np.allclose(got, np.array([vec(t) for t in ts]), atol=2e-3)
            assert c.warnings == [], c.warnings
        con = sqlite3.connect(cache_path)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        con.close()


# --- sentence_vectors: encoding through the cache --------------------------------------


def test_second_open_encodes_nothing_and_a_changed_sentence_alone(cache_path):
    enc = CountingEncoder()
    ts = texts(50)
    with VectorCache(cache_path) as c:
        first = sentence_vectors(enc, ts, c)
    assert enc.encoded == 50
    with VectorCache(cache_path) as c:
        again = sentence_vectors(enc, ts, c)
        assert enc.encoded == 50
        assert np.array_equal(first, again)  # identical, cached or not
        edited = list(ts)
        edited[7] = "an edited sentence."
        out = sentence_vectors(enc, edited, c)
    assert enc.calls[-1] == ["an edited sentence."]
    assert np.allclose(out[7], vec("an edited sentence."), atol=2e-3)
    assert np.array_equal(out[:7], first[:7])


def test_duplicates_encoded_once_progress_and_no_cache():
    enc = CountingEncoder()
    seen = []
    out = sentence_vectors(
        enc,
        ["a", "b", "a", "c", "b"],
        None,
        progress=lambda done, total: seen.append((done, total)),
        batch=2,
    )
    assert enc.encoded == 3
    assert np.array_equal(out[0], out[2]) and np.array_equal(out[1], out[4])
    assert seen == [(0, 3), (2, 3), (3, 3)]
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=2e-3)


def test_stop_keeps_what_was_encoded(cache_path):
    enc = CountingEncoder()
    ts = texts(100)
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 2  # stop before the third batch

    with VectorCache(cache_path) as c:
        with pytest.raises(EncodingCancelled):
            sentence_vectors(enc, ts, c, should_stop=stop, batch=20)
        assert enc.encoded == 40
        sentence_vectors(enc, ts, c, batch=20)
    assert enc.encoded == 100  # the first 40 came from the cache


def test_encoder_returning_the_wrong_shape_is_an_error():
    class Broken(CountingEncoder):
        def encode(self, sentences):
            return np.zeros((len(sentences) + 1, self.dim))

    with pytest.raises(ValueError, match="shape"):
        sentence_vectors(Broken(), ["a"], None)


@pytest.mark.skipif(
    not encoders.available(), reason=f"multilingual extra not installed ({encoders.INSTALL_HINT})"
)
def test_real_encoder_through_the_cache(cache_path):
    enc = encoders.default_encoder()
    ts = ["The cat sleeps.", "Die Katze schläft.", "El gato duerme."]
    with VectorCache(cache_path) as c:
        a = sentence_vectors(enc, ts, c)
    with VectorCache(cache_path) as c:
        _got, found = c.get(enc.name, enc.dim, ts)
        assert found.all()
        b = sentence_vectors(enc, ts, c)
    assert np.array_equal(a, b)
    assert (a @ a.T)[0, 1] > 0.5
