"""Reading-view figures (a benchmark, not a test): start-up and key latency.

    python benchmarks/bench_ui.py [--runs 7] [--presses 200] [--skip-startup] [--skip-latency]

1. Launch to first frame and launch to aligned, for ``reader sample_data/`` and
   ``reader bible-nt-5`` (the installed command in a pseudo-terminal), next to a bare
   Textual app with five panes started the same way, all in one loop (each run's
   ratios compare like with like). The first frame is when every pane shows its text
   (each source's first words on the screen, not merely the first bytes written,
   which can be a placeholder); aligned is the frame whose status line reports the
   "counterpart links": the panes shaded, the current sentence highlighted, the panes
   in step. The machine's load average is printed before and after.
2. Keypress-to-synced-render latency on ``bible-nt-5`` (5 panes, headless): the key
   event is handed to the driver and the clock stops when the first frame is
   written after the app has lined up every pane. ``pilot.press`` is not used for
   the clock: it waits for the CPU to go idle, which alone costs ~80 ms even for a
   bare app. p50/p95 over ~200 presses of j, J, space and G.
3. Strictness change on ``bible-nt-5``: the same clock over ~20 presses of ``c``
   (strict → normal → loose → strict), each re-shading, re-titling and re-syncing
   every pane from the levels the alignment worker prepared.
4. Corrections on ``bible-nt-5`` (issue 9), the same clock: the key that links (``L`` in
   another pane after ``L``, a move there), ``ctrl+z`` and ``ctrl+y`` of that link, and
   ``d`` in the why view (unlink), each until the frame after the panes are lined up
   again with the corrected alignment (no aligning, no classifying of the pool: only
   the sets of links the correction touches are decided again).

Every timed key is pressed at least one frame period (1/60 s, Textual's MAX_FPS)
after the frame before it. Textual paints at most 60 frames a second, so a key
pressed sooner waits for the next frame, up to 17 ms, whatever the app does. Without
that spacing, a fraction of presses measured the pacing: undo p95 17-19 ms against a
median of 6.

The commands run as a user's install runs them: the package compiled (see
``installed.py``; a machine with PYTHONDONTWRITEBYTECODE would otherwise compile every
module at every start).

A press that moved nothing (the leader's pane, sentence and scroll as before: J past
the last shared sentence, a page down at the end) is not timed, and is counted.

Targets (issue 14): sample_data aligned <= 0.5 s from launch and <= 2x the bare app's
first frame; bible-nt-5 aligned <= 5 s; key p95 at the bare app's floor; strictness
<= 100 ms; link/unlink p95 <= 16 ms. Skips the bible-nt-5 parts clearly when
../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import re
import select
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from installed import as_installed

ROOT = Path(__file__).resolve().parents[1]
BIBLE = ROOT.parent / "shared" / "eval" / "cases" / "bible-nt-5" / "sources"
PYTHON = sys.executable
#: the commands' environment: the package compiled, as ``pip install`` leaves it
ENV = as_installed()

BARE_APP = """
from textual.app import App
from textual.containers import Horizontal
from textual.widgets import Footer, Static

class Bare(App):
    CSS = "Static { width: 1fr; }"  # five panes side by side, as reader's

    def compose(self):
        with Horizontal():
            for i in range(5):
                yield Static("pane %d\\n" % i * 40)
        yield Footer()

Bare().run()
"""

#: the status line once aligned, shaded and the current sentence highlighted (one frame)
READY_MARK = "counterpart links"
#: escape sequences a terminal acts on (CSI, OSC, two-byte): stripped to read the text
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def _pane_texts(folder: Path) -> list[str]:
    """What every pane of ``reader folder`` shows first: the opening characters of each
    source's first sentence, as the pane draws them (16 characters fit any pane)."""
    from reader.core.text.load import load_paths
    from reader.core.text.segment import segment
    from reader.ui.literal import sanitise

    out = []
    for src in segment(load_paths([folder]).documents):
        first = " ".join(sanitise(src.sentence(0)).split()) if len(src) else ""
        out.append(first[:16].rstrip())
    return out


def _first_frame(
    argv: list[str], panes: list[str], ready: tuple[str, ...] = (), timeout: float = 20.0
) -> tuple[float, list[float | None]]:
    """Seconds until the first frame, that is until every pane shows its text (each of
    ``panes`` is on the screen, or the first ``ready`` text, which marks an aligned frame;
    not merely the first bytes written, which can be a placeholder), and until each
    ``ready`` text shows."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.clear()
        os.environ.update(ENV, TERM="xterm-256color")
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
                text = _ESCAPES.sub("", buf.decode("utf-8", "replace"))
                now = time.perf_counter() - start
                # the first frame with the text; an aligned frame is one too (when the
                # alignment is in before the first paint, the panes are already in step,
                # and a pane may start at the counterpart of the leader's first sentence)
                if first is None and (
                    all(p in text for p in panes) or (ready and ready[0] in text)
                ):
                    first = now
                for k, mark in enumerate(ready):
                    if done[k] is None and mark in text:
                        done[k] = now
                if first is not None and None not in done:
                    break
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    if first is None:
        raise RuntimeError(f"no frame with every pane's text from {argv}: {buf[-300:]!r}")
    return first, done


def _load() -> str:
    """The machine's load average (1, 5, 15 minutes), to read a timing by."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def bench_startup(runs: int, folders: list[Path]) -> list[tuple[str, str]]:
    """Launch to first frame and to aligned, for each folder, next to the bare app's
    first frame: all in one loop, so each run's ratios compare like with like."""
    reader = shutil.which("reader", path=str(Path(PYTHON).parent)) or "reader"
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(BARE_APP)
        bare_path = fh.name
    texts = {folder: _pane_texts(folder) for folder in folders}
    bare: list[float] = []
    first: dict[Path, list[float]] = {f: [] for f in folders}
    ready: dict[Path, list[float]] = {f: [] for f in folders}
    ratio: dict[Path, list[float]] = {f: [] for f in folders}
    load_before = _load()
    for _ in range(runs):
        b = _first_frame([PYTHON, bare_path], [f"pane {i}" for i in range(5)])[0]
        bare.append(b)
        for folder in folders:
            f, (done,) = _first_frame([reader, str(folder)], texts[folder], (READY_MARK,), 120)
            first[folder].append(f)
            if done is not None:
                ready[folder].append(done)
                ratio[folder].append(done / b)
    os.unlink(bare_path)
    mb = statistics.median(bare)
    rows = [
        ("machine load before / after (1, 5, 15 min)", f"{load_before}  ->  {_load()}"),
        (
            f"first frame (every pane shows text), bare Textual app, 5 panes, median of {runs}",
            f"{mb * 1000:.0f} ms",
        ),
    ]
    for folder in folders:
        name = folder.name if folder.name != "sources" else folder.parent.name
        mf = statistics.median(first[folder])
        rows.append((f"{name}: first frame (every pane shows text)", f"{mf * 1000:.0f} ms"))
        if ready[folder]:
            md = statistics.median(ready[folder])
            rows.append(
                (
                    f"{name}: launch -> aligned, shaded and synced",
                    f"{md * 1000:,.0f} ms ({len(ready[folder])} of {runs} runs)",
                )
            )
            rows.append(
                (
                    f"{name}: aligned / bare first frame, same run (median of ratios)",
                    f"{statistics.median(ratio[folder]):.2f}x",
                )
            )
    return rows


async def _latency(
    presses: int, strictness_presses: int, corrections: int = 30
) -> list[tuple[str, str]]:
    from textual import events

    from reader.core.text.load import load_paths
    from reader.ui.app import ReaderApp

    docs = load_paths([BIBLE]).documents
    app = ReaderApp(docs, marks_path=None)  # never a sidecar file in ../shared
    frames: list[float] = []
    moves: list[float] = []
    original_display = app._display
    original_move = app.deck.move_to
    original_level = app.deck.set_level
    aligned: list[float] = []

    def display(screen, renderable):
        original_display(screen, renderable)
        frames.append(time.perf_counter())

    def move_to(*args, **kwargs):
        original_move(*args, **kwargs)
        moves.append(time.perf_counter())

    def set_level(*args, **kwargs):  # first called when the alignment is ready
        aligned.append(time.perf_counter())
        original_level(*args, **kwargs)

    app._display = display
    app.deck.move_to = move_to
    app.deck.set_level = set_level
    results: dict[str, list[float]] = {}
    idle: dict[str, int] = {}  # presses that moved nothing (at an end): not timed
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
            idle[key] = 0
            for k in range(strictness_presses if key == "c" else per_key):
                if key == "G" and k % 2:
                    key_name, char = "g", "g"
                else:
                    key_name, char = key, (" " if key == "space" else key)
                view = app.deck.leader_view
                before = (view.index, view.current, view.top_row) if view else None
                n_moves = len(moves)
                await paced(frames)
                t0 = time.perf_counter()
                driver.send_message(events.Key(key_name, char))
                synced = False
                while time.perf_counter() - t0 <= 2:
                    await asyncio.sleep(0)
                    if len(moves) > n_moves and frames and frames[-1] > moves[-1]:
                        synced = True
                        break
                view = app.deck.leader_view
                after = (view.index, view.current, view.top_row) if view else None
                # a key that moved nothing (J past the last shared sentence, a page down
                # at the end) has no frame to wait for: it is counted, not timed
                if synced and (key == "c" or after != before):
                    results[key].append(frames[-1] - t0)
                else:
                    idle[key] += 1
                await pilot.pause()
        fixes = await _corrections(app, pilot, moves, frames, corrections)
    strictness = results.pop("c")
    everything = sorted(t for ts in results.values() for t in ts)

    def pct(ts: list[float], p: float) -> float:
        ts = sorted(ts)
        return ts[min(len(ts) - 1, round(p * (len(ts) - 1)))] * 1000

    rows = [
        ("bible-nt-5: panes shown", str(len(app.deck.shown))),
        ("bible-nt-5: loaded and aligned, in the worker", f"{aligned[0] - started:.1f} s"),
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
    skipped = sum(idle.values())
    if skipped:
        rows.append(
            (
                "presses that moved nothing, not timed",
                ", ".join(f"{k} {n}" for k, n in idle.items() if n),
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
    for name, ts in fixes.items():
        if ts:
            rows.append(
                (
                    f"correction: {name}, {len(ts)} presses: median / p95 / max",
                    f"{pct(ts, 0.5):.1f} / {pct(ts, 0.95):.1f} / {max(ts) * 1000:.1f} ms",
                )
            )
    every = [t for ts in fixes.values() for t in ts]
    if every:
        rows.append(
            (
                f"corrections, all {len(every)}: median / p95 (target p95 <= 16 ms)",
                f"{pct(every, 0.5):.1f} / {pct(every, 0.95):.1f} ms",
            )
        )
    return rows


async def paced(frames: list[float]) -> None:
    """Wait until a frame period (Textual paints at most MAX_FPS frames a second) has
    passed since the last frame: a key pressed sooner waits for Textual's next frame
    whatever the app does (up to 17 ms), which is no one's typing speed."""
    from textual.constants import MAX_FPS

    while frames and time.perf_counter() - frames[-1] < 1 / MAX_FPS:
        await asyncio.sleep(0.001)


async def _corrections(app, pilot, moves, frames, rounds: int) -> dict[str, list[float]]:
    """Link, undo, redo and unlink (why view, d) on bible-nt-5, each timed from the key
    to the frame after the panes were lined up with the corrected alignment."""
    from textual import events

    driver = app._driver
    out: dict[str, list[float]] = {"link (L)": [], "undo": [], "redo": [], "unlink (d, why)": []}

    async def press(key: str, char: str | None) -> None:
        driver.send_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()

    async def timed(key: str, char: str | None) -> float | None:
        await paced(frames)
        n_moves = len(moves)
        t0 = time.perf_counter()
        driver.send_message(events.Key(key, char))
        while time.perf_counter() - t0 <= 2:
            await asyncio.sleep(0)
            if len(moves) > n_moves and frames and frames[-1] > moves[-1]:
                t = frames[-1] - t0
                await pilot.pause()
                return t
        await pilot.pause()
        return None

    for k in range(rounds):
        await press("1", "1")
        for _ in range(1 + k % 3):
            await press("J", "J")
        await press("L", "L")  # link from here
        await press("2", "2")
        await press("j", "j")
        for name, key, char in (
            ("link (L)", "L", "L"),
            ("undo", "ctrl+z", None),
            ("redo", "ctrl+y", None),
        ):
            t = await timed(key, char)
            if t is not None:
                out[name].append(t)
        await press("w", "w")  # why: the first counterpart is highlighted
        t = await timed("d", "d")
        if t is not None:
            out["unlink (d, why)"].append(t)
        await press("escape", None)
    return out


async def _bare_latency(presses: int) -> list[tuple[str, str]]:
    """The same clock on a bare Textual app whose five Static panes all change on a
    key: the framework's own floor for "repaint five panes"."""
    from textual import events
    from textual.app import App
    from textual.binding import Binding
    from textual.containers import Horizontal
    from textual.widgets import Footer, Static

    class Bare(App):
        CSS = "Static { width: 1fr; }"  # five panes side by side, as reader's
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
            await paced(frames)
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
    p95 = ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))] * 1000
    return [
        ("floor: bare Textual app, 5 Static panes updated: p50 / p95", f"{p50:.1f} / {p95:.1f} ms")
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--strictness-presses", type=int, default=21)
    parser.add_argument("--corrections", type=int, default=30, help="rounds of link/unlink")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    if not args.skip_startup:
        folders = [ROOT / "sample_data"] + ([BIBLE] if BIBLE.is_dir() else [])
        rows += bench_startup(args.runs, folders)
        if not BIBLE.is_dir():
            rows.append(("launch -> aligned, bible-nt-5", f"SKIPPED: {BIBLE} not found"))
    if args.skip_latency:
        pass
    elif BIBLE.is_dir():
        rows += asyncio.run(_latency(args.presses, args.strictness_presses, args.corrections))
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
