#!/usr/bin/env python3
"""Print a case's gold pairs as text, for checking by eye: python review.py CASE [sure|possible|unpaired]"""
import json, sys
from pathlib import Path

case = Path(sys.argv[1]); what = sys.argv[2] if len(sys.argv) > 2 else "sure"
g = json.loads((case / "gold.json").read_text(encoding="utf-8"))
texts = {n: (case / "sources" / n).read_text(encoding="utf-8") for n in g["units"]}
def t(f, i):
    s, e = g["units"][f][i]
    return f"{f.split('.')[0][:10]}#{i} {g['unit_ids'][f][i].split(' ', 1)[1]} {texts[f][s:e][:110]}"
if what == "unpaired":
    paired = {tuple(x) for p in g["pairs"] for x in p}
    for f in g["units"]:
        for i in range(len(g["units"][f])):
            if (f, i) not in paired:
                print(t(f, i))
else:
    key = "pairs" if what == "sure" else "possible"
    for a, b in sorted(g[key], key=lambda p: (g["unit_ids"][p[0][0]][p[0][1]].split(' ', 1)[1], p)):
        print(t(*a)); print("   ~ " + t(*b))
