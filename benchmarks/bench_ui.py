"""Reading-view figures (a benchmark, not a test): startup and key latency.

    /work/venv/bin/python benchmarks/bench_ui.py [--runs 7] [--presses 200]

1. Time to first frame of ``reader sample_data/`` (the installed command, in a
   pseudo-terminal, until its first full screen is written) next to a bare Textual
   app with five panes started the same way; median of several runs and the ratio.
   Also the time until the panes are aligned and synced (``ready``).
2. Keypress-to-synced-render latency on ``bible-nt-5`` (5 panes, headless): the key
   event is handed to the driver and the clock stops when the first frame is
   written after the app has lined up every pane. ``pilot.press`` is not used for
   the clock: it waits for the CPU to go idle, which alone costs ~80 ms even for a
   bare app. p50/p95 over ~200 presses of j, J, space and G.
3. Strictness change on ``bible-nt-5``: the same clock over ~20 presses of ``c``
   (strict → normal → loose → strict), each re-shading, re-titling and re-syncing
   every pane from the levels the alignment worker prepared.

Targets: first frame <= 0.5 s and <= 1.6x bare; p95 <= 16 ms; strictness <= 100 ms.
Skips the latency part clearly when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIBLE = ROOT.parent / "shared" / "eval" / "cases" / "bible-nt-5" / "sources"
PYTHON = sys.executable

BARE_APP = """
from textual.app import App
from textual.containers import Horizontal
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        with Horizontal():
            for i in range(5):
                yield Static("pane %d\\n" % i * 40)
        yield Footer()

Bare().run()
"""

PANES_MARK = "004_d1f00b8bd1bc2569"  # the fifth pane's title
READY_MARK = "links"  # the status line once aligned: "aligned: N links"


def _first_frame(
    argv: list[str], ready: tuple[str, ...] = (), timeout: float = 20.0
) -> tuple[float, list[float | None]]:
    """Seconds until the first frame (the first write of 1 kB or more: a full-screen
    paint, after the few bytes of terminal set-up) and until each ``ready`` text shows."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["TERM"] = "xterm-256color"
        os.execvp(argv[0], argv)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    start = time.perf_counter()
    buf = b""
    first = None
    done: list[float | None] = [None] * len(ready)
    try:
        while time.perf_counter() - start < timeout:
            r, _, _ = select.select([fd], [], [], 0.05)
            if fd in r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                buf += chunk
                if first is None and len(chunk) >= 1000:
                    first = time.perf_counter() - start
                text = buf.decode("utf-8", "replace") if ready else ""
                for k, mark in enumerate(ready):
                    if done[k] is None and mark in text:
                        done[k] = time.perf_counter() - start
                if first is not None and None not in done:
                    break
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    if first is None:
        raise RuntimeError(f"no first frame from {argv}: {buf[-300:]!r}")
    return first, done


def bench_startup(runs: int) -> list[tuple[str, str]]:
    reader = shutil.which("reader", path=str(Path(PYTHON).parent)) or "reader"
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(BARE_APP)
        bare_path = fh.name
    bare, ours, panes, ready = [], [], [], []
    for _ in range(runs):
        bare.append(_first_frame([PYTHON, bare_path])[0])
        first, (shown, done) = _first_frame(
            [reader, str(ROOT / "sample_data")], (PANES_MARK, READY_MARK)
        )
        ours.append(first)
        if shown is not None:
            panes.append(shown)
        if done is not None:
            ready.append(done)
    os.unlink(bare_path)
    mb, mo = statistics.median(bare), statistics.median(ours)
    rows = [
        ("first frame, bare Textual app, 5 panes", f"{mb * 1000:.0f} ms"),
        ("first frame, reader sample_data/", f"{mo * 1000:.0f} ms"),
        ("ratio reader / bare (target <= 1.6)", f"{mo / mb:.2f}x"),
        ("target first frame <= 500 ms", "met" if mo <= 0.5 else "NOT met"),
    ]
    if panes:
        rows.append(
            ("text in all panes, reader sample_data/", f"{statistics.median(panes) * 1000:.0f} ms")
        )
    if ready:
        rows.append(
            (
                "aligned, shaded and synced, reader sample_data/",
                f"{statistics.median(ready) * 1000:.0f} ms",
            )
        )
    return rows


async def _latency(presses: int, strictness_presses: int) -> list[tuple[str, str]]:
    from textual import events

    from reader.core.sources import load_paths
    from reader.ui.app import ReaderApp

    docs = load_paths([BIBLE]).documents
    app = ReaderApp(docs)
    frames: list[float] = []
    moves: list[float] = []
    original_display = app._display
    original_move = app.move_to

    def display(screen, renderable):
        original_display(screen, renderable)
        frames.append(time.perf_counter())

    def move_to(*args, **kwargs):
        original_move(*args, **kwargs)
        moves.append(time.perf_counter())

    app._display = display
    app.move_to = move_to
    results: dict[str, list[float]] = {}
    async with app.run_test(size=(160, 40)) as pilot:
        started = time.perf_counter()
        # the aligner starts in a worker once the panes are up: wait for its result,
        # not just for the workers running now, so no press lands while it still runs
        while app.alignment is None:
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if time.perf_counter() - started > 300:
                raise SystemExit("bible-nt-5 did not align within 300 s")
        for _ in range(5):
            await pilot.pause()
        # the worker goes on preparing the other strictness levels: wait for them too
        while len(app.strictness.ready) < 3 and not all(w.is_finished for w in app.workers):
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
        levels = time.perf_counter() - started
        for _ in range(5):
            await pilot.pause()
        driver = app._driver
        keys = ["j", "J", "space", "G", "c"]
        per_key = max(1, presses // (len(keys) - 1))
        for key in keys:
            results[key] = []
            for k in range(strictness_presses if key == "c" else per_key):
                if key == "G" and k % 2:
                    key_name, char = "g", "g"
                else:
                    key_name, char = key, (" " if key == "space" else key)
                n_moves = len(moves)
                t0 = time.perf_counter()
                driver.send_message(events.Key(key_name, char))
                while True:
                    await asyncio.sleep(0)
                    if len(moves) > n_moves and frames and frames[-1] > moves[-1]:
                        break
                    if time.perf_counter() - t0 > 2:
                        break
                results[key].append(frames[-1] - t0)
                await pilot.pause()
    strictness = results.pop("c")
    everything = sorted(t for ts in results.values() for t in ts)

    def pct(ts: list[float], p: float) -> float:
        ts = sorted(ts)
        return ts[min(len(ts) - 1, int(round(p * (len(ts) - 1))))] * 1000

    rows = [
        ("bible-nt-5: panes shown", str(len(app.shown))),
        ("bible-nt-5: aligning, in the worker", f"{app.align_seconds:.1f} s"),
        ("bible-nt-5: load, align, prepare 3 strictness levels (headless)", f"{levels:.1f} s"),
    ]
    for key, ts in results.items():
        label = "j" if key == "j" else key
        rows.append(
            (
                f"key {label}{' / g' if key == 'G' else ''}: p50 / p95",
                f"{pct(ts, 0.5):.1f} / {pct(ts, 0.95):.1f} ms",
            )
        )
    rows.append(
        (
            f"all {len(everything)} presses: p50 / p95 (target p95 <= 16 ms)",
            f"{pct(everything, 0.5):.1f} / {pct(everything, 0.95):.1f} ms",
        )
    )
    rows.append(
        (
            f"strictness key c, {len(strictness)} presses: p50 / p95 / max (target <= 100 ms)",
            f"{pct(strictness, 0.5):.1f} / {pct(strictness, 0.95):.1f} / "
            f"{max(strictness) * 1000:.1f} ms",
        )
    )
    return rows


async def _bare_latency(presses: int) -> list[tuple[str, str]]:
    """The same clock on a bare Textual app whose five Static panes all change on a
    key: the framework's own floor for "repaint five panes"."""
    from textual import events
    from textual.app import App
    from textual.binding import Binding
    from textual.containers import Horizontal
    from textual.widgets import Footer, Static

    class Bare(App):
        BINDINGS = [Binding("j", "step", "step")]
        n = 0
        moved = 0.0

        def compose(self):
            with Horizontal():
                for i in range(5):
                    yield Static(f"pane {i}\n" * 40)
            yield Footer()

        def action_step(self) -> None:
            self.n += 1
            for static in self.query(Static):
                static.update(f"pane {self.n}\n" * 40)
            self.moved = time.perf_counter()

    app = Bare()
    frames: list[float] = []
    original_display = app._display

    def display(screen, renderable):
        original_display(screen, renderable)
        frames.append(time.perf_counter())

    app._display = display
    ts = []
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        for _ in range(presses):
            app.moved = 0.0
            t0 = time.perf_counter()
            app._driver.send_message(events.Key("j", "j"))
            while not (app.moved and frames and frames[-1] > app.moved):
                await asyncio.sleep(0)
                if time.perf_counter() - t0 > 2:
                    break
            ts.append(frames[-1] - t0)
            await pilot.pause()
    ts.sort()
    p50 = ts[len(ts) // 2] * 1000
    p95 = ts[min(len(ts) - 1, int(round(0.95 * (len(ts) - 1))))] * 1000
    return [
        ("floor: bare Textual app, 5 Static panes updated: p50 / p95", f"{p50:.1f} / {p95:.1f} ms")
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--strictness-presses", type=int, default=21)
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    if not args.skip_startup:
        rows += bench_startup(args.runs)
    if BIBLE.is_dir():
        rows += asyncio.run(_latency(args.presses, args.strictness_presses))
        rows += asyncio.run(_bare_latency(max(50, args.presses // 2)))
    else:
        rows.append(("latency on bible-nt-5", f"SKIPPED: {BIBLE} not found"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 16}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
