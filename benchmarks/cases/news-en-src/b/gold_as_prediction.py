#!/usr/bin/env python3
"""Turn a case's gold.json into a `reader align --json`-style prediction (every gold unit a
sentence, every sure pair a link), to check the case with score.py.
Usage: python gold_as_prediction.py CASE_DIR > pred.json"""
import json
import sys
from pathlib import Path

case = Path(sys.argv[1])
gold = json.loads((case / "gold.json").read_text(encoding="utf-8"))
names = sorted(p.name for p in (case / "sources").iterdir() if p.is_file())
index = {n: k for k, n in enumerate(names)}
pred = {
    "sources": [{"name": n, "sentences": gold["units"][n]} for n in names],
    "links": [{"a": [index[fa], ia], "b": [index[fb], ib], "score": 1.0}
              for (fa, ia), (fb, ib) in gold["pairs"]],
}
json.dump(pred, sys.stdout)
