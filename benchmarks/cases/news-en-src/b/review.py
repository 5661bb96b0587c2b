#!/usr/bin/env python3
"""Print a built case for proof-reading: every fact id with the units that carry it
(S = sure, ~ = partial), then the units with no tag. Usage: python review.py SLUG"""
import json
import sys
from pathlib import Path

case = Path(__file__).resolve().parent.parent.parent / "news-en" / sys.argv[1]
gold = json.loads((case / "gold.json").read_text(encoding="utf-8"))
texts = {n: (case / "sources" / n).read_text(encoding="utf-8") for n in gold["units"]}
by_fact = {}
untagged = []
for n, spans in gold["units"].items():
    for i, (s, e) in enumerate(spans):
        tags = gold["unit_ids"][n][i].split()
        if not tags:
            untagged.append((n, i, texts[n][s:e]))
        for t in tags:
            by_fact.setdefault(t.lstrip("~"), []).append(
                ("~" if t.startswith("~") else "S", n, i, texts[n][s:e]))
for f, desc in gold["meta"]["facts"].items():
    print(f"== {f}: {desc}")
    for kind, n, i, t in by_fact.get(f, []):
        print(f"   {kind} {n}#{i}: {t}")
print("== untagged")
for n, i, t in untagged:
    print(f"   {n}#{i}: {t}")
