"""Export speed: every format of ``reader export --matches`` (the shared passages, the
largest export) on the evaluation cases.

    python benchmarks/bench_export.py [--eval-dir DIR] [--runs N] [--quick]

Two tables:
1. ``reader export DIR --format FMT --matches -o FILE`` as real commands, one process
   per run (the median of ``--runs``): wall time, peak RSS, output size, and each
   format's time as a ratio to Markdown's (target for HTML: <= 1.5x);
2. the same work split in one process: alignment, collecting the passages (shared by
   every format), then rendering each format.
Cases missing from ../shared/eval are skipped with a note. Wall-clock figures on a
shared machine: read medians and ratios, not single numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
FORMATS = ("md", "json", "csv", "html")


def run_export(src: Path, fmt: str, out: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, output bytes) of one ``reader export`` process."""
    if out.exists():
        out.unlink()
    t = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reader",
            "export",
            str(src),
            "--format",
            fmt,
            "--matches",
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(err.decode(errors="replace")[:300])
    return wall, usage.ru_maxrss / 1024, out.stat().st_size


def command_table(eval_dir: Path, cases: list[str], runs: int) -> None:
    print(f"`reader export DIR --format FMT --matches -o FILE`, median of {runs} run(s)")
    print(f"  {'case':<14} {'format':<6} {'wall':>8} {'vs md':>6} {'peak RSS':>9} {'output':>9}")
    for case in cases:
        src = eval_dir / "cases" / case / "sources"
        if not src.exists():
            print(f"  {case:<14} SKIPPED: {src} not found")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            results = {}
            for fmt in FORMATS:
                walls, rss, size = [], 0.0, 0
                for _ in range(runs):
                    wall, peak, size = run_export(src, fmt, Path(tmp) / f"out.{fmt}")
                    walls.append(wall)
                    rss = max(rss, peak)
                results[fmt] = (statistics.median(walls), rss, size)
            md = results["md"][0]
            for fmt, (wall, rss, size) in results.items():
                print(
                    f"  {case:<14} {fmt:<6} {wall:>7.1f}s {wall / md:>5.2f}x {rss:>7.0f}MB "
                    f"{size / 1e6:>7.1f}MB"
                )


def split_table(eval_dir: Path, cases: list[str]) -> None:
    from reader.core.alignment.pipeline import align
    from reader.core.export.passages import collect_matches
    from reader.core.export.render import render
    from reader.core.text.load import load_paths

    print("\nthe same, in one process: where the time goes")
    print(f"  {'case':<14} {'align':>7} {'collect':>8} " + " ".join(f"{f:>7}" for f in FORMATS))
    for case in cases:
        src = eval_dir / "cases" / case / "sources"
        if not src.exists():
            print(f"  {case:<14} SKIPPED: {src} not found")
            continue
        t = time.perf_counter()
        al = align(load_paths([src]).documents)
        t_align = time.perf_counter() - t
        t = time.perf_counter()
        data = collect_matches(al)
        t_collect = time.perf_counter() - t
        renders = []
        for fmt in FORMATS:
            t = time.perf_counter()
            render(data, fmt)
            renders.append(time.perf_counter() - t)
        print(
            f"  {case:<14} {t_align:>6.1f}s {t_collect:>7.1f}s "
            + " ".join(f"{r:>6.1f}s" for r in renders)
            + f"   ({len(data.passages):,} passages)"
        )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="bible-nt-5 only, one run")
    args = ap.parse_args()
    if not args.eval_dir.exists():
        print(
            f"SKIPPED: no evaluation data at {args.eval_dir} (this benchmark needs ../shared/eval)"
        )
        return 0
    cases = ["bible-nt-5"] if args.quick else ["bible-nt-5", "bible-full-3"]
    command_table(args.eval_dir, cases, 1 if args.quick else args.runs)
    split_table(args.eval_dir, cases)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
