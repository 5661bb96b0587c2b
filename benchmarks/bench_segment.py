"""Sentence segmentation: reader's splitter against the maintained libraries.

    python benchmarks/bench_segment.py [--corpus auto|sample|bible] [--size MB] [--runs N]

1. Throughput on about 1 MB of text: the sample articles repeated, or (``auto``,
   when ../shared is next to the repository) the five Bible translations of Mark
   from the evaluation cases. Median of ``--runs`` runs (default 3), printed as
   sentences/second and MB/second. pysbd is about 50 times slower than the rest,
   so it gets a smaller slice (``--pysbd-size``, default 0.1 MB) and the table
   says so.
2. The tricky cases of news text (``Sir. Ushakov``, ``9-10. January``, ``Mr``,
   ``U.S.``, quotes ending a sentence, headlines without a period...): which
   segmenter splits each one exactly as expected.

Every library gets the text one line at a time (a line break ends a sentence in
reader, and the libraries do not all know that); reader's splitter gets the
whole text, since it handles line breaks itself. A library that is not installed
is skipped with a notice; NLTK punkt is used only when both ``nltk`` and its
punkt data are installed (the data does not ship in the ``nltk`` package).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.core.text.segment import split_sentences  # noqa: E402

BIBLE = REPO.parent / "shared" / "eval" / "cases" / "bible-mark-5" / "sources"
SAMPLE = REPO / "sample_data"

Splitter = Callable[[str], list[str]]


# -- the segmenters -----------------------------------------------------------------------------


def _reader(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def _per_line(split_line: Callable[[str], list[str]]) -> Splitter:
    def run(text: str) -> list[str]:
        out: list[str] = []
        for line in text.split("\n"):
            if line.strip():
                out.extend(s for s in split_line(line) if s.strip())
        return out

    return run


def load_segmenters() -> tuple[dict[str, Splitter], list[str]]:
    found: dict[str, Splitter] = {"reader": _reader}
    missing: list[str] = []
    try:
        import blingfire

        found["blingfire"] = _per_line(lambda t: blingfire.text_to_sentences(t).split("\n"))
    except ImportError:
        missing.append("blingfire (pip install blingfire)")
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        found["pysbd"] = _per_line(seg.segment)
    except ImportError:
        missing.append("pysbd (pip install pysbd)")
    try:
        import syntok.segmenter as syntok_seg

        def syntok_line(line: str) -> list[str]:
            return [
                "".join(str(tok) for tok in sent)
                for para in syntok_seg.analyze(line)
                for sent in para
            ]

        found["syntok"] = _per_line(syntok_line)
    except ImportError:
        missing.append("syntok (pip install syntok)")
    try:
        import nltk

        try:
            punkt = nltk.data.load("tokenizers/punkt/english.pickle")
            found["nltk-punkt"] = _per_line(punkt.tokenize)
        except (LookupError, OSError, ValueError):
            try:
                nltk.data.find("tokenizers/punkt_tab/english/")
                from nltk.tokenize import sent_tokenize

                found["nltk-punkt"] = _per_line(sent_tokenize)
            except LookupError:
                missing.append("nltk-punkt (nltk is installed, its punkt data is not)")
    except ImportError:
        missing.append("nltk-punkt (nltk not installed; its punkt data ships in no package here)")
    return found, missing


# -- throughput ------------------------------------------------------------------------------------


def build_corpus(kind: str, size_mb: float) -> tuple[str, str]:
    if kind == "auto":
        kind = "bible" if BIBLE.is_dir() else "sample"
    if kind == "bible":
        if not BIBLE.is_dir():
            raise SystemExit(f"no Bible sources at {BIBLE}")
        files, label = sorted(BIBLE.glob("*.txt")), "bible-mark-5 (5 translations of Mark)"
    else:
        files, label = (
            sorted(p for p in SAMPLE.iterdir() if p.is_file()),
            "sample_data (5 articles)",
        )
    parts = [p.read_text(encoding="utf-8") for p in files]
    target = int(size_mb * 1_000_000)
    chunks: list[str] = []
    total = 0
    while total < target:
        for part in parts:
            chunks.append(part)
            total += len(part.encode("utf-8")) + 2
            if total >= target:
                break
    return "\n\n".join(chunks), label


def measure(split: Splitter, text: str, runs: int) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        count = len(split(text))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), count


def _slice(text: str, size_mb: float) -> str:
    cut = int(size_mb * 1_000_000)
    if len(text.encode("utf-8")) <= cut:
        return text
    end = text.rfind("\n\n", 0, cut)
    return text[: end if end > 0 else cut]


# -- tricky cases ----------------------------------------------------------------------------------

CASES: list[tuple[str, str, list[str]]] = [
    (
        "Sir. Ushakov",
        "Sir. Ushakov said Mr Putin responded at once. He added more.",
        ["Sir. Ushakov said Mr Putin responded at once.", "He added more."],
    ),
    (
        "9-10. January",
        "A meeting on 9-10. January, followed by a NATO session. Talks went on.",
        ["A meeting on 9-10. January, followed by a NATO session.", "Talks went on."],
    ),
    (
        "13. Januar",
        "Die Gespräche beginnen am 13. Januar in Wien. Russland fordert Garantien.",
        ["Die Gespräche beginnen am 13. Januar in Wien.", "Russland fordert Garantien."],
    ),
    (
        "Mr. / Mrs.",
        "Mr. Biden spoke with Mrs. Harris on Thursday. Dr. Fauci joined later.",
        ["Mr. Biden spoke with Mrs. Harris on Thursday.", "Dr. Fauci joined later."],
    ),
    (
        "U.S. + lowercase",
        "A senior U.S. administration official spoke. Moscow disagreed.",
        ["A senior U.S. administration official spoke.", "Moscow disagreed."],
    ),
    (
        "U.S. + The",
        "Russia wants guarantees from the U.S. The Kremlin denied any plan.",
        ["Russia wants guarantees from the U.S.", "The Kremlin denied any plan."],
    ),
    (
        "Jan.",
        "The talks are set for Jan. 10 in Geneva. NATO meets later.",
        ["The talks are set for Jan. 10 in Geneva.", "NATO meets later."],
    ),
    (
        "“…,” said X.",
        "“Progress needs calm, not escalation,” said Jen Psaki. She added more.",
        ["“Progress needs calm, not escalation,” said Jen Psaki.", "She added more."],
    ),
    (
        "“serious”. Next",
        "The tone was described as “serious”. Next came details.",
        ["The tone was described as “serious”.", "Next came details."],
    ),
    (
        ".” she said",
        "“This is not a new promise.” she said. The White House agreed.",
        ["“This is not a new promise.” she said.", "The White House agreed."],
    ),
    (
        "?” asked",
        "“Will there be war?” asked the reporter. Nobody answered.",
        ["“Will there be war?” asked the reporter.", "Nobody answered."],
    ),
    (
        "J. Smith",
        "The report was written by J. Smith. It was published on Friday.",
        ["The report was written by J. Smith.", "It was published on Friday."],
    ),
    (
        "headline line",
        "Biden and Putin talk about Ukraine\nThe call lasted 50 minutes.",
        ["Biden and Putin talk about Ukraine", "The call lasted 50 minutes."],
    ),
    (
        "Sr. Silva / É",
        "O Sr. Silva chegou a Brasília. É a segunda visita do ano.",
        ["O Sr. Silva chegou a Brasília.", "É a segunda visita do ano."],
    ),
    (
        "years ago.",
        "The crisis began eight years ago. The West imposed sanctions.",
        ["The crisis began eight years ago.", "The West imposed sanctions."],
    ),
]


def _norm(sentences: list[str]) -> list[str]:
    return [" ".join(s.split()) for s in sentences if s.strip()]


def run_cases(segmenters: dict[str, Splitter]) -> None:
    names = list(segmenters)
    width = max(len(c[0]) for c in CASES)
    print("Tricky cases (ok = exactly the expected sentences):")
    print(f"  {'case':<{width}}  " + "  ".join(f"{n:>10}" for n in names))
    totals = dict.fromkeys(names, 0)
    for label, text, expected in CASES:
        row = []
        for n in names:
            try:
                ok = _norm(segmenters[n](text)) == _norm(expected)
            except Exception:  # a library crashing on a case counts as wrong
                ok = False
            totals[n] += ok
            row.append(f"{'ok' if ok else 'WRONG':>10}")
        print(f"  {label:<{width}}  " + "  ".join(row))
    print(
        f"  {'total':<{width}}  " + "  ".join(f"{f'{totals[n]}/{len(CASES)}':>10}" for n in names)
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=("auto", "sample", "bible"), default="auto")
    ap.add_argument("--size", type=float, default=1.0, help="megabytes of text (default 1)")
    ap.add_argument(
        "--pysbd-size",
        type=float,
        default=0.1,
        help="megabytes given to pysbd, which is slow (default 0.1)",
    )
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)

    segmenters, missing = load_segmenters()
    for m in missing:
        print(f"skipped: {m}")
    text, label = build_corpus(args.corpus, args.size)
    mb = len(text.encode("utf-8")) / 1e6
    print(
        f"Throughput on {mb:.2f} MB of {label}, median of {args.runs} runs "
        f"(Python {sys.version.split()[0]}):"
    )
    print(
        f"  {'segmenter':<12} {'MB':>5} {'sentences':>10} {'seconds':>8} {'sent/s':>10} {'MB/s':>7}"
    )
    for name, split in segmenters.items():
        sample = _slice(text, args.pysbd_size) if name == "pysbd" else text
        smb = len(sample.encode("utf-8")) / 1e6
        secs, count = measure(split, sample, args.runs)
        note = "  (smaller slice: pysbd is slow)" if sample is not text else ""
        print(
            f"  {name:<12} {smb:>5.2f} {count:>10} {secs:>8.3f} {count / secs:>10,.0f} "
            f"{smb / secs:>7.2f}{note}"
        )
    print()
    run_cases(segmenters)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
