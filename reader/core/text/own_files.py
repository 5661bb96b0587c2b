"""The reader's own files, told by their content: exports in every format, the marks
file and the output of ``reader align``. They are never read as sources, whatever
they are called (an export saved as ``notes.md`` next to the sources would otherwise
come back as one more pane, and its quotes would align with everything).

Each kind is recognised by the header the reader writes at the top of it (a format
line, a generator, a fixed first line), so a text that only shares a word or a
file name with one is still read.
"""

from __future__ import annotations

import re

#: how many bytes of a file are looked at
HEAD = 4096

_MD = re.compile(
    r"# (?:Marked passages|Passages shared verbatim)\n\n\d+ passages? from \d+ sources: "
)
_CSV = re.compile(r"passage,role,source,start,end,score,tag,note,status,words,text\r?\n")
_HTML = re.compile(
    r"<!DOCTYPE html>\s*<html[^>]*>\s*<head>(?:\s*<meta [^>]*>)*?"
    r"\s*<meta name=\"generator\" content=\"reader [^\"]*\">"
)
_ANNOTATIONS = re.compile(
    r"\{\s*\"@context\": \"http://www\.w3\.org/ns/anno\.jsonld\",\s*"
    r"\"type\": \"AnnotationCollection\",\s*\"label\": \"reader [^\"]*\",\s*"
    r"\"generator\": \{\s*\"type\": \"Software\",\s*\"name\": \"reader "
)
_MARKS = re.compile(r"\{\s*\"format\":\s*\"reader-marks\"")
_ALIGN_JSON = re.compile(r"\{\"reader\":\s*\"[^\"]*\",\s*\"strictness\":")
_SUMMARY = re.compile(
    r"\d+ sources, \d+ sentences, \d+ (?:counterpart )?links(?:, \d+ related)?\n\n"
    r"\S.* +lang +sentences +shared +unique\n"
)

KINDS = (
    (_MARKS, "a marks file"),
    (_MD, "a Markdown export"),
    (_CSV, "a CSV export"),
    (_HTML, "an HTML export"),
    (_ANNOTATIONS, "a JSON export"),
    (_ALIGN_JSON, "the output of reader align --json"),
    (_SUMMARY, "the output of reader align"),
)


def made_by_reader(data: bytes) -> str | None:
    """What the reader wrote, when ``data`` (a file's bytes; the first :data:`HEAD`
    are enough) is one of its own files (``"a Markdown export"``); None for a text."""
    head = data[:HEAD]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head[:1] not in (b"#", b"p", b"<", b"{", *(bytes([c]) for c in b"0123456789")):
        return None  # the cheap test: every kind starts with one of these
    text = head.decode("utf-8", "replace")
    for pattern, what in KINDS:
        if pattern.match(text):
            return what
    return None
