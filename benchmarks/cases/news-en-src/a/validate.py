#!/usr/bin/env python3
"""Check the built cases: python validate.py [SCORE_PY]

For every case of events/ under ../../news-en: (1) gold units tile the text (every
non-whitespace character lies in exactly one unit, units in order, no unit
with surrounding whitespace); (2) a prediction made from the gold itself
(units as sentences, sure pairs as links) scores P = R = F1 = 1.0 with the
project's scorer; (3) adding every "possible" pair as a link keeps P = 1.0.
"""
import json, subprocess, sys, tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent / "news-en"
SCORE = sys.argv[1] if len(sys.argv) > 1 else str(HERE.parents[4] / "shared" / "eval" / "score.py")


def prediction(g, with_possible=False):
    names = sorted(g["units"])
    idx = {n: i for i, n in enumerate(names)}
    links = [{"a": [idx[a[0]], a[1]], "b": [idx[b[0]], b[1]], "score": 1.0}
             for a, b in g["pairs"] + (g["possible"] if with_possible else [])]
    return {"sources": [{"name": n, "sentences": g["units"][n]} for n in names],
            "links": links}


def score(case, pred):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(pred, fh)
    out = subprocess.run([sys.executable, SCORE, str(case), fh.name, "--json"],
                         capture_output=True, text=True)
    Path(fh.name).unlink()
    if out.returncode:
        raise SystemExit(f"{case.name}: scorer failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


ok = True
# only the events written here (../b writes the others)
MINE = {line.split()[1] for f in (HERE / "events").glob("*.txt")
        for line in f.read_text(encoding="utf-8").splitlines() if line.startswith("@event ")}
for case in sorted(p for p in ROOT.iterdir() if (p / "gold.json").is_file() and p.name in MINE):
    g = json.loads((case / "gold.json").read_text(encoding="utf-8"))
    for name, spans in g["units"].items():
        text = (case / "sources" / name).read_text(encoding="utf-8")
        assert "\r" not in text and not text.startswith("\ufeff") and text.endswith("\n")
        covered = [False] * len(text)
        prev = 0
        for s, e in spans:
            assert prev <= s < e, (name, s, e)
            assert text[s:e] == text[s:e].strip(), (name, s)
            for k in range(s, e):
                covered[k] = True
            prev = e
        stray = [k for k, c in enumerate(text) if not c.isspace() and not covered[k]]
        if stray:
            ok = False
            print(f"{case.name}/{name}: {len(stray)} characters outside units")
    r1 = score(case, prediction(g))
    r2 = score(case, prediction(g, True))
    o1, o2 = r1.get("overall", r1), r2.get("overall", r2)
    p1, rc1, f1 = (o1.get(k) for k in ("precision", "recall", "f1"))
    p2 = o2.get("precision")
    print(f"{case.name}: gold-as-prediction P={p1:.3f} R={rc1:.3f} F1={f1:.3f}; "
          f"with possible links P={p2:.3f}")
    ok &= p1 == rc1 == f1 == 1.0 and p2 == 1.0
print("OK" if ok else "FAILED")
sys.exit(0 if ok else 1)
