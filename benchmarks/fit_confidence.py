"""Fit the link confidence (a logistic model over the evidence of each proposed link).

    python benchmarks/fit_confidence.py [--cases A,B,...] [--eval-dir DIR] [--l2 X]

For every sub-case of the training cases the aligner proposes its links
(:func:`reader.core.alignment.propose`); each link is labelled by the scorer's
coverage rule. A logistic regression (Newton's method, L2-penalised, every case
weighted equally however many links it has) is fitted on all of them and printed as
the ``Calibration`` to paste into ``reader/core/alignment/params.py``. A link on a "possible"
pair (one that shares part of a fact, or the same slot with other figures: some
annotators pair those, some do not) is labelled 0.5, so the confidence is the
probability that a reader would call the link a counterpart.

It also prints, per case, figures from a 3-fold cross-validation over sub-cases
(each sub-case scored with a model fitted on the folds it is not in; a case of one
sub-case, like bible-mark-5, is always in the training folds and its figures are
in-sample): the calibration error (ECE, 5 bins, all listed links) and P / R / F1 of
the counterpart links at each strictness.

Needs ../shared/eval (the scorer, and the shared cases); skips clearly without it.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import evalkit

from reader.core.alignment.confidence import FEATURES, NWAY_FEATURES, Calibration, agreement
from reader.core.alignment.links import BY_GROUP
from reader.core.alignment.params import DEFAULT
from reader.core.alignment.pipeline import Proposal, decide, propose
from reader.core.alignment.report import to_json
from reader.core.text.load import load_paths
from reader.core.text.segment import segment

TRAIN = ["news-en", "cstnews-cst", "cstnews-summary", "bible-mark-5"]
BASE = DEFAULT  # the settings evaluated (--bars changes them)


Cal = tuple[Calibration, Calibration, tuple[float, float]]


@dataclass
class Sub:
    case: str
    path: Path
    sources: list
    prop: Proposal
    x: np.ndarray
    y: np.ndarray
    gold: object
    scorer: object


def collect(scorer, names: list[str], eval_dir: Path) -> list[Sub]:
    out = []
    for name in names:
        for sub in evalkit.sub_cases(evalkit.case_dir(name, eval_dir)):
            sources = segment(load_paths([sub / "sources"]).documents)
            prop = propose(sources)
            case = evalkit.load_case(scorer, sub)
            label = evalkit.Labeller(
                scorer, case, [s.name for s in sources], [s.sentences for s in sources]
            )
            ys = [
                label.grade((ev.a, i), (ev.b, j))
                for ev in prop.evidence
                for i, j in zip(ev.i.tolist(), ev.j.tolist())
            ]
            x = np.vstack(prop.features) if prop.features else np.zeros((0, len(FEATURES)))
            out.append(Sub(name, sub, sources, prop, x, np.array(ys, dtype=float), case, scorer))
    return out


def fit(subs: list[Sub], l2: float) -> Cal:
    """Both stages: the first on each link's own evidence, the second on the first's
    confidence and the agreement of the other sources; then the confidence of the pairs
    a group implies, from the weakest link between them."""
    first = logistic(subs, [s.x for s in subs], l2)
    second = logistic(subs, [np.vstack(nway(s, first)) for s in subs], l2)
    settings = replace(BASE, calibration=first, nway_calibration=second, implied=(1.0, 0.0))
    xs, ys, ws = [], [], []
    for s in subs:
        al = decide(s.sources, s.prop, settings)
        label = evalkit.Labeller(
            s.scorer, s.gold, [x.name for x in s.sources], [x.sentences for x in s.sources]
        )
        for link in al.links:
            if link.by == BY_GROUP:
                w = min(max(link.confidence, 1e-4), 1 - 1e-4)
                xs.append(np.log(w / (1 - w)))
                ys.append(label.grade(link.a, link.b))
                ws.append(1.0)
    implied = (
        _newton(
            np.column_stack([np.ones(len(xs)), xs]), np.array(ys), np.array(ws), np.array([0.0, l2])
        )
        if len(xs) > 10
        else np.array([-1.0, 1.0])
    )
    return first, second, (round(float(implied[1]), 3), round(float(implied[0]), 3))


def nway(s: Sub, first: Calibration) -> list[np.ndarray]:
    rows = agreement(s.prop.evidence, [first(x) for x in s.prop.features])
    return rows if rows else [np.zeros((0, len(NWAY_FEATURES)))]


def logistic(subs: list[Sub], features: list[np.ndarray], l2: float) -> Calibration:
    """Weighted, L2-penalised logistic regression by Newton's method."""
    xs, ys, ws = [], [], []
    per_case: dict[str, int] = {}
    for s in subs:
        per_case[s.case] = per_case.get(s.case, 0) + len(s.y)
    for s, x in zip(subs, features):
        xs.append(x)
        ys.append(s.y)
        ws.append(np.full(len(s.y), 1000.0 / max(1, per_case[s.case])))
    x = np.hstack([np.ones((sum(map(len, ys)), 1)), np.vstack(xs)])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    beta = _newton(x, np.concatenate(ys), np.concatenate(ws), penalty)
    return Calibration(
        coef=tuple(round(float(b), 3) for b in beta[1:]), intercept=round(float(beta[0]), 3)
    )


def _newton(x: np.ndarray, y: np.ndarray, w: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    beta = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))
        grad = x.T @ (w * (p - y)) + penalty * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def evaluate(scorer, subs: list[Sub], cal: Cal) -> dict:
    return evaluate_folds(scorer, [(s, cal) for s in subs])


def evaluate_folds(scorer, subs: list[tuple[Sub, Cal]]) -> dict:
    """Scores of sub-cases, each with its own calibration: per strictness the counterpart
    links, P as the scorer counts it (a possible pair is no error), P strict (it is), R
    and F1 (with P); the ECE of all links listed at the default strictness against the
    graded labels; the largest group."""
    out: dict = {}
    confs: list[float] = []
    grades: list[float] = []
    largest = 0
    for level, _bar in BASE.bars:
        tot = {"links": 0, "correct": 0, "strict": 0, "gold": 0, "found": 0}
        for s, cal in subs:
            settings = replace(BASE, calibration=cal[0], nway_calibration=cal[1], implied=cal[2])
            al = decide(s.sources, s.prop, settings, level)
            label = evalkit.Labeller(
                scorer, s.gold, [x.name for x in s.sources], [x.sentences for x in s.sources]
            )
            if level == settings.strictness:
                for link in al.links:
                    confs.append(link.confidence)
                    grades.append(label.grade(link.a, link.b))
                largest = max([largest, *(len(g) for g in al.groups)])
            pred = to_json(al, spans=False)
            pred["links"] = [x for x in pred["links"] if x["kind"] == "counterpart"]
            res = scorer.score(s.gold, scorer.load_prediction(pred, s.gold))
            tot["links"] += res["links"]
            tot["correct"] += res["correct_links"]
            tot["strict"] += sum(
                label.grade(link.a, link.b) == 1.0 for link in al.counterpart_links
            )
            tot["gold"] += res["gold_pairs"]
            tot["found"] += res["found_pairs"]
        n = tot["links"]
        p, ps = (tot["correct"] / n, tot["strict"] / n) if n else (0.0, 0.0)
        r = tot["found"] / tot["gold"] if tot["gold"] else 0.0
        out[level] = (n, p, ps, r, 2 * p * r / (p + r) if p + r else 0.0)
    out["ece"] = evalkit.ece(confs, grades)
    out["largest"] = largest
    return out


PARAMS = Path(__file__).resolve().parent.parent / "reader" / "core" / "alignment" / "params.py"


def write_params(cal: Cal) -> None:
    """Replace the fitted constants in params.py (the rest of the file is kept)."""
    import re

    text = PARAMS.read_text(encoding="utf-8")
    for const, c in (("CALIBRATION", cal[0]), ("NWAY_CALIBRATION", cal[1])):
        block = (
            f"{const} = Calibration(\n    coef=({', '.join(str(x) for x in c.coef)}),\n"
            f"    intercept={c.intercept},\n)"
        )
        text = re.sub(
            rf"^{const} = Calibration\(\n.*?\n\)", block, text, count=1, flags=re.S | re.M
        )
    text = re.sub(
        r"(    implied: tuple\[float, float\] \| None = )\([^)]*\)",
        rf"\g<1>{cal[2]}",
        text,
        count=1,
    )
    PARAMS.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--cases", default=",".join(TRAIN))
    ap.add_argument("--eval-dir", type=Path, default=evalkit.DEFAULT_EVAL)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation table")
    ap.add_argument(
        "--write",
        action="store_true",
        help="write the fitted models into reader/core/alignment/params.py",
    )
    ap.add_argument(
        "--bars", help="strict,normal,loose confidence bars to evaluate (default: the settings')"
    )
    args = ap.parse_args()
    if args.bars:
        global BASE
        values = [float(x) for x in args.bars.split(",")]
        BASE = replace(DEFAULT, bars=tuple(zip(("strict", "normal", "loose"), values)))
    scorer = evalkit.load_scorer(args.eval_dir)
    if scorer is None:
        print(f"SKIPPED: no scorer at {args.eval_dir} (needs ../shared/eval)")
        return 0
    names = [c for c in args.cases.split(",") if evalkit.case_dir(c, args.eval_dir).exists()]
    subs = collect(scorer, names, args.eval_dir)
    for c in names:
        n = sum(len(s.y) for s in subs if s.case == c)
        right = sum(s.y.sum() for s in subs if s.case == c)
        print(f"{c:<20} {n:>6} proposed links, {right / max(1, n):.0%} right")
    cal = fit(subs, args.l2)
    for const, c, labels in (
        ("CALIBRATION", cal[0], FEATURES),
        ("NWAY_CALIBRATION", cal[1], NWAY_FEATURES),
    ):
        print(f"\n{const} = Calibration(")
        print("    coef=(" + ", ".join(f"{x}" for x in c.coef) + "),")
        print(f"    intercept={c.intercept},\n)")
        print("# " + ", ".join(f"{n}={x}" for n, x in zip(labels, c.coef)))
    print(f"\nimplied = {cal[2]}  # slope, intercept")
    if args.write:
        write_params(cal)
        print(f"written to {PARAMS}")
    if args.no_cv:
        return 0
    folds = 3
    fold_of: dict[int, int] = {}
    for c in names:
        mine = [k for k, s in enumerate(subs) if s.case == c]
        for n, k in enumerate(mine):
            fold_of[k] = n % folds if len(mine) > 1 else -1
    cals = [fit([s for k, s in enumerate(subs) if fold_of[k] != f], args.l2) for f in range(folds)]
    print(f"\n{folds}-fold cross-validation over sub-cases:")
    head = "  ".join(f"{lv + ': links P Pstrict R F1':>30}" for lv, _ in BASE.bars)
    print(f"{'case':<20} {'ECE':>5} {'group':>5}  {head}")
    for c in names:
        mine = [k for k, s in enumerate(subs) if s.case == c]
        if fold_of[mine[0]] == -1:
            res = evaluate(scorer, [subs[k] for k in mine], cal)
        else:
            res = evaluate_folds(scorer, [(subs[k], cals[fold_of[k]]) for k in mine])
        cells = "  ".join(
            f"{n:>5} {p:.3f} {ps:.3f} {r:.3f} {f:.3f}"
            for n, p, ps, r, f in (res[lv] for lv, _ in BASE.bars)
        )
        print(f"{c:<20} {res['ece']:>5.3f} {res['largest']:>5}  {cells}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
