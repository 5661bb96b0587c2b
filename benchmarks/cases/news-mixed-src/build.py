#!/usr/bin/env python3
"""Build news-mixed: news-en's set-B events with a German-language outlet added.

Usage:  python build.py [--check]      (--check: parse and report, write nothing)

Each ``events/N-SLUG.de.txt`` holds ``@file`` sections in the format of
``../news-en-src/b/build.py`` (one unit a line, fact tags at the end), tagged with the fact ids
of the English event file of the same name in ``../news-en-src/b/events/``. The two are read
as one event (the English outlets unchanged), so the gold is derived by the same rules:
a sure pair shares a bare fact id, a possible pair any other id. Writes
``../news-mixed/SLUG/sources/*.txt`` and ``../news-mixed/SLUG/gold.json``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGLISH = HERE.parent / "news-en-src" / "b"
OUT = HERE.parent / "news-mixed"

spec = importlib.util.spec_from_file_location("build_b", ENGLISH / "build.py")
build_b = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_b)


def event(extra: Path) -> dict:
    english = ENGLISH / "events" / extra.name.replace(".de.txt", ".txt")
    text = english.read_text(encoding="utf-8") + "\n" + extra.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / extra.name
        path.write_text(text, encoding="utf-8")
        ev = build_b.parse(path)
    ev["path"] = f"{english.name} + news-mixed-src/events/{extra.name}"
    return ev


def main(argv: list[str]) -> int:
    check = "--check" in argv
    for extra in sorted((HERE / "events").glob("*.de.txt")):
        ev = event(extra)
        texts, gold, units = build_b.gold_for(ev)
        gold["meta"]["note"] = gold["meta"]["note"].replace(
            "devset-b/src/build.py from src/events/",
            "news-mixed-src/build.py from news-en-src/b/events/")
        for w in build_b.report(ev, units, gold):
            print("note:", w)
        de = [n for n in texts if n.endswith("-de.txt")]
        cross = sum(1 for p in gold["pairs"] if (p[0][0] in de) != (p[1][0] in de))
        print(f"{ev['slug']}: {len(texts)} files ({', '.join(de)} in German), "
              f"{len(gold['pairs'])} sure pairs ({cross} across languages), "
              f"{len(gold['possible'])} possible")
        if check:
            continue
        src = OUT / ev["slug"] / "sources"
        src.mkdir(parents=True, exist_ok=True)
        for old in src.glob("*.txt"):
            if old.name not in texts:
                old.unlink()
        for name, text in texts.items():
            (src / name).write_text(text, encoding="utf-8", newline="\n")
        (OUT / ev["slug"] / "gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except build_b.BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
