"""Fit the link confidence (a logistic model over the evidence of each proposed link).

    python benchmarks/fit_confidence.py [--cases A,B,...] [--eval-dir DIR] [--l2 X]
    python benchmarks/fit_confidence.py --cross [--write]     # links across languages

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

With ``--cross`` it fits instead the two models of links between sources in different
languages (``CROSS_CALIBRATION``, ``CROSS_NWAY_CALIBRATION``: the same features, from
sentence vectors, see reader.core.alignment.crosslang) on the cross-language links of
``bible-mark-xl`` (five languages, parallel: the order carries the alignment) and of
``bible-mark-xl-shuffled`` (the same verses in a random order in every file, derived in a
temporary folder: pairs with no order to lean on, as comparable news); the same-language
models are kept as they are. These cases have one sub-case each, so the cross-validation
is over thirds of the text: each link is scored by models fitted on the links of the
other two thirds (its sentence's position in the first source of the pair decides its
third), then the whole case is decided and scored as usual. Needs the multilingual extra.

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
from reader.core.alignment.pipeline import Proposal, confidences, decide, propose
from reader.core.alignment.report import to_json
from reader.core.text.load import load_paths
from reader.core.text.segment import segment

TRAIN = ["news-en", "cstnews-cst", "cstnews-summary", "bible-mark-5"]
CROSS_TRAIN = ["bible-mark-xl", "bible-mark-xl-shuffled"]
BASE = DEFAULT  # the settings evaluated (--bars changes them)
FOLDS = 3


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
    cross: np.ndarray  # per link: between sources in different languages
    third: np.ndarray  # per link: which third of the text it is in (0, 1, 2)


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
            cross = np.concatenate(
                [np.full(len(ev.i), ev.cross) for ev in prop.evidence] or [np.zeros(0, dtype=bool)]
            ).astype(bool)
            third = np.concatenate(
                [
                    np.minimum(FOLDS - 1, FOLDS * ev.i // max(1, len(sources[ev.a])))
                    for ev in prop.evidence
                ]
                or [np.zeros(0, dtype=np.int64)]
            )
            out.append(
                Sub(
                    name,
                    sub,
                    sources,
                    prop,
                    x,
                    np.array(ys, dtype=float),
                    case,
                    scorer,
                    cross,
                    third,
                )
            )
    return out


def fit(subs: list[Sub], l2: float) -> Cal:
    """Both stages: the first on each link's own evidence, the second on the first's
    confidence and the agreement of the other sources; then the confidence of the pairs
    a group implies, from the weakest link between them. Links within one language only
    (see :func:`fit_cross` for the others)."""
    mono = [~s.cross for s in subs]
    first = logistic(
        subs, [s.x[m] for s, m in zip(subs, mono)], l2, [s.y[m] for s, m in zip(subs, mono)]
    )
    second = logistic(
        subs,
        [np.vstack(nway(s, first))[m] for s, m in zip(subs, mono)],
        l2,
        [s.y[m] for s, m in zip(subs, mono)],
    )
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


def nway(s: Sub, first: Calibration, cross_first: Calibration | None = None) -> list[np.ndarray]:
    """The second-stage features of every link of ``s``: first-stage confidences from
    ``first`` (links within one language) and ``cross_first`` (across languages; default
    the settings')."""
    cross_first = cross_first or BASE.cross.calibration
    rows = agreement(
        s.prop.evidence,
        [
            (cross_first if ev.cross else first)(x)
            for ev, x in zip(s.prop.evidence, s.prop.features)
        ],
    )
    return rows if rows else [np.zeros((0, len(NWAY_FEATURES)))]


def fit_cross(
    subs: list[Sub], l2: float, keep: list[np.ndarray] | None = None
) -> tuple[Calibration, Calibration]:
    """The two models of links across languages, fitted on the cross-language links of
    ``subs`` (those in ``keep``, a mask per sub, when given); links within one language
    keep the settings' models."""
    masks = [
        s.cross & (k if keep is not None else True)
        for s, k in zip(subs, keep if keep is not None else [None] * len(subs))
    ]
    ys = [s.y[m] for s, m in zip(subs, masks)]
    first = logistic(subs, [s.x[m] for s, m in zip(subs, masks)], l2, ys)
    second = logistic(
        subs, [np.vstack(nway(s, BASE.calibration, first))[m] for s, m in zip(subs, masks)], l2, ys
    )
    return first, second


def logistic(
    subs: list[Sub], features: list[np.ndarray], l2: float, labels: list[np.ndarray] | None = None
) -> Calibration:
    """Weighted, L2-penalised logistic regression by Newton's method (labels: each
    sub's, or ``labels`` for the rows given)."""
    labels = labels if labels is not None else [s.y for s in subs]
    xs, ys, ws = [], [], []
    per_case: dict[str, int] = {}
    for s, y in zip(subs, labels):
        per_case[s.case] = per_case.get(s.case, 0) + len(y)
    for s, x, y in zip(subs, features, labels):
        xs.append(x)
        ys.append(y)
        ws.append(np.full(len(y), 1000.0 / max(1, per_case[s.case])))
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


def evaluate_folds(scorer, subs: list[tuple[Sub, Cal | list[np.ndarray]]]) -> dict:
    """Scores of sub-cases, each with its own calibration (or its links' confidences,
    given): per strictness the counterpart links, P as the scorer counts it (a possible
    pair is no error), P strict (it is), R and F1 (with P); the ECE of all links listed at
    the default strictness against the graded labels; the largest group."""
    out: dict = {}
    confs: list[float] = []
    grades: list[float] = []
    largest = 0
    for level, _bar in BASE.bars:
        tot = {"links": 0, "correct": 0, "strict": 0, "gold": 0, "found": 0}
        for s, cal in subs:
            if isinstance(cal, tuple):
                settings = replace(
                    BASE, calibration=cal[0], nway_calibration=cal[1], implied=cal[2]
                )
                al = decide(s.sources, s.prop, settings, level)
            else:
                settings = BASE
                al = decide(s.sources, s.prop, settings, level, conf=cal)
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


def write_params(
    cal: Cal | None = None, cross: tuple[Calibration, Calibration] | None = None
) -> None:
    """Replace the fitted constants in params.py (the rest of the file is kept)."""
    import re

    text = PARAMS.read_text(encoding="utf-8")
    consts = []
    if cal is not None:
        consts += [("CALIBRATION", cal[0]), ("NWAY_CALIBRATION", cal[1])]
    if cross is not None:
        consts += [("CROSS_CALIBRATION", cross[0]), ("CROSS_NWAY_CALIBRATION", cross[1])]
    for const, c in consts:
        block = (
            f"{const} = Calibration(\n    coef=({', '.join(str(x) for x in c.coef)}),\n"
            f"    intercept={c.intercept},\n)"
        )
        text = re.sub(
            rf"^{const} = Calibration\(\n.*?\n\)", block, text, count=1, flags=re.S | re.M
        )
    if cal is not None:
        text = re.sub(
            r"(    implied: tuple\[float, float\] \| None = )\([^)]*\)",
            rf"\g<1>{cal[2]}",
            text,
            count=1,
        )
    PARAMS.write_text(text, encoding="utf-8")


def cross_confidences(
    subs: list[Sub], cross: tuple[Calibration, Calibration]
) -> list[list[np.ndarray]]:
    """Every link's confidence with the cross-language models ``cross`` (and the
    settings' models within one language), per sub and pair of sources."""
    settings = replace(
        BASE, cross=replace(BASE.cross, calibration=cross[0], nway_calibration=cross[1])
    )
    return [confidences(s.prop, settings) for s in subs]


def main_cross(args, scorer, names: list[str]) -> int:
    """``--cross``: fit, print (and write) the cross-language models, cross-validate."""
    from reader.core.alignment import encoders

    if not encoders.available():
        print(
            f"SKIPPED: the cross-language models need the multilingual extra "
            f"({encoders.INSTALL_HINT})"
        )
        return 0
    subs = collect(scorer, names, args.eval_dir)
    for c in names:
        mine = [s for s in subs if s.case == c]
        n = sum(int(s.cross.sum()) for s in mine)
        right = sum(float(s.y[s.cross].sum()) for s in mine)
        print(f"{c:<24} {n:>6} proposed links across languages, {right / max(1, n):.0%} right")
    cross = fit_cross(subs, args.l2)
    for const, c, labels in (
        ("CROSS_CALIBRATION", cross[0], FEATURES),
        ("CROSS_NWAY_CALIBRATION", cross[1], NWAY_FEATURES),
    ):
        print(f"\n{const} = Calibration(")
        print("    coef=(" + ", ".join(f"{x}" for x in c.coef) + "),")
        print(f"    intercept={c.intercept},\n)")
        print("# " + ", ".join(f"{n}={x}" for n, x in zip(labels, c.coef)))
    if args.write:
        write_params(cross=cross)
        print(f"written to {PARAMS}")
    if args.no_cv:
        return 0
    # each third of the text scored by models fitted on the other two thirds
    per_fold = [
        cross_confidences(subs, fit_cross(subs, args.l2, [s.third != f for s in subs]))
        for f in range(FOLDS)
    ]
    assembled = []
    for k, s in enumerate(subs):
        start = 0
        conf = []
        for ev in s.prop.evidence:
            n = len(ev.i)
            third = s.third[start : start + n]
            conf.append(
                np.choose(third, [per_fold[f][k][len(conf)] for f in range(FOLDS)])
                if n
                else np.zeros(0)
            )
            start += n
        assembled.append(conf)
    print(
        f"\n{FOLDS}-fold cross-validation over thirds of the text (cross-language models; "
        f"same-language links keep theirs):"
    )
    head = "  ".join(f"{lv + ': links P Pstrict R F1':>30}" for lv, _ in BASE.bars)
    print(f"{'case':<24} {'ECE':>5} {'group':>5}  {head}")
    for c in names:
        mine = [k for k, s in enumerate(subs) if s.case == c]
        res = evaluate_folds(scorer, [(subs[k], assembled[k]) for k in mine])
        cells = "  ".join(
            f"{n:>5} {p:.3f} {ps:.3f} {r:.3f} {f:.3f}"
            for n, p, ps, r, f in (res[lv] for lv, _ in BASE.bars)
        )
        print(f"{c:<24} {res['ece']:>5.3f} {res['largest']:>5}  {cells}", flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--cases", help=f"default {','.join(TRAIN)}; with --cross {','.join(CROSS_TRAIN)}"
    )
    ap.add_argument(
        "--cross", action="store_true", help="fit the models of links across languages instead"
    )
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
    cases = args.cases or ",".join(CROSS_TRAIN if args.cross else TRAIN)
    names = [c for c in cases.split(",") if evalkit.case_dir(c, args.eval_dir).exists()]
    if args.cross:
        return main_cross(args, scorer, names)
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
