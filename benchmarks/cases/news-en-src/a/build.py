#!/usr/bin/env python3
"""Build the news-en development cases from the hand-written event files.

Usage:  python build.py [EVENT.txt ...]      (default: every events/*.txt)
Writes  ../news-en/<slug>/sources/*.txt and ../news-en/<slug>/gold.json.

Event file format (UTF-8, one event per file)
---------------------------------------------
    %% comment line (ignored anywhere)
    @event <slug>
    @title <free text>
    @facts
    <id>: <what the fact/slot is>              one per line
    @file <name>.txt
    <unit text> || <tags>                      one gold unit per line
    > <unit text> || <tags>                    same paragraph, but joined with "\n"
    (blank line)                               paragraph break ("\n\n")

Consecutive unit lines form one paragraph joined by one space (or "\n" for
lines starting with "> "). Every unit line must carry " || " followed by tags
or "-" for none.

Tags: ``id`` (the unit states fact/slot ``id``: sure), ``~id`` (the unit holds
only a piece of ``id``: partial), ``id=v`` (slot ``id`` with value ``v``; a
different value is a conflicting detail). Every id must be declared in @facts.

Gold derived mechanically, for two units of different files:
  sure pair     : they share a non-partial tag with the same base id and value
  possible pair : not sure, but they share a base id where at least one side
                  is partial or the values differ
"""
from __future__ import annotations

import itertools
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "news-en"


class BuildError(Exception):
    pass


@dataclass
class Unit:
    text: str
    tags: list[tuple[str, str | None, bool]]   # (base, value, partial)
    raw_tags: str
    newline_join: bool
    lineno: int


@dataclass
class Event:
    slug: str = ""
    title: str = ""
    facts: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[list[Unit]]] = field(default_factory=dict)  # name -> paragraphs


TAG_RE = re.compile(r"^(~?)([A-Za-z0-9_:\-]+)(?:=([A-Za-z0-9_.\-]+))?$")


def parse(path: Path) -> Event:
    ev = Event()
    mode = None
    cur: list[list[Unit]] | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        where = f"{path.name}:{n}"
        if line.startswith("%%"):
            continue
        if line.startswith("@event "):
            ev.slug = line.split(None, 1)[1].strip(); continue
        if line.startswith("@title "):
            ev.title = line.split(None, 1)[1].strip(); continue
        if line.strip() == "@facts":
            mode = "facts"; continue
        if line.startswith("@file "):
            name = line.split(None, 1)[1].strip()
            if name in ev.files:
                raise BuildError(f"{where}: file {name} declared twice")
            cur = ev.files[name] = [[]]
            mode = "file"; continue
        if mode == "facts":
            if not line.strip():
                continue
            # ids may contain ':' (h:verdict): split at ': '
            fid, sep, desc = line.partition(": ")
            if not sep:
                raise BuildError(f"{where}: fact line needs 'id: description'")
            fid = fid.strip()
            if fid in ev.facts:
                raise BuildError(f"{where}: fact {fid} declared twice")
            ev.facts[fid] = desc.strip()
            continue
        if mode == "file":
            assert cur is not None
            if not line.strip():
                if cur[-1]:
                    cur.append([])
                continue
            nl = line.startswith("> ")
            body = line[2:] if nl else line
            if " || " not in body:
                raise BuildError(f"{where}: unit line without ' || tags'")
            text, raw = body.rsplit(" || ", 1)
            if text != text.strip() or not text:
                raise BuildError(f"{where}: unit text has surrounding whitespace or is empty")
            if nl and not cur[-1]:
                raise BuildError(f"{where}: '> ' line cannot start a paragraph")
            tags = []
            raw = raw.strip()
            if raw != "-":
                for t in raw.split():
                    m = TAG_RE.match(t)
                    if not m:
                        raise BuildError(f"{where}: bad tag {t!r}")
                    partial, base, val = bool(m.group(1)), m.group(2), m.group(3)
                    if base not in ev.facts:
                        raise BuildError(f"{where}: undeclared fact id {base!r}")
                    tags.append((base, val, partial))
            cur[-1].append(Unit(text, tags, raw, nl, n))
            continue
        if line.strip():
            raise BuildError(f"{where}: text outside @facts/@file")
    for name in ev.files:
        if not ev.files[name][-1]:
            ev.files[name].pop()
    if not ev.slug:
        raise BuildError(f"{path.name}: no @event")
    return ev


def render(paragraphs: list[list[Unit]]) -> tuple[str, list[tuple[int, int]], list[Unit]]:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    units: list[Unit] = []
    pos = 0
    for pi, para in enumerate(paragraphs):
        if pi:
            parts.append("\n\n"); pos += 2
        for ui, u in enumerate(para):
            if ui:
                sep = "\n" if u.newline_join else " "
                parts.append(sep); pos += len(sep)
            spans.append((pos, pos + len(u.text)))
            units.append(u)
            parts.append(u.text); pos += len(u.text)
    parts.append("\n")
    return "".join(parts), spans, units


def relation(a: Unit, b: Unit) -> str | None:
    sure = False
    possible = False
    for (ba, va, pa), (bb, vb, pb) in itertools.product(a.tags, b.tags):
        if ba != bb:
            continue
        if not pa and not pb and va == vb:
            sure = True
        else:
            possible = True
    return "sure" if sure else "possible" if possible else None


def build(path: Path) -> dict:
    ev = parse(path)
    case = OUT / ev.slug
    src = case / "sources"
    src.mkdir(parents=True, exist_ok=True)
    for old in src.glob("*.txt"):
        if old.name not in ev.files:
            old.unlink()
    names = sorted(ev.files)
    spans: dict[str, list[tuple[int, int]]] = {}
    units: dict[str, list[Unit]] = {}
    for name in names:
        text, sp, us = render(ev.files[name])
        (src / name).write_text(text, encoding="utf-8", newline="\n")
        back = (src / name).read_text(encoding="utf-8")
        for (s, e), u in zip(sp, us):
            if back[s:e] != u.text:
                raise BuildError(f"{name}: offset check failed at line {u.lineno}")
        spans[name], units[name] = sp, us
    pairs, possible = [], []
    for fa, fb in itertools.combinations(names, 2):
        for i, ua in enumerate(units[fa]):
            for j, ub in enumerate(units[fb]):
                r = relation(ua, ub)
                if r == "sure":
                    pairs.append([[fa, i], [fb, j]])
                elif r == "possible":
                    possible.append([[fa, i], [fb, j]])
    gold = {
        "units": {n: [list(s) for s in spans[n]] for n in names},
        "pairs": pairs,
        "possible": possible,
        "unit_ids": {n: [f"{n.rsplit('.', 1)[0]}#{i} [{u.raw_tags}]"
                         for i, u in enumerate(units[n])] for n in names},
        "meta": {
            "event": ev.slug,
            "title": ev.title,
            "note": "Hand-written development case for reader (fictional event, "
                    "original text, CC0). unit_ids give each unit's fact tags: "
                    "'id' = states the fact (sure), '~id' = holds a piece of it, "
                    "'id=v' = slot with value v. Sure pairs = shared sure tag; "
                    "possible = shared id with a partial side or differing value.",
            "facts": ev.facts,
        },
    }
    (case / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                    encoding="utf-8")
    # singleton/unused fact report
    used: dict[str, set[str]] = {}
    for n in names:
        for u in units[n]:
            for b, _, _ in u.tags:
                used.setdefault(b, set()).add(n)
    unused = sorted(set(ev.facts) - set(used))
    single = sorted(b for b, fs in used.items() if len(fs) == 1)
    stats = {
        "slug": ev.slug, "files": len(names),
        "units": {n: len(units[n]) for n in names},
        "units_total": sum(len(units[n]) for n in names),
        "chars": {n: len((src / n).read_text(encoding="utf-8")) for n in names},
        "pairs": len(pairs), "possible": len(possible),
        "unit_without_pair": sum(
            1 for n in names for i in range(len(units[n]))
            if not any((p[0] == [n, i] or p[1] == [n, i]) for p in pairs)),
        "unused_facts": unused, "single_file_facts": single,
    }
    return stats


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((HERE / "events").glob("*.txt"))
    try:
        for p in paths:
            st = build(p)
            print(json.dumps(st, ensure_ascii=False))
    except BuildError as exc:
        print(f"build error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
