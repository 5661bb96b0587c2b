"""How far word-overlap evidence can take the cstnews-cst score (a study, not a test).

    python benchmarks/cst_headroom.py [--eval-dir DIR]

Three tables behind the README's "Where the CST figure stops":
1. the one-to-one ceiling: the largest one-to-one matching inside each file pair's gold
   pairs, as a share of all gold pairs. CST links a sentence to several sentences of
   one other article (Overlap, Subsumption), so an aligner that links each sentence to
   one counterpart cannot find more than this share.
2. separability of the candidate pairs (the aligner's own candidates, matched to gold
   units by the scorer's coverage rule): best single-threshold F1 of weighted Dice
   alone, and of a logistic regression over ten lexical and rank features, fitted on
   half of the clusters and scored on the other half (2 folds). If the features held
   more than Dice, the regression would beat it.
3. what is left: the candidate pairs the aligner did not link, by score band, with
   the share that are gold pairs. A link added from a band raises F1 only when its
   share is well above F1 / 2.
Skips when ../shared/eval is absent.

Since the study was written, candidates come from one sparse product over all sources
at once (:func:`reader.core.alignment.candidates.candidate_pairs`, then
:func:`~reader.core.alignment.candidates.similarities`) rather than per pair of
sources; the candidates here are made as :func:`reader.core.alignment.pipeline.propose`
makes them for pairs scored by words (languages recognised, boilerplate dropped), before
:func:`~reader.core.alignment.pairs.pair_links` adds gap pairs in parallel texts. The ten
features are unchanged. "Linked" in table 3 now means the counterpart links at the
default strictness, the links the scorer counts (the aligner also lists related links,
which are no counterparts); when the study was written every link was a counterpart.
Pairs of sources in two different known languages (scored with sentence vectors, not
words) would be left out; cstnews-cst has none.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from reader.core.alignment.candidates import candidate_pairs, similarities
from reader.core.alignment.features import Features, build_features
from reader.core.alignment.pairs import Candidates, with_context
from reader.core.alignment.params import DEFAULT, Settings
from reader.core.alignment.pipeline import align_sources
from reader.core.text.language import assign_languages
from reader.core.text.load import load_paths
from reader.core.text.segment import Source, segment

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
FEATURES = [
    "Dice",
    "context bonus",
    "overlap coefficient",
    "log shared weight",
    "log shorter weight",
    "log longer weight",
    "shared content words",
    "best of one side",
    "best of both sides",
    "share of row best",
]


def covers(sentence: tuple[int, int], unit: tuple[int, int]) -> bool:
    """The scorer's rule: overlap of at least half the unit or half the sentence."""
    ov = min(sentence[1], unit[1]) - max(sentence[0], unit[0])
    return ov >= 1 and (2 * ov >= unit[1] - unit[0] or 2 * ov >= sentence[1] - sentence[0])


def one_to_one_ceiling(clusters: list[Path]) -> tuple[int, int]:
    matched = total = 0
    for sub in clusters:
        gold = json.loads((sub / "gold.json").read_text(encoding="utf-8"))
        by_pair = defaultdict(list)
        for (fa, ia), (fb, ib) in gold["pairs"]:
            by_pair[(fa, fb)].append((ia, ib))
        for (fa, fb), pairs in by_pair.items():
            m = csr_matrix(
                (np.ones(len(pairs)), ([p[0] for p in pairs], [p[1] for p in pairs])),
                shape=(len(gold["units"][fa]), len(gold["units"][fb])),
            )
            matched += int((maximum_bipartite_matching(m, perm_type="column") >= 0).sum())
            total += len(pairs)
    return matched, total


def _ranks(key: np.ndarray, score: np.ndarray) -> np.ndarray:
    """0 for the best score of each key, 1 for the second ..."""
    order = np.lexsort((-score, key))
    rank = np.empty(len(key))
    starts = np.r_[True, key[order][1:] != key[order][:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(key)), 0))
    rank[order] = np.arange(len(key)) - first
    return rank


def word_candidates(
    sources: list[Source], settings: Settings = DEFAULT
) -> tuple[Features, dict[tuple[int, int], Candidates]]:
    """The aligner's first candidates for every pair of sources scored by words, made
    as :func:`reader.core.alignment.pipeline.propose` makes them."""
    assign_languages([s for s in sources if s.lang is None])
    feats = build_features(sources, settings)
    found = candidate_pairs(feats, settings.top_k, settings.block_rows)
    for (a, b), (i, j) in list(found.items()):
        keep = ~(feats.boiler[a][i] | feats.boiler[b][j])
        found[(a, b)] = (i[keep], j[keep])
    for a, b in list(found):  # two known languages: sentence vectors, not words
        if sources[a].lang and sources[b].lang and sources[a].lang != sources[b].lang:
            del found[(a, b)]
    out = {}
    for (a, b), (sim, words) in similarities(feats, found).items():
        i, j = found[(a, b)]
        if len(i):
            out[(a, b)] = Candidates(i, j, sim, len(sources[b]), words)
    return feats, out


def candidate_rows(sub: Path) -> list[tuple[list[float], bool, bool, float]]:
    """(features, is gold, is linked, final score) for every candidate pair of a cluster."""
    gold = json.loads((sub / "gold.json").read_text(encoding="utf-8"))
    sources = segment(load_paths([sub / "sources"]).documents)
    names = [s.name for s in sources]
    cover = {
        (a, u): [k for k, s in enumerate(src.sentences) if covers(s, unit)]
        for a, src in enumerate(sources)
        for u, unit in enumerate(gold["units"][src.name])
    }
    gold_pairs = set()
    for (fa, ia), (fb, ib) in gold["pairs"]:
        a, b = names.index(fa), names.index(fb)
        for i in cover[(a, ia)]:
            for j in cover[(b, ib)]:
                gold_pairs |= {((a, i), (b, j)), ((b, j), (a, i))}
    linked = {(link.a, link.b) for link in align_sources(sources).counterpart_links}
    feats, candidates = word_candidates(sources)
    rows = []
    for (a, b), c in sorted(candidates.items()):
        f = with_context(c, DEFAULT.context_weight)
        shared = np.asarray(
            feats.matrices[a][c.i].multiply(feats.matrices[b][c.j]) @ feats.weights
        ).ravel()
        wa, wb = feats.row_weight[a][c.i], feats.row_weight[b][c.j]
        best_i = np.zeros(c.i.max() + 1)
        np.maximum.at(best_i, c.i, c.sim)
        top_i, top_j = _ranks(c.i, c.sim) == 0, _ranks(c.j, c.sim) == 0
        for k in range(len(c.i)):
            x = [
                c.sim[k],
                f[k] - c.sim[k],
                shared[k] / (min(wa[k], wb[k]) + 1e-9),
                np.log1p(shared[k]),
                np.log1p(min(wa[k], wb[k])),
                np.log1p(max(wa[k], wb[k])),
                c.words[k] / 10,
                top_i[k] or top_j[k],
                top_i[k] and top_j[k],
                c.sim[k] / (best_i[c.i[k]] + 1e-9),
            ]
            pair = ((a, int(c.i[k])), (b, int(c.j[k])))
            rows.append((x, pair in gold_pairs, pair in linked, float(f[k])))
    return rows


def best_f1(score: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    order = np.argsort(-score, kind="stable")
    tp = np.cumsum(gold[order])
    p, r = tp / np.arange(1, len(order) + 1), tp / max(1, gold.sum())
    f1 = 2 * p * r / np.maximum(p + r, 1e-12)
    k = int(f1.argmax())
    return float(f1[k]), float(p[k]), float(r[k])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2) -> np.ndarray:
    x = np.c_[np.ones(len(x)), x]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1 / (1 + np.exp(-(x @ w)))
        nll = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        return nll + l2 * np.sum(w[1:] ** 2), x.T @ (p - y) / len(y) + 2 * l2 * np.r_[0, w[1:]]

    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B").x


def table(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n{title}\n{'-' * width}  {'-' * 24}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    args = ap.parse_args()
    case = args.eval_dir / "cases" / "cstnews-cst"
    if not case.is_dir():
        print(f"SKIPPED: {case} not found (needs ../shared/eval)")
        return 0
    clusters = sorted(p for p in case.iterdir() if (p / "gold.json").exists())
    matched, total = one_to_one_ceiling(clusters)
    table(
        "1. one-to-one ceiling",
        [
            ("gold pairs", str(total)),
            (
                "largest one-to-one matching inside them",
                f"{matched} (recall ceiling {matched / total:.3f})",
            ),
        ],
    )

    rows, fold = [], []
    for k, sub in enumerate(clusters):
        got = candidate_rows(sub)
        rows += got
        fold += [k % 2] * len(got)
    x = np.array([r[0] for r in rows], dtype=float)
    y = np.array([r[1] for r in rows], dtype=float)
    fold = np.array(fold)
    held_out = np.zeros(len(y))
    for k in (0, 1):
        w = fit_logistic(x[fold != k], y[fold != k])
        held_out[fold == k] = np.c_[np.ones((fold == k).sum()), x[fold == k]] @ w
    f_dice, p_dice, r_dice = best_f1(x[:, 0], y)
    f_lr, p_lr, r_lr = best_f1(held_out, y)
    table(
        f"2. candidate pairs: {len(y)}, of them gold: {int(y.sum())} "
        f"(best single threshold, pair level)",
        [
            ("weighted Dice alone: F1 (P / R)", f"{f_dice:.3f} ({p_dice:.3f} / {r_dice:.3f})"),
            (
                f"logistic regression, {len(FEATURES)} features, 2-fold by cluster",
                f"{f_lr:.3f} ({p_lr:.3f} / {r_lr:.3f})",
            ),
        ],
    )
    print("   features: " + ", ".join(FEATURES))

    linked = np.array([r[2] for r in rows])
    score = np.array([r[3] for r in rows])
    bands = [(0.15, 0.20), (0.20, 0.25), (0.25, 0.30), (0.30, 0.40), (0.40, 9.0)]
    out = []
    for lo, hi in bands:
        sel = ~linked & (score >= lo) & (score < hi)
        n = int(sel.sum())
        share = f"{y[sel].mean():.2f}" if n else "-"
        out.append(
            (f"score {lo:.2f}-{'' if hi > 1 else f'{hi:.2f}'}", f"{n:>5} pairs, gold share {share}")
        )
    table("3. candidate pairs left unlinked, by final score", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
