"""The Markdown export: quotes with attribution, notes and "Also in" counterparts;
Markdown punctuation in the text is backslash-escaped."""

from __future__ import annotations

from reader.core.export.passages import MARKS, ExportData, Occurrence

_MD_SPECIAL = set("\\`*[]<>|~")


def md_escape(text: str) -> str:
    """Text that reads the same in a Markdown renderer: punctuation that would start
    emphasis, links, code, HTML, tables or a heading/list is backslash-escaped."""
    out = "".join(
        "\\" + c
        if c in _MD_SPECIAL
        or (c == "_" and not (text[i - 1 : i].isalnum() and text[i + 1 : i + 2].isalnum()))
        else c
        for i, c in enumerate(text)
    )
    lines = []
    for line in out.split("\n"):
        stripped = line.lstrip(" ")
        if stripped[:1] in ("#", "+", "-", "=") or (
            stripped[:1].isdigit() and "." in stripped[:10] and stripped.split(".", 1)[0].isdigit()
        ):
            if stripped[:1].isdigit():
                head, tail = stripped.split(".", 1)
                stripped = head + "\\." + tail
            else:
                stripped = "\\" + stripped
            line = line[: len(line) - len(line.lstrip(" "))] + stripped
        lines.append(line)
    return "\n".join(lines)


def _md_quote(text: str) -> str:
    return "\n".join("> " + ln if ln.strip() else ">" for ln in md_escape(text.strip()).split("\n"))


def _where(o: Occurrence) -> str:
    return f"{md_escape(o.source)}, characters {o.start}\u2013{o.end}"


def to_markdown(data: ExportData) -> str:
    n = len(data.passages)
    title = "Marked passages" if data.kind == MARKS else "Passages shared verbatim"
    lines = [
        f"# {title}",
        "",
        f"{n} passage{'s' * (n != 1)} from {len(data.sources)} sources: "
        + ", ".join(md_escape(name) for name, _ in data.sources)
        + ".",
        "",
    ]
    for k, p in enumerate(data.passages, 1):
        o = p.occurrence
        heading = f"## {k}. {md_escape(o.source)}"
        if p.tag:
            heading += f" ({md_escape(p.tag)})"
        lines += [
            heading,
            "",
            _md_quote(o.text),
            "",
            f"\u2014 *{_where(o)}*"
            + (" (not found in the current text)" if o.status == "orphaned" else ""),
            "",
        ]
        if p.words:
            lines += [f"{p.words} words, in {1 + len(p.counterparts)} places.", ""]
        if p.note:
            lines += ["**Note:** " + md_escape(p.note).replace("\n", "  \n"), ""]
        if p.counterparts:
            lines += ["Also in:", ""]
            for c in p.counterparts:
                score = "" if c.score is None else f", score {c.score:.2f}"
                lines.append(f"- *{_where(c)}*{score}:")
                lines.append("")
                lines += ["  " + ln for ln in _md_quote(c.text).split("\n")]
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
