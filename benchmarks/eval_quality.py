"""Alignment quality on the shared evaluation cases, scored with ../shared/eval/score.py.

    python benchmarks/eval_quality.py [--cases bible-mark-5,cstnews-cst,msrp-test,...]
                                      [--msrp-sample N] [--eval-dir DIR]

Prints one table row per case: links, correct, gold, found, P, R, F1 (micro-averaged
over sub-cases for the multi-case folders), plus accuracy for msrp-test. The JSON fed
to the scorer is exactly what `reader align DIR --json` prints (built in process to
save start-up time; `--via-cli` runs the real command instead). Skips clearly when
../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_EVAL = HERE.parent.parent / "shared" / "eval"
CASES = ["bible-mark-5", "cstnews-cst", "msrp-test", "cstnews-summary", "lk-news-comparable"]


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("score", eval_dir / "score.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["score"] = mod
    spec.loader.exec_module(mod)
    return mod


def predict(sources_dir: Path, via_cli: bool) -> dict:
    if via_cli:
        out = subprocess.run([sys.executable, "-m", "reader", "align", str(sources_dir), "--json",
                              "--no-spans"], capture_output=True, text=True, check=True).stdout
        return json.loads(out)
    from reader.core.align import align
    from reader.core.report import to_json
    from reader.core.sources import load_paths

    al = align(load_paths([sources_dir]).documents)
    return to_json(al, spans=False)


def sub_cases(case_dir: Path) -> list[Path]:
    if (case_dir / "gold.json").exists():
        return [case_dir]
    return sorted(p for p in case_dir.iterdir() if (p / "gold.json").exists())


def evaluate(scorer, case_dir: Path, via_cli: bool, limit: int | None, stride: int = 1) -> dict:
    subs = sub_cases(case_dir)
    if limit:
        stride = max(1, len(subs) // limit)
        subs = subs[::stride][:limit]
    tot = dict(links=0, correct=0, gold=0, found=0, implied=0, implied_gold=0, positives=0,
               negatives_ok=0, n=0)
    t0 = time.perf_counter()
    for sub in subs:
        case = scorer.load_case(sub)
        pred = scorer.load_prediction(predict(sub / "sources", via_cli), case)
        res = scorer.score(case, pred)
        tot["links"] += res["links"]
        tot["correct"] += res["correct_links"]
        tot["gold"] += res["gold_pairs"]
        tot["found"] += res["found_pairs"]
        tot["implied"] += res["implied_pairs"]
        tot["implied_gold"] += res["implied_gold_pairs"]
        tot["n"] += 1
        if res["gold_pairs"] == 0 and res["links"] == 0:
            tot["negatives_ok"] += 1
        tot["positives"] += res["found_pairs"] > 0
    tot["seconds"] = time.perf_counter() - t0
    p = tot["correct"] / tot["links"] if tot["links"] else 0.0
    r = tot["found"] / tot["gold"] if tot["gold"] else 0.0
    tot.update(P=p, R=r, F1=2 * p * r / (p + r) if p + r else 0.0)
    tot["accuracy"] = (tot["positives"] + tot["negatives_ok"]) / tot["n"] if tot["n"] else 0.0
    tot["subcases"] = len(subs)
    return tot


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="bible-mark-5,cstnews-cst,msrp-test")
    ap.add_argument("--msrp-sample", type=int, default=300,
                    help="sub-cases of msrp-test to run, evenly spread (0 = all 1,725)")
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--via-cli", action="store_true")
    args = ap.parse_args()
    if not (args.eval_dir / "score.py").exists():
        print(f"SKIPPED: no evaluation data at {args.eval_dir} (needs ../shared/eval)")
        return 0
    scorer = load_scorer(args.eval_dir)
    print(f"{'case':<20} {'sub':>5} {'links':>7} {'correct':>7} {'gold':>7} {'found':>7} "
          f"{'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'time':>7}")
    for name in args.cases.split(","):
        case_dir = args.eval_dir / "cases" / name
        if not case_dir.exists():
            print(f"{name:<20} SKIPPED: not found")
            continue
        limit = args.msrp_sample if name == "msrp-test" and args.msrp_sample else None
        t = evaluate(scorer, case_dir, args.via_cli, limit)
        acc = f"{t['accuracy']:.3f}" if name == "msrp-test" else "-"
        print(f"{name:<20} {t['subcases']:>5} {t['links']:>7} {t['correct']:>7} {t['gold']:>7} "
              f"{t['found']:>7} {t['P']:>6.3f} {t['R']:>6.3f} {t['F1']:>6.3f} {acc:>6} "
              f"{t['seconds']:>6.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
