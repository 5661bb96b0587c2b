"""Alignment quality on every evaluation case, scored with ../shared/eval/score.py.

    python benchmarks/eval_quality.py [--cases A,B,...] [--quick] [--strictness LEVEL]
                                      [--msrp-sample N] [--eval-dir DIR] [--via-cli]

One row per case (micro-averaged over the sub-cases of the multi-case folders): the
counterpart links (related links are listed in the JSON but are no counterparts, so
they are left out, as the reader's highlights leave them out), correct, gold, found,
P, R, F1; "P strict" counts a link on a "possible" gold pair as wrong (the scorer
does not); ECE is the calibration error of ``confidence`` over every link listed
(counterparts and related; 5 bins; a possible pair counts half right); "group" is
the largest group of linked sentences; accuracy is for msrp-test.

The JSON fed to the scorer is what `reader align DIR --json` prints (built in process
to save start-up time; `--via-cli` runs the real command instead). Cases: every
folder of ../shared/eval/cases and of benchmarks/cases (our own, see its README), and
the cases evalkit derives from the shared ones (evalkit.DERIVED: a mixed-language
folder, bible-mark-xl with its verses shuffled). Sources in different languages are
aligned with sentence vectors when the multilingual extra is installed (and by their
shared names and numbers only when it is not: say which when you report).
Skips clearly when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import evalkit

LARGE = ("bible-nt-5", "bible-full-3")
NOTES = {
    "lk-news-comparable": "en/si/ta news (si, ta not among the encoder's languages); "
    "gold not exhaustive: recall only",
    "bible-mark-xl": "5 languages (needs the multilingual extra)",
    "news-mixed": "ours: news-en's set B + a German outlet (needs the multilingual extra)",
    "msrp-test": "sentence pairs",
    **{name: f"derived: {what}" for name, what in evalkit.DERIVED.items()},
}


def predict(sources_dir: Path, via_cli: bool, strictness: str) -> dict:
    if via_cli:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "reader",
                "align",
                str(sources_dir),
                "--json",
                "--no-spans",
                "--strictness",
                strictness,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out)
    from reader.core.alignment.pipeline import align
    from reader.core.alignment.report import to_json
    from reader.core.text.load import load_paths

    docs = load_paths([sources_dir]).documents
    try:
        al = align(docs, strictness=strictness)
    except TypeError:  # reader 0.1.0: no strictness
        al = align(docs)
    return to_json(al, spans=False)


def across_only(case, pred: dict) -> None:
    """Keep only what joins two sources in different (recognised) languages: the links
    of ``pred`` and the gold pairs of ``case`` (both changed in place)."""
    lang = {s["name"]: s.get("lang") for s in pred["sources"]}
    names = [s["name"] for s in pred["sources"]]

    def across(a: str, b: str) -> bool:
        return bool(lang[a] and lang[b] and lang[a] != lang[b])

    pred["links"] = [x for x in pred["links"] if across(names[x["a"][0]], names[x["b"][0]])]
    case.pairs = [p for p in case.pairs if across(p[0][0], p[1][0])]
    case.possible = [p for p in case.possible if across(p[0][0], p[1][0])]


def evaluate(
    scorer, case_dir: Path, via_cli: bool, limit: int | None, strictness: str, across: bool = False
) -> dict:
    tot = {
        "links": 0,
        "correct": 0,
        "strict": 0,
        "gold": 0,
        "found": 0,
        "positives": 0,
        "negatives_ok": 0,
        "n": 0,
        "largest": 0,
    }
    confs: list[float] = []
    grades: list[float] = []
    t0 = time.perf_counter()
    subs = evalkit.sub_cases(case_dir, limit)
    for sub in subs:
        case = scorer.load_case(sub)
        pred = predict(sub / "sources", via_cli, strictness)
        if across:
            across_only(case, pred)
        names = [s["name"] for s in pred["sources"]]
        label = evalkit.Labeller(
            scorer, case, names, [[tuple(x) for x in s["sentences"]] for s in pred["sources"]]
        )
        for link in pred["links"]:  # (output of reader 0.1.0 has no confidence or kind)
            confs.append(link.get("confidence", link["score"]))
            grades.append(label.grade(tuple(link["a"]), tuple(link["b"])))
        pred["links"] = [x for x in pred["links"] if x.get("kind", "counterpart") == "counterpart"]
        res = scorer.score(case, scorer.load_prediction(pred, case))
        tot["links"] += res["links"]
        tot["correct"] += res["correct_links"]
        tot["strict"] += sum(
            label.grade(tuple(x["a"]), tuple(x["b"])) == 1.0 for x in pred["links"]
        )
        tot["gold"] += res["gold_pairs"]
        tot["found"] += res["found_pairs"]
        tot["n"] += 1
        tot["largest"] = max([tot["largest"], *(len(g["members"]) for g in pred["groups"])])
        if res["gold_pairs"] == 0 and res["links"] == 0:
            tot["negatives_ok"] += 1
        tot["positives"] += res["found_pairs"] > 0
    tot["seconds"] = time.perf_counter() - t0
    n = tot["links"]
    p, ps = (tot["correct"] / n, tot["strict"] / n) if n else (0.0, 0.0)
    r = tot["found"] / tot["gold"] if tot["gold"] else 0.0
    tot.update(
        P=p,
        Ps=ps,
        R=r,
        F1=2 * p * r / (p + r) if p + r else 0.0,
        ece=evalkit.ece(confs, grades),
        subcases=len(subs),
        accuracy=(tot["positives"] + tot["negatives_ok"]) / tot["n"] if tot["n"] else 0.0,
    )
    return tot


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--cases", help="comma-separated case names (default: every case)")
    ap.add_argument("--quick", action="store_true", help=f"skip {' and '.join(LARGE)}")
    ap.add_argument("--strictness", default="normal", choices=("strict", "normal", "loose"))
    ap.add_argument(
        "--msrp-sample",
        type=int,
        default=300,
        help="sub-cases of msrp-test to run, evenly spread (0 = all 1,725)",
    )
    ap.add_argument("--eval-dir", type=Path, default=evalkit.DEFAULT_EVAL)
    ap.add_argument("--via-cli", action="store_true")
    ap.add_argument(
        "--across",
        action="store_true",
        help="score only the links and gold pairs between sources in different languages",
    )
    args = ap.parse_args()
    scorer = evalkit.load_scorer(args.eval_dir)
    if scorer is None:
        print(f"SKIPPED: no evaluation data at {args.eval_dir} (needs ../shared/eval)")
        return 0
    names = (
        args.cases.split(",")
        if args.cases
        else evalkit.own_cases() + evalkit.shared_cases(args.eval_dir) + list(evalkit.DERIVED)
    )
    if args.quick:
        names = [n for n in names if n not in LARGE]
    print(
        f"strictness {args.strictness}; counterpart links only"
        + ("; only between sources in different languages" if args.across else "")
    )
    print(
        f"{'case':<20} {'sub':>4} {'links':>6} {'correct':>7} {'gold':>6} {'found':>6} "
        f"{'P':>6} {'Pstrict':>7} {'R':>6} {'F1':>6} {'ECE':>6} {'group':>5} {'acc':>6} "
        f"{'time':>7}  note"
    )
    for name in names:
        case_dir = evalkit.case_dir(name, args.eval_dir)
        if not case_dir.exists():
            print(f"{name:<20} SKIPPED: not found")
            continue
        limit = args.msrp_sample if name == "msrp-test" and args.msrp_sample else None
        t = evaluate(scorer, case_dir, args.via_cli, limit, args.strictness, args.across)
        acc = f"{t['accuracy']:.3f}" if name == "msrp-test" else "-"
        print(
            f"{name:<20} {t['subcases']:>4} {t['links']:>6} {t['correct']:>7} {t['gold']:>6} "
            f"{t['found']:>6} {t['P']:>6.3f} {t['Ps']:>7.3f} {t['R']:>6.3f} {t['F1']:>6.3f} "
            f"{t['ece']:>6.3f} {t['largest']:>5} {acc:>6} {t['seconds']:>6.1f}s  "
            f"{NOTES.get(name, '')}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
