"""The reading view's alignment process (reader/ui/align_process.py): what the child
sends is what aligning in process gives, on the parent's own sources; a child that
split the texts differently is refused; Esc kills it; the app shows its result.

Each test runs in a fresh interpreter: ``start`` forks only a process without
threads, and the test runner may have some."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


#: the start of a script whose child aligns the sample (before anything imports Textual)
CHILD = f"""
from reader.core.text.load import load_paths
from reader.core.text.segment import segment
from reader.ui.align_process import start

docs = load_paths([{str(SAMPLE)!r}]).documents
process = start(docs)
"""


def run(script: str, timeout: float = 120, child: bool = False) -> str:
    """Run ``script`` in a fresh interpreter (after :data:`CHILD` with ``child``)."""
    proc = subprocess.run(
        [sys.executable, "-c", (CHILD if child else "") + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_child_sends_what_aligning_here_gives_every_level():
    out = run(
        """
        assert process is not None

        from reader.core.alignment.pipeline import align_sources
        from reader.ui.panes.levels import prepare

        sources = segment(docs)
        kinds, levels = [], {}
        for message in process.messages(sources):
            kinds.append(message[0])
            if message[0] in ("ready", "level"):
                levels[message[1].level] = message[1]
        process.close()
        assert kinds[-1] == "level" and kinds.count("ready") == 1, kinds
        assert "progress" in kinds and kinds.index("progress") < kinds.index("ready")
        langs = [s.lang for s in sources]  # the parent's sources learn their language
        assert all(langs), langs
        here = align_sources(sources)
        for level in ("strict", "normal", "loose"):
            got, want = levels[level], prepare(here.at(level))
            assert got.alignment.sources is not sources  # a list of the parent's ...
            assert all(a is b for a, b in zip(got.alignment.sources, sources))  # sources
            assert got.alignment.links == want.alignment.links, level
            assert got.kinds == want.kinds and got.counterparts == want.counterparts
            assert got.alignment.groups == want.alignment.groups
            assert got.alignment.pool is levels["normal"].alignment.pool  # sent once
        print("OK", len(levels["normal"].alignment.links))
    """,
        child=True,
    )
    assert out.startswith("OK ")
    assert int(out.split()[1]) > 10


def test_early_takes_the_default_level_once_it_is_there_and_leaves_the_rest():
    out = run(
        """
        import os

        sources = segment(docs)
        early = process.early(sources, wait=60)  # waits for it, at most a minute
        assert early is not None and early.level == "normal"
        assert all(s.lang for s in sources)
        rest = list(process.messages(sources))
        process.close()
        assert [m[0] for m in rest] == ["level", "level"], [m[0] for m in rest]
        assert all(m[1].alignment.pool is early.alignment.pool for m in rest)
        print("OK", sorted(m[1].level for m in rest))
    """,
        child=True,
    )
    assert out.strip() == "OK ['loose', 'strict']"


def test_early_keeps_a_failure_for_the_worker():
    out = run(
        """
        import dataclasses
        import time

        sources = segment(docs)
        s = sources[0]
        sources[0] = dataclasses.replace(s, sentences=s.sentences[:-1])
        while not process._eof and not process._held:
            assert process.early(sources) is None
            time.sleep(0.01)
        messages = list(process.messages(sources))
        process.close()
        assert [m[0] for m in messages] == ["failed"], messages
        print(messages[0][1])
    """,
        child=True,
    )
    assert "split the texts differently" in out


def test_the_app_paints_a_quick_child_s_alignment_in_its_first_frame():
    out = run(
        """
        import asyncio, os, time
        os.environ["TEXTUAL_ANIMATIONS"] = "none"

        import reader.ui.app
        from reader.ui.app import ReaderApp
        time.sleep(3)  # the child is done before the app starts

        class Probe(ReaderApp):
            CSS_PATH = os.path.join(os.path.dirname(reader.ui.app.__file__), "reader.tcss")

            async def on_mount(self):
                await super().on_mount()  # the panes are mounted, nothing is painted yet
                print("ALIGNED AT MOUNT", self.alignment is not None)

        async def main():
            app = Probe(docs, marks_path=None, align_process=process)
            async with app.run_test(size=(160, 40)) as pilot:
                while len(app.strictness.ready) < 3:
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                await pilot.press("c")
                await pilot.pause()
                print("LEVEL", app.strictness.shown)
            process.close()

        asyncio.run(main())
    """,
        child=True,
    )
    assert "ALIGNED AT MOUNT True" in out and "LEVEL loose" in out


def test_sources_split_differently_are_refused():
    out = run(
        """
        import dataclasses

        sources = segment(docs)
        s = sources[0]
        sources[0] = dataclasses.replace(s, sentences=s.sentences[:-1])
        messages = list(process.messages(sources))
        process.close()
        assert [m[0] for m in messages] == ["failed"], messages
        print(messages[0][1])
    """,
        child=True,
    )
    assert "split the texts differently" in out


def test_cancel_kills_the_child_and_says_so():
    out = run(
        """
        process.cancel()
        messages = list(process.messages(segment(docs)))
        process.close()
        process.close()  # idempotent
        assert messages[-1][0] == "failed", messages
        print(messages[-1][1])
    """,
        child=True,
    )
    assert "stopped by signal" in out or "ended without a result" in out


def test_no_fork_with_a_thread_running_or_one_document():
    out = run(f"""
        import threading
        from reader.core.text.load import load_paths
        from reader.ui.align_process import start

        docs = load_paths([{str(SAMPLE)!r}]).documents
        assert start(docs[:1]) is None
        stop = threading.Event()
        t = threading.Thread(target=stop.wait)
        t.start()
        try:
            assert start(docs) is None
        finally:
            stop.set()
            t.join()
        print("OK")
    """)
    assert out.strip() == "OK"


def test_the_app_shows_the_child_s_alignment_and_its_levels():
    out = run(
        """
        import asyncio, os
        os.environ["TEXTUAL_ANIMATIONS"] = "none"

        from reader.ui.app import ReaderApp

        async def main():
            app = ReaderApp(docs, marks_path=None, align_process=process)
            async with app.run_test(size=(160, 40)) as pilot:
                while len(app.strictness.ready) < 3:
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                assert app.alignment is not None
                assert app.aligner.process is process
                await pilot.press("c")
                await pilot.pause()
                print("LEVEL", app.strictness.shown)
            process.close()

        asyncio.run(main())
    """,
        child=True,
    )
    assert "LEVEL loose" in out


def test_the_app_aligns_itself_when_the_child_fails():
    out = run(
        """
        import asyncio, os
        os.environ["TEXTUAL_ANIMATIONS"] = "none"

        process.cancel()  # the child dies before sending anything
        from reader.ui.app import ReaderApp

        async def main():
            app = ReaderApp(docs, marks_path=None, align_process=process)
            async with app.run_test(size=(160, 40)) as pilot:
                while len(app.strictness.ready) < 3:
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                assert app.alignment is not None and not app.unaligned
                print("ALIGNED", app.strictness.shown, len(app.alignment.links) > 10)

        asyncio.run(main())
    """,
        child=True,
    )
    assert "ALIGNED normal True" in out


def test_progress_new_steps_at_once_and_the_same_step_throttled():
    from reader.ui.align_process import PROGRESS_EVERY, Progress

    now = [100.0]
    progress = Progress(clock=lambda: now[0])
    assert progress.wanted("spans", 0.2)
    assert not progress.wanted("spans", 0.3)  # the same step, too soon
    assert progress.wanted("groups", 0.0)  # a new step at once
    assert progress.wanted("groups", 1.0)  # a step's end is shown
    now[0] += PROGRESS_EVERY
    assert progress.wanted("groups", 0.5)  # the same step after PROGRESS_EVERY
