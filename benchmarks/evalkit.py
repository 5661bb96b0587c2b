"""What the quality benchmarks share: finding cases, loading the scorer, labelling links.

Cases live in ``../shared/eval/cases`` (research-use data, read in place) and in
``benchmarks/cases`` (cases written for this project, committed). Both use the format
of ``../shared/eval/cases/README.md``; both are scored with ``../shared/eval/score.py``,
so everything here needs ``../shared/eval`` and says so when it is absent.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
DEFAULT_EVAL = HERE.parent.parent / "shared" / "eval"
OWN_CASES = HERE / "cases"


def load_scorer(eval_dir: Path = DEFAULT_EVAL) -> ModuleType | None:
    """``score.py`` as a module, or None when ``eval_dir`` has none."""
    path = eval_dir / "score.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("score", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["score"] = mod
    spec.loader.exec_module(mod)
    return mod


def case_dir(name: str, eval_dir: Path = DEFAULT_EVAL) -> Path:
    """A case by name: ours (``benchmarks/cases/NAME``) first, then a derived one (built
    in a temporary folder, see :data:`DERIVED`), then the shared ones."""
    own = OWN_CASES / name
    if own.exists():
        return own
    if name in DERIVED:
        return derived_case(name, eval_dir)
    return eval_dir / "cases" / name


#: Cases derived from the shared ones for cross-language questions the shared cases do not
#: ask: built from ../shared/eval in a temporary folder on first use (never copied into
#: the repository), gold = the same verse, as in the cases they come from.
DERIVED = {
    "bible-mark-mixed": "3 English (bible-mark-5: asv, bbe, web) + German, Russian "
    "(bible-mark-xl): a mixed folder",
    "bible-mark-xl-shuffled": "bible-mark-xl with each file's verses in a random order "
    "(seed 12): across languages with no order to lean on",
    "bible-mark-xl-kjv-numbers": "bible-mark-xl with the French verse numbers mapped to the "
    "KJV's (Crampon's 9:k is the KJV's 9:k+1; its 8:38 also "
    "holds 9:1, its 4:40 also 4:41)",
}


def _kjv_numbers(unit_id: str) -> list[str]:
    """The KJV verses a verse of Crampon's French Mark holds (see DERIVED)."""
    chapter, verse = (int(x) for x in unit_id.split()[1].split(":"))
    if chapter == 9:
        return [f"Mark 9:{verse + 1}"]
    extra = {(8, 38): "Mark 9:1", (4, 40): "Mark 4:41"}.get((chapter, verse))
    return [unit_id] + ([extra] if extra else [])


_MIXED = [
    ("bible-mark-5", "asv.txt"),
    ("bible-mark-5", "bbe.txt"),
    ("bible-mark-5", "web.txt"),
    ("bible-mark-xl", "de-elberfelder1905.txt"),
    ("bible-mark-xl", "ru-synodal.txt"),
]


def derived_case(name: str, eval_dir: Path = DEFAULT_EVAL) -> Path:
    """The folder of a derived case (see :data:`DERIVED`), built if needed; a path that
    does not exist when the shared cases it needs are absent."""
    import hashlib
    import json
    import random
    import tempfile

    root = Path(tempfile.gettempdir()) / "reader-eval-derived" / name
    if (root / "gold.json").exists():
        return root
    if name == "bible-mark-mixed":
        files = _MIXED
    else:
        files = [
            ("bible-mark-xl", n)
            for n in sorted(
                (
                    (eval_dir / "cases" / "bible-mark-xl" / "gold.json").exists()
                    and json.loads(
                        (eval_dir / "cases" / "bible-mark-xl" / "gold.json").read_text(
                            encoding="utf-8"
                        )
                    )["units"]
                )
                or []
            )
        ]
    if not files or not all((eval_dir / "cases" / c / "gold.json").exists() for c, _ in files):
        return root
    golds = {
        c: json.loads((eval_dir / "cases" / c / "gold.json").read_text(encoding="utf-8"))
        for c in {c for c, _ in files}
    }
    units, ids = {}, {}
    (root / "sources").mkdir(parents=True, exist_ok=True)
    for c, f in files:
        text = (eval_dir / "cases" / c / "sources" / f).read_text(encoding="utf-8")
        spans = [tuple(u) for u in golds[c]["units"][f]]
        uid = list(golds[c]["unit_ids"][f])
        if name == "bible-mark-xl-shuffled":
            seed = int(hashlib.sha256(f"12:{f}".encode()).hexdigest()[:8], 16)
            order = list(range(len(spans)))
            random.Random(seed).shuffle(order)
            parts, new, pos = [], [], 0
            for k, u in enumerate(order):
                verse = text[spans[u][0] : spans[u][1]]
                sep = "" if k == 0 else ("\n\n" if k % 20 == 0 else " ")
                pos += len(sep)
                parts.append(sep + verse)
                new.append((pos, pos + len(verse)))
                pos += len(verse)
            text, spans, uid = "".join(parts) + "\n", new, [uid[u] for u in order]
        (root / "sources" / f).write_text(text, encoding="utf-8")
        units[f], ids[f] = [list(s) for s in spans], uid
    names = [f for _, f in files]
    held = {
        f: [
            _kjv_numbers(u) if name == "bible-mark-xl-kjv-numbers" and f.startswith("fr-") else [u]
            for u in ids[f]
        ]
        for f in names
    }
    pairs = []
    for x, fa in enumerate(names):
        for fb in names[x + 1 :]:
            where: dict[str, list[int]] = {}
            for k, us in enumerate(held[fb]):
                for u in us:
                    where.setdefault(u, []).append(k)
            found = {
                (k, kb) for k, us in enumerate(held[fa]) for u in us for kb in where.get(u, ())
            }
            pairs += [[[fa, k], [fb, kb]] for k, kb in sorted(found)]
    (root / "gold.json").write_text(
        json.dumps({"units": units, "unit_ids": ids, "pairs": pairs}), encoding="utf-8"
    )
    return root


def shared_cases(eval_dir: Path = DEFAULT_EVAL) -> list[str]:
    root = eval_dir / "cases"
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.exists() else []


def load_case(scorer: ModuleType, sub: Path, strict: bool = False):
    """A (sub-)case as the scorer reads it; ``strict`` drops its "possible" pairs, so
    that a link there counts as wrong, as it would against a gold list of pairs
    alone. (Our own cases mark as possible a piece of a fact, or the same slot with
    other figures: pairs a stricter annotator would not list.)"""
    case = scorer.load_case(sub)
    if strict:
        case.possible = []
    return case


def own_cases() -> list[str]:
    """Our own cases: the folders of benchmarks/cases that hold gold (or sub-cases with it)."""
    if not OWN_CASES.exists():
        return []
    return sorted(
        p.name
        for p in OWN_CASES.iterdir()
        if p.is_dir() and ((p / "gold.json").exists() or any(p.glob("*/gold.json")))
    )


def sub_cases(case: Path, limit: int | None = None) -> list[Path]:
    """The case itself, or its sub-cases (evenly spread when ``limit`` is given)."""
    if (case / "gold.json").exists():
        return [case]
    subs = sorted(p for p in case.iterdir() if (p / "gold.json").exists())
    if limit and len(subs) > limit:
        stride = len(subs) // limit
        subs = subs[::stride][:limit]
    return subs


class Labeller:
    """Is a link between two predicted sentences right, by the scorer's rules? A link is
    right when its sentences cover the two units of a gold pair (or of a "possible"
    pair, which the scorer does not count as an error). :meth:`grade` tells the two
    apart: 1.0 for a gold pair, 0.5 for a possible one only, 0.0 for neither."""

    def __init__(
        self, scorer: ModuleType, case, names: list[str], sentences: list[list[tuple[int, int]]]
    ):
        self.names = names
        self.cov = [scorer.coverage(s, case.units.get(n, [])) for n, s in zip(names, sentences)]
        self.sure = self._index(case.pairs)
        self.possible = self._index(case.possible)

    @staticmethod
    def _index(pairs) -> dict[tuple[str, int, str], set[int]]:
        out: dict[tuple[str, int, str], set[int]] = {}
        for (fa, ua), (fb, ub) in pairs:
            out.setdefault((fa, ua, fb), set()).add(ub)
            out.setdefault((fb, ub, fa), set()).add(ua)
        return out

    def _hit(self, index, a: tuple[int, int], b: tuple[int, int]) -> bool:
        na, nb = self.names[a[0]], self.names[b[0]]
        cb = self.cov[b[0]][b[1]]
        for ua in self.cov[a[0]][a[1]]:
            ok = index.get((na, ua, nb))
            if ok and not ok.isdisjoint(cb):
                return True
        return False

    def grade(self, a: tuple[int, int], b: tuple[int, int]) -> float:
        if self._hit(self.sure, a, b):
            return 1.0
        return 0.5 if self._hit(self.possible, a, b) else 0.0

    def __call__(self, a: tuple[int, int], b: tuple[int, int]) -> bool:
        return self.grade(a, b) > 0


def ece(confidence: list[float], right: list[float], bins: int = 5) -> float:
    """Expected calibration error: the mean gap between confidence and accuracy (the
    mean label: 1 right, 0 wrong, or a grade between) over equal-width bins, weighted
    by how many links fall in each."""
    if not confidence:
        return 0.0
    total = 0.0
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        idx = [n for n, c in enumerate(confidence) if lo <= c < hi or (k == bins - 1 and c == 1.0)]
        if idx:
            acc = sum(right[n] for n in idx) / len(idx)
            conf = sum(confidence[n] for n in idx) / len(idx)
            total += len(idx) * abs(acc - conf)
    return total / len(confidence)
