"""Bytes to text: UTF-8 (with or without BOM, a few broken bytes replaced), UTF-16
with or without a byte order mark, and other encodings detected (charset-normalizer
and the usual Western code pages, weighed by the characters a reader would find odd);
newlines translated as ``Path.read_text`` does. Pure: no files, no I/O."""

from __future__ import annotations

import unicodedata

#: bytes looked at to tell text from binary, and UTF-16 without a BOM
SNIFF = 8192

_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"  # BOM, zero-width space and joiners


def is_blank(ch: str) -> bool:
    """White space or an invisible character: never the start or end of a sentence."""
    return ch.isspace() or ch in _INVISIBLE


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
    head = data[:SNIFF]
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


def looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM is text
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return (b"\x00" in head[:1024] and controls / len(head) > 0.05) or controls / len(head) > 0.30


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
