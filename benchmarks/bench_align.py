"""Alignment speed and memory.

    python benchmarks/bench_align.py [--eval-dir DIR] [--quick] [--commands] [--runs N]

Five tables:
1. the seeds (sample_data/) aligned in process: median of 30 runs (target <= 20 ms);
2. `reader align DIR --json [--no-spans]` on bible-nt-5 and bible-full-3 as real
   commands, in one process (READER_WORKERS=1) and split over two (READER_WORKERS=2),
   interleaved: wall time, CPU time of the command and its workers, the cores that
   kept busy (CPU / wall) and peak RSS, with the load average before and after
   (targets: bible-nt-5 <= 5 s, <= 1 GiB; bible-full-3 <= 30 s / 2 GiB);
   ``--commands`` for this table alone (bible-nt-5), ``--runs N`` to repeat it;
3. many small sources: 100, 200 and 500 one-line files, and 50 news articles, aligned in
   process (targets: 500 one-line files <= 20 s, 50 articles <= 5 s);
   Then many versions of one story: 50 ... 400 near-copies of a five-sentence story
   (every pair of versions links: links grow as N squared, time should follow the links);
4. growth: the first N sentences of each bible-full-3 source, N = 1k ... 30k, aligned
   in process; time per 1k sentences shows how close to linear it is;
5. across languages (with the multilingual extra; ``--cross`` for this table alone):
   bible-mark-xl from an empty vector cache and from the cache (targets <= 10 s / <= 2 s
   to aligned), as `reader align` and in the reading view.
Cases missing from ../shared/eval are skipped with a note. The commands run compiled, as
a user's install runs them (``installed.py``). Wall-clock figures on a
shared machine: read medians and ratios, not single numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from installed import as_installed

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"


def seeds_table(runs: int) -> None:
    from reader.core.alignment.pipeline import align
    from reader.core.text.load import load_paths

    docs = load_paths([ROOT / "sample_data"]).documents
    align(docs)  # warm caches and imports
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        align(docs)
        times.append(time.perf_counter() - t)
    n = sum(len(d.text) for d in docs)
    print(f"seeds (5 files, {n:,} chars), in process, {runs} runs")
    print(f"  {'median':>8} {'min':>8} {'max':>8}")
    print(
        f"  {statistics.median(times) * 1000:>6.1f}ms {min(times) * 1000:>6.1f}ms "
        f"{max(times) * 1000:>6.1f}ms"
    )


def command_table(eval_dir: Path, cases: list[str], runs: int = 1) -> None:
    """Each case as a real command, with and without spans, in one process
    (READER_WORKERS=1) and split over the cores (READER_WORKERS=2), interleaved. CPU
    is the user + system time of the command and its worker processes; "cores" is CPU
    over wall time (2.0: both cores busy all along)."""
    print(
        "\n`reader align DIR --json [--no-spans]`, one process per run, output parsed;"
        " CPU = user + system time of the command and its workers"
    )
    print(f"  load average before: {_load()}")
    print(
        f"  {'case':<12} {'variant':<9} {'workers':>7} {'sentences':>9} {'links':>7} "
        f"{'wall':>7} {'CPU':>7} {'cores':>5} {'peak RSS':>9}"
    )
    variants = [(x, w) for x in (["--no-spans"], []) for w in ("1", "2")]
    for case in cases:
        src = eval_dir / "cases" / case / "sources"
        if not src.exists():
            print(f"  {case:<12} SKIPPED: {src} not found")
            continue
        for _ in range(runs):
            for extra, workers in variants:
                _one_command(case, src, extra, workers)
    print(f"  load average after: {_load()}")


def _load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _one_command(case: str, src: Path, extra: list[str], workers: str) -> None:
    import json

    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "align", str(src), "--json", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(as_installed(), READER_WORKERS=workers),
    )
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    # the child's usage includes the workers it waited for
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        print(f"  {case:<12} FAILED: {err.decode()[:200]}")
        return
    data = json.loads(out)
    sents = sum(len(s["sentences"]) for s in data["sources"])
    cpu = usage.ru_utime + usage.ru_stime
    rss = usage.ru_maxrss / 1024
    variant = "no spans" if extra else "full"
    print(
        f"  {case:<12} {variant:<9} {workers:>7} {sents:>9,} {len(data['links']):>7,} "
        f"{wall:>6.1f}s {cpu:>6.1f}s {cpu / wall:>5.2f} {rss:>7.0f}MB",
        flush=True,
    )


def many_sources_table(counts: list[int], articles: int) -> None:
    """Many small sources: one-line files, and whole news articles. Built from our own
    news set (benchmarks/cases/news-en, no ../shared needed), deterministically."""
    import random

    from reader.core.alignment.pipeline import align
    from reader.core.text.load import documents_from_texts
    from reader.core.text.segment import split_sentences

    files = sorted((HERE / "cases" / "news-en").glob("*/sources/*.txt"))
    if not files:
        print("\nmany sources: SKIPPED: benchmarks/cases/news-en not found")
        return
    texts = [p.read_text(encoding="utf-8") for p in files]
    lines = [t[s:e] for t in texts for s, e in split_sentences(t) if e - s > 40]
    rnd = random.Random(1)
    print("\nmany small sources, in process (median of 3 runs)")
    print(f"  {'sources':<28} {'sentences':>9} {'links':>7} {'align':>8}")
    cases = [
        (f"{n} one-line files", {f"{k:04d}.txt": rnd.choice(lines) + "\n" for k in range(n)})
        for n in counts
    ]
    # whole articles: our 30, then the same articles with their paragraphs in another order
    arts = {}
    for k in range(articles):
        paras = texts[k % len(texts)].split("\n\n")
        if k >= len(texts):
            rnd.shuffle(paras)
        arts[f"{k:03d}.txt"] = "\n\n".join(paras)
    cases.append((f"{articles} news articles", arts))
    for label, case in cases:
        docs = documents_from_texts(case)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            al = align(docs)
            times.append(time.perf_counter() - t)
        sents = sum(len(s) for s in al.sources)
        print(
            f"  {label:<28} {sents:>9,} {len(al.counterpart_links):>7,} "
            f"{statistics.median(times):>7.2f}s",
            flush=True,
        )


def growth_table(eval_dir: Path, sizes: list[int]) -> None:
    from reader.core.alignment.pipeline import align_sources
    from reader.core.text.load import load_paths
    from reader.core.text.segment import Source, segment

    src = eval_dir / "cases" / "bible-full-3" / "sources"
    if not src.exists():
        print(f"\ngrowth: SKIPPED: {src} not found")
        return
    full = segment(load_paths([src]).documents)
    print("\ngrowth: first N sentences of each bible-full-3 source (3 sources), in process")
    print(f"  {'N/source':>9} {'total':>7} {'align':>8} {'ms per 1k sentences':>20}")
    for n in sizes:
        cut = [Source(name=s.name, text=s.text, sentences=s.sentences[:n]) for s in full]
        total = sum(len(s) for s in cut)
        t = time.perf_counter()
        align_sources(cut)
        dt = time.perf_counter() - t
        print(f"  {n:>9,} {total:>7,} {dt:>7.2f}s {dt / total * 1e6:>19.1f}")


_APP_RUN = """
import asyncio, sys, time
t0 = time.perf_counter()
from reader.core.text.load import load_paths
from reader.ui import aligner
from reader.ui.app import ReaderApp

started = []
real_align = aligner.Aligner.align

def align(self, sources):  # the worker's start: its time is aligned - started
    started.append(time.perf_counter())
    return real_align(self, sources)

aligner.Aligner.align = align

async def run():
    app = ReaderApp(load_paths([sys.argv[1]]).documents, marks_path=None)
    async with app.run_test(size=(200, 50)) as pilot:
        while app.alignment is None:
            await pilot.pause(0.05)
        now = time.perf_counter()
        print(f"{now - t0:.2f} {now - started[0]:.2f}")

asyncio.run(run())
"""


def cross_table(eval_dir: Path, runs: int = 3) -> None:
    """bible-mark-xl (5 languages) from an empty vector cache, then from the cache: the
    command (`reader align DIR --json --no-spans`) and the reading view (launch to
    aligned, headless, in a fresh process each time)."""
    import tempfile

    from reader.core.alignment import encoders

    src = eval_dir / "cases" / "bible-mark-xl" / "sources"
    if not src.exists() or not encoders.available():
        why = "not found" if not src.exists() else f"no extra ({encoders.INSTALL_HINT})"
        print(f"\nacross languages: SKIPPED: bible-mark-xl {why}")
        return
    print(
        "\nacross languages: bible-mark-xl (5 x ~690 sentences, 5 languages), a fresh "
        "process per run, a new empty vector cache for each 'cold' row"
    )
    print(f"  {'what':<44} {'wall':>7} {'peak RSS':>9}")
    for where in ("command", "app"):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(as_installed(), READER_CACHE_DIR=tmp)
            for k in range(1 + runs):
                label = "cold (empty cache)" if k == 0 else f"from the cache, run {k}"
                if where == "command":
                    cmd = [
                        sys.executable,
                        "-m",
                        "reader",
                        "align",
                        str(src),
                        "--json",
                        "--no-spans",
                    ]
                else:
                    cmd = [sys.executable, "-c", _APP_RUN, str(src)]
                t = time.perf_counter()
                proc = subprocess.Popen(
                    cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
                )
                out = proc.stdout.read()
                err = proc.stderr.read()
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - t
                rss = f"{usage.ru_maxrss / 1024:>7.0f}MB"
                if os.waitstatus_to_exitcode(status) != 0:
                    print(f"  {where} {label}: FAILED: {err.decode()[:200]}")
                    break
                if where == "app":
                    launch, worker = out.decode().split()
                    print(
                        f"  {'reading view to aligned, ' + label:<44} "
                        f"{float(launch):>6.2f}s {rss}  (worker {worker} s)"
                    )
                else:
                    print(f"  {'reader align --json --no-spans, ' + label:<44} {wall:>6.2f}s {rss}")


def versions_table(counts: list[int]) -> None:
    """Many versions of one story (the product's case taken far): N copies of the first
    five sentences of one of our news articles, each sentence with a word dropped or
    inserted at random. Every pair of versions links, so the links grow as N squared;
    the time should grow with the links, not faster (no step may look at every pair of
    a sentence's partners)."""
    import random
    import resource

    from reader.core.alignment.pipeline import align
    from reader.core.text.load import documents_from_texts
    from reader.core.text.segment import split_sentences

    files = sorted((HERE / "cases" / "news-en").glob("*/sources/*.txt"))
    if not files:
        print("\nversions of one story: SKIPPED: benchmarks/cases/news-en not found")
        return
    text = files[0].read_text(encoding="utf-8")
    story = [text[s:e] for s, e in split_sentences(text) if e - s > 60][:5]
    fillers = "reportedly officially late new local several".split()
    print("\nversions of one story (5 sentences each), in process, one run")
    print(f"  {'versions':<10} {'links':>9} {'align':>8} {'ms / 1k links':>14} {'peak RSS':>9}")
    for n in counts:
        rnd = random.Random(n)
        texts = {}
        for k in range(n):
            out = []
            for sentence in story:
                words = sentence.split()
                if rnd.random() < 0.5:
                    words.insert(rnd.randrange(len(words)), rnd.choice(fillers))
                elif len(words) > 6:
                    del words[rnd.randrange(1, len(words) - 1)]
                out.append(" ".join(words))
            texts[f"{k:04d}.txt"] = " ".join(out) + "\n"
        docs = documents_from_texts(texts)
        t = time.perf_counter()
        al = align(docs)
        took = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  {n:<10} {len(al.links):>9,} {took:>7.2f}s "
            f"{1000 * took / max(1, len(al.links)) * 1000:>14.2f} {rss:>7.0f} MB",
            flush=True,
        )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--quick", action="store_true", help="skip bible-full-3 and the 30k step")
    ap.add_argument(
        "--commands",
        action="store_true",
        help="only the `reader align` commands (bible-nt-5), one process and two",
    )
    ap.add_argument("--runs", type=int, default=1, help="runs of each command (interleaved)")
    ap.add_argument(
        "--cross",
        action="store_true",
        help="only the cross-language timings (bible-mark-xl, cold and cached)",
    )
    args = ap.parse_args()
    if args.cross:
        cross_table(args.eval_dir)
        return 0
    if args.commands:
        command_table(args.eval_dir, ["bible-nt-5"], args.runs)
        return 0
    seeds_table(30)
    many_sources_table([100, 200] if args.quick else [100, 200, 500], 50)
    versions_table([50, 100, 200] if args.quick else [50, 100, 200, 400])
    if not args.eval_dir.exists():
        print(f"\nSKIPPED the large cases: no evaluation data at {args.eval_dir}")
        return 0
    cross_table(args.eval_dir)
    command_table(
        args.eval_dir, ["bible-nt-5"] if args.quick else ["bible-nt-5", "bible-full-3"], args.runs
    )
    growth_table(
        args.eval_dir,
        [1000, 2000, 4000, 8000] if args.quick else [1000, 2000, 4000, 8000, 16000, 30000],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
