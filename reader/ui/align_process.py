"""The reading view's alignment in a process of its own, started before the interface.

``reader DIR`` spends its first few hundred milliseconds importing Textual and painting
the panes, and the alignment needs numpy and scipy (another few hundred milliseconds to
import) before it can start. In one process those run one after the other (the GIL:
a thread importing numpy stalls the thread painting the panes). So the command line
calls :func:`start` right after reading the files and *before* importing Textual: the
process is still single-threaded there, which is what makes ``fork`` safe, and the
child segments and aligns on the other core while the parent builds the interface.

The child prepares what the panes show at each strictness
(:func:`reader.ui.panes.levels.prepare`: the shading; the parent's worker builds the
lookup indexes, sooner than they would come through the pipe) and sends it back
through a pipe, the default level first, with its progress before that. The sources
are not sent back: both processes segment the same documents with the same code, and
the parent checks the child's sentences against its own before using anything
(:meth:`AlignProcess.messages`). Esc, quitting or an error kills the child; a child
that fails before its first result leaves the alignment to the app's worker thread.

Without ``fork`` (Windows), or when the process already has threads, :func:`start`
returns None and the app aligns in a worker thread as before
(:meth:`reader.ui.aligner.Aligner.align`).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.core.text.load import Document
    from reader.core.text.segment import Source
    from reader.ui.panes.levels import Prepared

_HEADER = struct.Struct("<Q")

#: the same step's progress at most this often (a new step at once)
PROGRESS_EVERY = 0.25


class Progress:
    """Which of the aligner's progress calls are worth a message: a new step at once
    (the next may be long: loading the encoder, a batch of sentences), the same step
    every :data:`PROGRESS_EVERY` seconds and its end. Used by this module's child and by
    the app's alignment thread; the status line decides when to show them
    (:meth:`reader.ui.status.StatusBar.progress`)."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._at = 0.0
        self._text = ""

    def wanted(self, text: str, fraction: float) -> bool:
        now = self._clock()
        if text != self._text or now - self._at >= PROGRESS_EVERY or fraction >= 1.0:
            self._at, self._text = now, text
            return True
        return False


def _fingerprint(sources: Sequence[Source]) -> list[tuple[str, int]]:
    """What the two processes must agree on: each source's name and sentence offsets."""
    return [(s.name, hash(tuple(s.sentences))) for s in sources]


class AlignProcess:
    """The parent's handle on the alignment child: read its messages, stop it."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self._fd = fd
        self._lock = threading.Lock()
        self._status: int | None = None  # the child's wait status once reaped
        self._buffer = bytearray()  # bytes read, not yet a whole message
        self._eof = False
        self._checked = False  # the child's sentences match ours
        self._pool: Any = None
        self._held: list[tuple[Any, ...]] = []  # what :meth:`early` read and left

    def early(self, sources: Sequence[Source], wait: float = 0.0) -> Prepared | None:
        """The default level, if the child sends it within ``wait`` seconds (0: only if
        it is there already). The app asks before its first frame, which is then
        aligned when the child was the quicker (a few articles). What else it read is
        kept for :meth:`messages`."""
        for message in self._interpreted(sources, until=time.monotonic() + wait):
            if message[0] == "ready":
                return message[1]
            if message[0] != "progress":  # (progress older than the result: dropped)
                self._held.append(message)
                return None
        return None

    def messages(self, sources: Sequence[Source]) -> Iterator[tuple[Any, ...]]:
        """The child's messages, in order: ``("progress", text, fraction)``,
        ``("ready", prepared)`` (the default level), ``("level", prepared)`` (each
        other level) and ``("failed", text)``. Blocks on the pipe (call it from a
        worker thread). Ends when the child is done; a child that ended without
        saying why gives ``("failed", ...)``."""
        for message in self._interpreted(sources):
            if message[0] == "done":
                return
            yield message
            if message[0] == "failed":
                return
        status = self.wait()
        yield ("failed", f"the alignment process {_how_it_ended(status)}")

    def _interpreted(
        self, sources: Sequence[Source], until: float | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """The messages as the app takes them: the child's sentences checked against
        ``sources`` first (a mismatch or a result before the check: ``failed``), the
        levels unpacked onto ``sources``. ``until``: a ``time.monotonic()`` after which
        no more is waited for (None: wait for the pipe's end)."""
        while self._held:
            yield self._held.pop(0)
        while (body := self._frame(until)) is not None:
            message = pickle.loads(body)
            if message[0] == "segmented":
                if message[1] != _fingerprint(sources):  # never show another text's links
                    self.cancel()
                    yield ("failed", "the alignment process split the texts differently")
                    return
                self._checked = True
                continue
            if not self._checked and message[0] != "failed":
                self.cancel()
                yield ("failed", "the alignment process sent no sentences to check")
                return
            if message[0] == "ready":
                self._pool = message[2]
                for source, lang in zip(sources, message[3]):  # as aligning here does
                    source.lang = lang
            if message[0] in ("ready", "level"):
                message = (message[0], _unpack(message[1], sources, self._pool))
            yield message
            if message[0] == "ready":  # shown: now what a correction needs of the pool
                message[1].alignment.build_indexes()

    def _frame(self, until: float | None) -> bytes | None:
        """The next whole message's bytes from the pipe (None at its end, or when no
        whole message is there by ``until``, if given)."""
        while True:
            if len(self._buffer) >= _HEADER.size:
                size = _HEADER.unpack_from(self._buffer)[0]
                end = _HEADER.size + size
                if len(self._buffer) >= end:
                    body = bytes(self._buffer[_HEADER.size : end])
                    del self._buffer[:end]
                    return body
            if self._eof or self._fd < 0:
                return None
            if until is not None:
                wait = max(0.0, until - time.monotonic())
                if not select.select([self._fd], [], [], wait)[0]:
                    return None
            try:
                chunk = os.read(self._fd, 1 << 20)
            except InterruptedError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                self._eof = True
                return None
            self._buffer += chunk

    def cancel(self) -> None:
        """Stop the child (Esc, quitting): it is killed, not asked."""
        with self._lock:
            if self._status is None:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def wait(self) -> int | None:
        """Reap the child (after it ended or was killed); its wait status."""
        with self._lock:
            if self._status is None:
                try:
                    self._status = os.waitpid(self.pid, 0)[1]
                except ChildProcessError:
                    self._status = 0
            return self._status

    def close(self) -> None:
        """Kill the child if it still runs, reap it and close the pipe (idempotent)."""
        self.cancel()
        self.wait()
        if self._fd >= 0:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = -1


def _how_it_ended(status: int | None) -> str:
    if status is None:
        return "ended without a result"
    if os.WIFSIGNALED(status):
        return f"was stopped by signal {os.WTERMSIG(status)}"
    return f"ended without a result (exit {os.waitstatus_to_exitcode(status)})"


def _pack(prepared: Prepared) -> tuple:
    """A prepared level without its sources (the parent has its own) and its pool
    (sent once): what the alignment is made of and the indexes :func:`prepare` built,
    as the C pickler takes them (no Python call per object)."""
    from functools import cached_property

    al = prepared.alignment
    made = (al.links, al.boilerplate, al.strictness, al.notes, al.corrections)
    built = {
        k: v for k, v in vars(al).items() if isinstance(getattr(type(al), k, None), cached_property)
    }
    return made, built, prepared.kinds, prepared.counterparts, prepared.related


def _unpack(packed: tuple, sources: Sequence[Source], pool: Any) -> Prepared:
    """The level :func:`_pack` sent, on the parent's own sources."""
    from reader.core.alignment.model import Alignment
    from reader.ui.panes.levels import Prepared

    (links, boilerplate, strictness, notes, corrections), built, kinds, cps, related = packed
    al = Alignment(list(sources), links, boilerplate, strictness, pool, notes, corrections)
    vars(al).update(built)  # what the shading needed, as cached_property keeps it
    al.build_indexes(pool=False)  # the lookups, here (a worker): quicker than the pipe
    return Prepared(al, kinds, cps, related)


def start(documents: Sequence[Document]) -> AlignProcess | None:
    """Fork the alignment child now, if that is safe: a POSIX system and no thread
    but this one (call it before importing Textual). None otherwise."""
    if len(documents) < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    if os.environ.get("READER_ALIGN_IN_THREAD"):  # for comparison (benchmarks/bench_ui.py)
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: never returns into the caller
        code = 0
        try:
            os.close(read_end)
            _child(documents, write_end)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return AlignProcess(pid, read_end)


def _child(documents: Sequence[Document], fd: int) -> None:
    """Segment, align and prepare every strictness level; send it all to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent decides; we just stop
    null = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):  # never read keys nor write on the parent's terminal
        os.dup2(null, std)
    if sys.platform.startswith("linux"):  # die with the parent, even after kill -9
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:
            pass
        if os.getppid() == 1:
            return
    out = os.fdopen(fd, "wb")

    def send(*message: Any) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_HEADER.pack(len(data)))
        out.write(data)
        out.flush()

    try:
        from reader.core.text.segment import segment

        sources = segment(documents)
        send("segmented", _fingerprint(sources))
        from reader.core.alignment.pipeline import align_sources
        from reader.ui.panes.levels import preparation_order, prepare

        throttle = Progress()

        def progress(text: str, fraction: float) -> None:
            if throttle.wanted(text, fraction):
                send("progress", text, fraction)

        alignment = align_sources(sources, progress=progress)
        # the lookup indexes are built by the parent (see _unpack): 5 x 8k verses,
        # ~0.25 s to build here, ~0.3 s more to pickle and unpickle
        ready = prepare(alignment, lookups=False)
        send("ready", _pack(ready), alignment.pool, [s.lang for s in sources])
        if alignment.pool is not None:
            for level in preparation_order(alignment.strictness):
                send("level", _pack(prepare(alignment.at(level), lookups=False)))
        send("done")
    except BrokenPipeError:  # the parent is gone
        return
    except Exception as exc:
        send("failed", f"{type(exc).__name__}: {exc}")
