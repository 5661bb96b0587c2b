"""Loading the text versions of a story from files and folders.

Pure I/O and decoding: no segmentation, no alignment. Every problem the user can
fix is raised as :class:`SourceError` with a one-line message; files that are
merely skipped (binary, empty) are reported as warnings.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.files import RefusedFile, kind_of, read_regular, size_over
from reader.core.segment import is_blank
from reader.core.visible import one_line

#: Default largest file accepted as "a text version of a story".
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_SNIFF = 8192


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


def display_path(path: Path | str) -> str:
    """A path for a one-line message, shown literally: control characters, escape
    sequences, bidi controls and bytes that are not UTF-8 made visible
    (:func:`reader.core.visible.one_line`, the sanitiser of every surface)."""
    return one_line(str(path))


def normalise_newlines(text: str) -> str:
    """Translate CRLF and CR to LF, exactly as ``Path.read_text`` does."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``data`` (no byte order mark) is UTF-16
    text: in its first 8 kB, zero bytes sit at one parity only (the high bytes of
    ASCII spaces, digits and letters) and it decodes to text without control
    characters. None otherwise: valid UTF-8 text holds no NUL bytes this way."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # a byte order mark: the detector handles UTF-16 with one
    head = data[:_SNIFF]
    head = head[: len(head) - len(head) % 2]
    if len(head) < 8:
        return None
    half = len(head) // 2
    even = head[0::2].count(0) / half
    odd = head[1::2].count(0) / half
    if odd >= 0.2 and even <= 0.02:
        encoding = "utf-16-le"
    elif even >= 0.2 and odd <= 0.02:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError:
        try:  # the sample may end inside a surrogate pair
            text = head[:-2].decode(encoding)
        except UnicodeDecodeError:
            return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return encoding if controls <= len(text) * 0.01 else None


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM is text
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return b"\x00" in head[:1024] and controls / len(head) > 0.05 or controls / len(head) > 0.30


#: Where detection cannot tell single-byte encodings apart (a short text in Latin
#: script: "Caf\xe9" reads as well in cp1252, cp1250, cp775 or cp1006), these are tried
#: too, after the detector's best match and in this order.
_PREFERRED = ("cp1252", "cp1250", "iso8859_15")
#: languages (as charset-normalizer names them) written with Latin letters beyond Latin-1
_EXTENDED_LATIN = frozenset(
    {
        "Croatian",
        "Czech",
        "Estonian",
        "Hungarian",
        "Latvian",
        "Lithuanian",
        "Polish",
        "Romanian",
        "Slovak",
        "Slovene",
        "Turkish",
        "Vietnamese",
    }
)
#: non-ASCII characters other than letters that Latin-script prose often holds
_TYPOGRAPHY = frozenset("“”‘’‚„–—…«»‹›€£¥°§©®™·•¡¿ºª")


def _surprises(text: str) -> tuple[int, int]:
    """``(odd, extended)`` for a decoding of unknown bytes. ``odd``: characters that
    would surprise a reader: non-ASCII ones that are neither letters, spaces nor usual
    typography (``Za¿ó³æ``, Polish read as cp1252, has two), typography inside a word
    (``t°rõ``, Hungarian read as cp1252), and, in a text mostly in Latin letters,
    letters of other scripts (``S緌 Paulo``, Portuguese read as big5).
    ``extended``: Latin letters outside Latin-1 (``crčme``: French read as cp1250)."""
    odd = other = latin = extended = 0
    last = len(text) - 1
    for k, ch in enumerate(text):
        if ch.isascii():
            latin += ch.isalpha()
        elif ch.isalpha():
            if ord(ch) < 0x100:
                latin += 1
            elif unicodedata.name(ch, "").startswith("LATIN"):
                latin += 1
                extended += 1
            else:
                other += 1
        elif ch.isspace():
            continue
        elif ch not in _TYPOGRAPHY or (
            0 < k < last and text[k - 1].isalpha() and text[k + 1].isalpha()
        ):
            odd += 1
    return odd + (other if latin > other else 0), extended


def _choose(results, data: bytes) -> tuple[str, str] | None:
    """``(encoding, text)``: of charset-normalizer's matches (nearly as clean as its
    best) and the usual Western code pages, the text with the fewest surprises (judged
    on its first 64 kB); unless the detector found a language written with them, fewer
    letters outside Latin-1 count too. Ties go to the detector's best, then to the
    usual code pages in order."""
    best = results.best()
    if best is None:
        return None
    matches = {r.encoding: r for r in results if r.chaos <= best.chaos + 0.1}
    order = list(dict.fromkeys([best.encoding, *_PREFERRED, *matches]))
    head = data[:65536]
    prefer_latin1 = best.language not in _EXTENDED_LATIN

    def key(enc: str) -> tuple[int, int]:
        try:  # a code page of ours must decode the bytes; a match has decoded them
            text = head.decode(enc, errors="ignore" if enc in matches else "strict")
        except UnicodeDecodeError:
            return 1 << 60, 0
        odd, extended = _surprises(text)
        return odd, extended if prefer_latin1 else 0

    for enc in sorted(order, key=key):  # stable: equals keep the order above
        if enc in matches:
            return enc, str(matches[enc])
        try:
            return enc, data.decode(enc)
        except UnicodeDecodeError:
            continue
    return best.encoding, str(best)


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Decode file bytes to text.

    Returns ``(text, encoding, note)``. UTF-8 (with or without BOM) is decoded so
    that the text equals ``Path.read_text(encoding="utf-8")``: a BOM stays in the
    text as U+FEFF and newlines are translated. Other encodings are detected
    with charset-normalizer; ``note`` then says what was assumed.
    """
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = data.decode(utf16, errors="replace")
        order = "little" if utf16.endswith("le") else "big"
        return (
            normalise_newlines(text),
            utf16,
            f"decoded as UTF-16 ({order}-endian, without a byte order mark)",
        )
    try:
        return normalise_newlines(data.decode("utf-8")), "utf-8", None
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    decoded = len(lenient) - len(lenient.encode("ascii", errors="ignore")) - bad
    if decoded > bad:
        # UTF-8 with a few broken bytes (a legacy text almost never holds valid UTF-8
        # sequences): keep it, rather than read all of it in a guessed code page
        return (
            normalise_newlines(lenient),
            "utf-8",
            f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD",
        )
    from charset_normalizer import from_bytes

    chosen = _choose(from_bytes(data), data)
    if chosen is not None and chosen[0] not in ("utf_8", "utf-8"):
        enc, text = chosen
        if enc != "cp1252" and data.decode("cp1252", errors="replace") == text:
            enc = "cp1252"  # the same text: name the encoding people know it by
        return normalise_newlines(text), enc, f"decoded as {enc} (not valid UTF-8)"
    return normalise_newlines(lenient), "utf-8", "invalid UTF-8 bytes replaced with U+FFFD"


def _candidate_files(folder: Path, warnings: list[str]) -> list[Path]:
    """The regular files of ``folder`` (not hidden; links followed), sorted by name.
    FIFOs, devices, sockets, broken links and link loops are skipped with a warning
    in ``warnings``; subfolders silently (not recursive)."""
    try:
        entries = list(os.scandir(folder))
    except PermissionError:
        raise SourceError(f"cannot read folder: {display_path(folder)} (permission denied)")
    except OSError as exc:
        raise SourceError(f"cannot read folder: {display_path(folder)} ({exc.strerror})")
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
        raise SourceError(f"no such file: {shown}")
    except PermissionError:
        raise SourceError(f"cannot read {shown}: permission denied")
    except RefusedFile as exc:
        if exc.errno != errno.EFBIG:
            raise SourceError(f"not a regular file: {shown} ({exc.strerror})")
        try:
            size = os.stat(path).st_size
        except OSError:
            size = max_bytes + 1
        raise SourceError(
            f"{shown} is too large to be a text version "
            f"({size_over(size, max_bytes)}; see --max-size)"
        )
    except OSError as exc:
        raise SourceError(f"cannot read {shown}: {exc.strerror}")
    if utf16_without_bom(data) is None and _looks_binary(data[:_SNIFF]):
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
