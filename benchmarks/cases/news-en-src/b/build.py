#!/usr/bin/env python3
"""Build the news-en development cases from the event files in src/events/.

Usage:  python build.py [--check]      (--check: parse and report, write nothing)

Each event file is plain UTF-8 text in a small line format:

    %% comment line (ignored)
    @event SLUG                  folder name of the case under news-en/
    @title TEXT                  one-line description (goes into gold.json "meta")
    @facts                       then one "id: description" per line
    @file NAME.txt               then that file's text, one unit (sentence) per line

Inside a @file section:
  * a blank line ends a paragraph (paragraphs are written separated by one blank line);
  * consecutive lines of one paragraph are joined by one space, except a line that starts
    with "| ", which is joined to the previous one by a newline (captions and credits,
    link lists, byline + date);
  * "<<raw>>" at the very start of a line is written before the unit but is not part of it
    (a bullet, a wire dateline);
  * "{id id ~id}" at the end of a line are the unit's fact tags: a bare id = the unit states
    that fact (sure), "~id" = the unit holds only a piece of it, or states it with a
    conflicting detail (partial). A line without tags is a unit with no counterpart.

Gold, for every two units of different files:
  * sure pair      if they share a sure id;
  * possible pair  otherwise, if they share any id (so at least one side is partial).

Writes news-en/SLUG/sources/*.txt and news-en/SLUG/gold.json, then news-en/README.md's
counts table (between the COUNTS markers).
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "news-en"
EVENTS = HERE / "events"

TAG_RE = re.compile(r"\s*\{([^{}]*)\}\s*$")
PREFIX_RE = re.compile(r"^<<(.*?)>>")
ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
MIN_UNITS, MAX_UNITS = 20, 50


class BuildError(Exception):
    pass


def parse(path: Path) -> dict:
    ev = {"slug": None, "title": "", "facts": {}, "files": {}, "path": path.name}
    section = None
    paras = None       # list of paragraphs of the current file
    para = None        # current paragraph (list of items) or None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        where = f"{path.name}:{lineno}"
        line = raw.rstrip()
        if line.startswith("%%"):
            continue
        if line.startswith("@event "):
            ev["slug"] = line[len("@event "):].strip()
            continue
        if line.startswith("@title "):
            ev["title"] = line[len("@title "):].strip()
            continue
        if line == "@facts":
            section = "facts"
            continue
        if line.startswith("@file "):
            name = line[len("@file "):].strip()
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*\.txt", name):
                raise BuildError(f"{where}: bad file name {name!r}")
            if name in ev["files"]:
                raise BuildError(f"{where}: file {name} given twice")
            section = "file"
            paras = ev["files"][name] = []
            para = None
            continue
        if line.startswith("@"):
            raise BuildError(f"{where}: unknown directive {line!r}")
        if section == "facts":
            if not line.strip():
                continue
            key, sep, desc = line.partition(":")
            key = key.strip()
            if not sep or not ID_RE.match(key) or not desc.strip():
                raise BuildError(f"{where}: expected 'id: description', got {line!r}")
            if key in ev["facts"]:
                raise BuildError(f"{where}: fact {key} declared twice")
            ev["facts"][key] = desc.strip()
            continue
        if section != "file":
            if line.strip():
                raise BuildError(f"{where}: text outside a @file section")
            continue
        if not line.strip():
            para = None
            continue
        joiner = " "
        if line.startswith("| "):
            joiner = "\n"
            line = line[2:]
        prefix = ""
        m = PREFIX_RE.match(line)
        if m:
            prefix = m.group(1)
            line = line[m.end():]
        tags: list[str] = []
        m = TAG_RE.search(line)
        if m:
            tags = m.group(1).split()
            line = line[: m.start()]
        if not line or line != line.strip() or "  " in line:
            raise BuildError(f"{where}: unit text empty or with stray spaces: {line!r}")
        if "{" in line or "}" in line or "<<" in line or "\t" in line:
            raise BuildError(f"{where}: markup left in unit text: {line!r}")
        sure, part = set(), set()
        for t in tags:
            fid = t[1:] if t.startswith("~") else t
            if fid not in ev["facts"]:
                raise BuildError(f"{where}: undeclared fact id {fid!r}")
            (part if t.startswith("~") else sure).add(fid)
        if sure & part:
            raise BuildError(f"{where}: {sorted(sure & part)} both sure and partial")
        item = {"text": line, "prefix": prefix, "joiner": joiner, "sure": sure,
                "part": part, "tags": tags, "where": where}
        if para is None:
            para = []
            paras.append(para)
            item["joiner"] = ""
        para.append(item)
    if not ev["slug"] or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ev["slug"]):
        raise BuildError(f"{path.name}: missing or bad @event slug")
    if len(ev["files"]) < 2:
        raise BuildError(f"{path.name}: fewer than two files")
    return ev


def render(paras: list[list[dict]]) -> tuple[str, list[dict]]:
    """Return the file text and its units (each item dict gains 'span')."""
    out = []
    pos = 0
    units = []
    for k, para in enumerate(paras):
        if k:
            out.append("\n\n")
            pos += 2
        for item in para:
            for piece in (item["joiner"], item["prefix"]):
                out.append(piece)
                pos += len(piece)
            start = pos
            out.append(item["text"])
            pos += len(item["text"])
            item["span"] = [start, pos]
            units.append(item)
    out.append("\n")
    return "".join(out), units


def gold_for(ev: dict) -> tuple[dict, dict, dict]:
    texts, units = {}, {}
    for name, paras in ev["files"].items():
        texts[name], units[name] = render(paras)
        for u in units[name]:
            assert texts[name][u["span"][0]:u["span"][1]] == u["text"]
    names = sorted(units)
    pairs, possible = [], []
    for fa, fb in itertools.combinations(names, 2):
        for i, ua in enumerate(units[fa]):
            ids_a = ua["sure"] | ua["part"]
            for j, ub in enumerate(units[fb]):
                if ua["sure"] & ub["sure"]:
                    pairs.append([[fa, i], [fb, j]])
                elif ids_a & (ub["sure"] | ub["part"]):
                    possible.append([[fa, i], [fb, j]])
    gold = {
        "units": {n: [u["span"] for u in units[n]] for n in names},
        "pairs": pairs,
        "possible": possible,
        "unit_ids": {n: [" ".join(u["tags"]) for u in units[n]] for n in names},
        "meta": {
            "event": ev["slug"],
            "title": ev["title"],
            "facts": ev["facts"],
            "note": "unit_ids are the fact tags of each unit (bare id = states the fact, "
                    "~id = partial/conflicting); sure pair = shared bare id, possible = "
                    "other shared id. Built by devset-b/src/build.py from "
                    f"src/events/{ev['path']}.",
        },
    }
    return texts, gold, units


def report(ev: dict, units: dict, gold: dict) -> list[str]:
    warn = []
    for name, us in units.items():
        if not MIN_UNITS <= len(us) <= MAX_UNITS:
            warn.append(f"{ev['slug']}/{name}: {len(us)} units (want {MIN_UNITS}-{MAX_UNITS})")
    used_sure = {f: set() for f in ev["facts"]}
    used_part = {f: set() for f in ev["facts"]}
    for name, us in units.items():
        for u in us:
            for f in u["sure"]:
                used_sure[f].add(name)
            for f in u["part"]:
                used_part[f].add(name)
    for f in ev["facts"]:
        if not used_sure[f] and not used_part[f]:
            warn.append(f"{ev['slug']}: fact {f} declared but never used")
        elif len(used_sure[f] | used_part[f]) < 2:
            warn.append(f"{ev['slug']}: fact {f} used in one file only "
                        f"({sorted(used_sure[f] | used_part[f])})")
    return warn


def main(argv: list[str]) -> int:
    check = "--check" in argv
    rows = []
    warnings = []
    for path in sorted(EVENTS.glob("*.txt")):
        ev = parse(path)
        texts, gold, units = gold_for(ev)
        warnings += report(ev, units, gold)
        nunits = sum(len(v) for v in gold["units"].values())
        per_file = ", ".join(f"{len(gold['units'][n])}" for n in sorted(gold["units"]))
        chars = sum(len(t) for t in texts.values())
        rows.append((ev["slug"], len(texts), nunits, per_file, chars,
                     len(gold["pairs"]), len(gold["possible"])))
        print(f"{ev['slug']}: {len(texts)} files, {nunits} units ({per_file}), "
              f"{chars} chars, {len(gold['pairs'])} sure, {len(gold['possible'])} possible")
        if check:
            continue
        case = OUT / ev["slug"]
        src = case / "sources"
        src.mkdir(parents=True, exist_ok=True)
        for old in src.glob("*.txt"):
            if old.name not in texts:
                old.unlink()
        for name, text in texts.items():
            (src / name).write_text(text, encoding="utf-8", newline="\n")
        (case / "gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for w in warnings:
        print("note:", w)
    if not check:
        readme = OUT / "README.md"
        if readme.exists():
            table = ["| case | files | units | units per file | chars | sure pairs | possible pairs |",
                     "| --- | --- | --- | --- | --- | --- | --- |"]
            tot = [0, 0, 0, 0, 0]
            for slug, nf, nu, pf, ch, ns, npos in rows:
                table.append(f"| `{slug}` | {nf} | {nu} | {pf} | {ch:,} | {ns} | {npos} |")
                for k, v in enumerate((nf, nu, ch, ns, npos)):
                    tot[k] += v
            table.append(f"| total | {tot[0]} | {tot[1]} | | {tot[2]:,} | {tot[3]} | {tot[4]} |")
            text = readme.read_text(encoding="utf-8")
            new = re.sub(r"(<!-- COUNTS -->\n).*?(<!-- /COUNTS -->)",
                         lambda m: m.group(1) + "\n".join(table) + "\n" + m.group(2), text,
                         flags=re.S)
            readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
