"""Opening and writing the user's files safely.

- :func:`read_regular` reads only a regular file: the path is opened without blocking
  (a FIFO never hangs the reader), the open file is checked with ``fstat`` (a device,
  FIFO, socket or folder is refused, even one swapped in after a first check) and
  never more than a size limit is read (``/dev/zero`` cannot fill the memory).
- :func:`atomic_write` writes a temporary file in the destination's folder, flushes
  and fsyncs it, renames it into place and fsyncs the folder: a crash or ``kill -9``
  leaves the old or the new file, never a torn one. A symbolic link is written
  through (its target is replaced, the link stays); only a regular file is ever
  replaced: a device, FIFO, socket or folder is refused.
- :func:`exclusive_lock` is an advisory lock (``flock``) on a small ``NAME.lock``
  file beside a file, for read-merge-write cycles between processes.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.core.visible import one_line

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no advisory locks
    fcntl = None  # type: ignore[assignment]

TMP_SUFFIX = ".tmp"
LOCK_SUFFIX = ".lock"


def display_path(path: Path | str) -> str:
    """A path for a one-line message, shown literally: control characters, escape
    sequences, bidi controls and bytes that are not UTF-8 made visible
    (:func:`reader.core.visible.one_line`, the sanitiser of every surface)."""
    return one_line(str(path))


class RefusedFile(OSError):
    """A path that is not a regular file, or too large; ``str()`` is one line saying why
    (without the path: callers name it)."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, for a message: "a folder", "a FIFO (named pipe)"..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def mib(n: float) -> str:
    """A size in MiB (1,048,576 bytes) at a useful precision: ``50 MiB``, ``1.5 MiB``."""
    value = n / (1024 * 1024)
    return f"{value:.0f} MiB" if value >= 10 else f"{value:.3g} MiB"


def size_over(size: int, limit: int) -> str:
    """``size`` and ``limit`` side by side, precise enough that they differ
    (``50.0000 MiB`` would hide that one is a byte more): ``61 MiB > 50 MiB limit``,
    or in bytes when MiB at three decimals would print the same."""
    if mib(size) != mib(limit):
        return f"{mib(size)} > {mib(limit)} limit"
    return f"{size:,} bytes > {limit:,}-byte limit ({mib(limit)})"


def _refuse_mode(mode: int) -> None:
    if not stat.S_ISREG(mode):
        what = kind_of(mode)
        raise RefusedFile(
            errno.EINVAL, what if what.startswith("not") else f"{what}, not a regular file"
        )


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (symbolic links followed), at most
    ``limit`` of them. Raises :class:`RefusedFile` for anything else or anything
    larger, and ``OSError`` (``FileNotFoundError``, ``PermissionError`` ...) as
    ``open`` does. Never blocks on a FIFO or a device."""
    _refuse_mode(os.stat(path).st_mode)  # cheap first check: no open of a device at all
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_NOCTTY", 0)
        | getattr(os, "O_BINARY", 0)
    )
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)  # what was opened, whatever the path points to now
        _refuse_mode(st.st_mode)
        if st.st_size > limit:
            raise RefusedFile(errno.EFBIG, f"too large ({size_over(st.st_size, limit)})")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while it was read
                raise RefusedFile(errno.EFBIG, f"too large (over the {mib(limit)} limit)")
        return b"".join(chunks)
    finally:
        os.close(fd)


def fsync_dir(folder: str | os.PathLike[str]) -> None:
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


def destination(path: str | os.PathLike[str]) -> Path:
    """Where writing ``path`` lands: the file a chain of symbolic links ends at (even
    when that file does not exist yet), else ``path`` itself."""
    path = Path(path)
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def check_replaceable(path: str | os.PathLike[str]) -> None:
    """Raise :class:`RefusedFile` unless ``path`` (links followed) is missing or a
    regular file: the only things an overwrite may replace."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise RefusedFile(errno.ELOOP, "a loop of symbolic links") from None
        raise
    _refuse_mode(mode)


_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells it
    (Linux: ``/proc/self/status``), else by setting and restoring it under a lock."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], data: str, *, overwrite: bool = True) -> Path:
    """Write ``data`` (UTF-8) to ``path`` through a temporary file in the same folder,
    flushed, fsynced and renamed into place; the folder is fsynced after. A symbolic
    link is written through: its final target is replaced and the link stays.

    With ``overwrite=False`` nothing that exists (a file, a link, anything) is ever
    replaced (``FileExistsError``); with ``overwrite=True`` only a regular file is:
    anything else raises :class:`RefusedFile`. On any error the temporary file is
    removed and the destination is left as it was. Returns where the data went."""
    link = Path(path)
    if not overwrite and os.path.lexists(link):
        raise FileExistsError(errno.EEXIST, "File exists", str(link))
    real = destination(link) if overwrite else link
    check_replaceable(real)
    folder = real.parent
    encoded = data.encode("utf-8")  # before any file exists: an encoding error writes nothing
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(encoded)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file 0600: give it the mode a plain open() would (the
        # umask's), or the mode of the file it replaces
        try:
            mode = os.stat(real).st_mode & 0o7777 if overwrite else None
        except OSError:
            mode = None
        try:
            os.chmod(tmp, (0o666 & ~current_umask()) if mode is None else mode)
        except OSError:
            pass
        if overwrite:
            check_replaceable(real)  # again, just before: never a device swapped in
            os.replace(tmp, real)
        else:
            try:
                os.link(tmp, real)  # fails if real exists: no check-then-write race
            except FileExistsError:
                raise
            except OSError:  # hard links unsupported here: check, then rename
                if os.path.lexists(real):
                    raise FileExistsError(errno.EEXIST, "File exists", str(real)) from None
                os.replace(tmp, real)
            else:
                os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)
    return real


def remove_stale_temps(
    folder: str | os.PathLike[str], prefix: str, older_than: float = 60.0
) -> int:
    """Delete temporary files (``.PREFIX….tmp``) that a killed write left in ``folder``,
    when older than ``older_than`` seconds."""
    n = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for e in entries:
        if e.name.startswith("." + prefix + ".") and e.name.endswith(TMP_SUFFIX):
            try:
                if (
                    e.is_file(follow_symlinks=False)
                    and now - e.stat(follow_symlinks=False).st_mtime > older_than
                ):
                    os.unlink(e.path)
                    n += 1
            except OSError:
                pass
    return n


class LockTimeout(OSError):
    """Another process held the lock for longer than we waited."""


@contextmanager
def exclusive_lock(path: str | os.PathLike[str], timeout: float = 10.0) -> Iterator[Path]:
    """Hold an exclusive advisory lock (``flock``) on ``PATH.lock`` for the ``with``
    block. The lock file is created when missing and never removed (removing it would
    let two processes lock two different files). Waits at most ``timeout`` seconds,
    then raises :class:`LockTimeout`. Without ``fcntl`` (not POSIX) this locks nothing."""
    lock_path = Path(path).with_name(Path(path).name + LOCK_SUFFIX)
    if fcntl is None:  # pragma: no cover
        yield lock_path
        return
    flags = (
        os.O_RDWR
        | os.O_CREAT
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NOCTTY", 0)
    )
    try:
        fd = os.open(lock_path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW: the lock file is a symbolic link
            raise RefusedFile(
                errno.ELOOP, f"{lock_path.name} is a symbolic link, not a lock file"
            ) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise RefusedFile(errno.EINVAL, f"{lock_path.name} is {kind_of(mode)}, not a lock file")
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        errno.EWOULDBLOCK,
                        "another reader held the lock on "
                        f"{lock_path.name} for over {timeout:.0f} s",
                    ) from None
                time.sleep(delay)
                delay = min(0.05, delay * 2)
        try:
            yield lock_path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
