"""The one sanitiser for untrusted text (document text, file names, notes) on every
surface that reaches a terminal or a file: panes, titles, dialogs, notifications,
CLI messages and the text exports.

Each character that could act on a terminal or reorder what is shown becomes one
visible stand-in, so offsets into the text stay valid:

- C0 controls (ESC, NUL, BEL, CR, ...) become their Unicode "control picture"
  (``\\x1b`` -> ``␛``), DEL becomes ``␡``;
- C1 controls (U+0080-U+009F: 8-bit CSI, OSC, ST, NEL ...), the bidirectional
  embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and lone
  surrogates (a file name with bytes that are not UTF-8) become U+FFFD.

Tab and newline are kept by :func:`visible` (exports are multi-line) and made visible
by :func:`one_line` (messages). :func:`json_text` keeps every character but writes the
dangerous ones as ``\\u`` escapes, so JSON stays exact and still never carries them raw.
"""

from __future__ import annotations

import json
import re
from typing import Any

REPLACEMENT = "\ufffd"

#: what each dangerous character becomes (one character for one)
TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20)}
TABLE[0x7F] = "\u2421"
TABLE.update(dict.fromkeys(range(128, 160), REPLACEMENT))
TABLE.update(dict.fromkeys((*range(8234, 8239), *range(8294, 8298)), REPLACEMENT))
TABLE.update(dict.fromkeys(range(55296, 57344), REPLACEMENT))

#: the same set as a regex class: C0 without tab and newline, then tab and newline
_OTHERS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_PATTERNS = {
    "": re.compile(f"[\x00-\x1f{_OTHERS}]"),
    "\t\n": re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]"),
}
_TABLES: dict[str, dict[int, str]] = {}


def _table(keep: str) -> dict[int, str]:
    table = _TABLES.get(keep)
    if table is None:
        table = {c: r for c, r in TABLE.items() if chr(c) not in keep}
        _TABLES[keep] = table
    return table


def visible(text: str, keep: str = "\t\n") -> str:
    """``text`` with every dangerous character (see the module) replaced by a visible
    one, character for character; the characters in ``keep`` stay as they are."""
    pattern = _PATTERNS.get(keep, _PATTERNS[""])
    if pattern.search(text) is None:  # the common case: nothing to do, no copy
        return text
    return text.translate(_table(keep))


def one_line(text: str) -> str:
    """``text`` safe for a one-line message: tabs and newlines made visible too."""
    return visible(str(text), keep="")


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with lone surrogates (bytes of a file name that are not UTF-8, a note
    read from a hand-edited file) replaced by U+FFFD, so UTF-8 can encode it: for
    what leaves as data rather than as display, such as the clipboard."""
    return _SURROGATE.sub(REPLACEMENT, text)


#: characters JSON may carry inside strings but that must not reach a terminal raw:
#: DEL, C1, bidi controls, line/paragraph separators, lone surrogates
_JSON_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(obj: Any, **kwargs: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, **kwargs)`` whose output holds no control
    character, bidi control or lone surrogate: json escapes C0 itself; the rest is
    written as ``\\uXXXX`` (valid JSON that loads back to the same strings, and
    encodable as UTF-8 even when a file name holds bytes that are not UTF-8)."""
    return json_safe(json.dumps(obj, ensure_ascii=False, **kwargs))


def json_safe(text: str) -> str:
    """JSON ``text`` (as ``json.dumps(..., ensure_ascii=False)`` writes it) with the
    characters :func:`json_text` escapes written as ``\\uXXXX``."""
    return _JSON_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
