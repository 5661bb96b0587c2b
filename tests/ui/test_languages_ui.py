"""Pilot tests for sources in different languages: the language in the pane titles, the
status line without the multilingual extra, highlights across languages, and Esc while
sentences are being encoded."""

from __future__ import annotations

import asyncio
import threading

import pytest

from reader.core.alignment import encoders
from reader.core.alignment.encoders import INSTALL_HINT
from reader.core.text.load import documents_from_texts
from reader.ui.app import ReaderApp

SIZE = (160, 30)

EN = (
    "The city council approved the new bridge on Tuesday evening.\n"
    "Construction will start in March and should take two years.\n"
    "The bridge will cost 48 million euros, paid mostly by the region.\n"
    "Residents of the old town had protested against the project for months.\n"
)
DE = (
    "Der Stadtrat hat am Dienstagabend die neue Brücke genehmigt.\n"
    "Die Bauarbeiten beginnen im März und sollen zwei Jahre dauern.\n"
    "Die Brücke kostet 45 Millionen Euro, die größtenteils von der Region bezahlt werden.\n"
    "Anwohner der Altstadt hatten monatelang gegen das Projekt protestiert.\n"
)

needs_extra = pytest.mark.skipif(
    not encoders.available(), reason=f"multilingual extra not installed ({INSTALL_HINT})"
)


def status_message(app: ReaderApp) -> str:
    return str(app.query_one("#status-message").render())


def make_app() -> ReaderApp:
    return ReaderApp(documents_from_texts({"de[1].txt": DE, "en.txt": EN}), marks_path=None)


async def test_without_the_extra_the_status_line_names_sources_and_command(monkeypatch, settle):
    monkeypatch.setattr(encoders, "available", lambda: False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.alignment is not None
        message = status_message(app)
        assert "different languages" in message and "de: de[1].txt" in message
        assert "en: en.txt" in message and INSTALL_HINT in message
        assert app.query_one("#status-message").has_class("-warning")
        # the language is in each pane's title once recognised
        titles = [str(p.title_bar.render()) for p in app.deck.panes]
        assert "de · 4 sent." in titles[0] and "en · 4 sent." in titles[1]


@needs_extra
async def test_counterparts_across_languages_mark_only_differing_numbers(settle):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "aligned:" in status_message(app)
        assert not app.query_one("#status-message").has_class("-warning")
        app.deck.jump_to(0, 2)  # "Die Brücke kostet 45 Millionen Euro ..."
        await pilot.pause()
        en = app.deck.panes[1].view
        assert en.current == 2 or app.alignment.best_counterpart(0, 2, 1).sentence == 2
        marks = en.marks
        assert list(marks) == [2]
        src = app.sources[1]
        assert [src.text[s:e] for s, e in marks[2]] == ["48"]
        leader = app.deck.panes[0].view
        assert [app.sources[0].text[s:e] for s, e in leader.marks[2]] == ["45"]
        # a pair without numbers: nothing marked on either side
        app.deck.jump_to(0, 0)
        await pilot.pause()
        assert app.deck.panes[1].view.marks == {0: []} and app.deck.panes[0].view.marks == {0: []}


@needs_extra
async def test_escape_while_encoding_cancels_and_keeps_the_panes(monkeypatch, tmp_path, settle):
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path))  # nothing cached: it must encode
    real = encoders.default_encoder()
    started, release = threading.Event(), threading.Event()

    class Waiting:
        name, dim, languages = real.name, real.dim, real.languages

        def encode(self, texts):
            started.set()
            release.wait(30)
            return real.encode(texts)

    monkeypatch.setattr(encoders, "default_encoder", lambda: Waiting())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, started.wait, 30)
        # the step shows once the alignment has run QUIET_START (status.py), even though
        # no progress follows it while the encoder works
        for _ in range(100):
            if "encoding sentences of" in status_message(app):
                break
            await pilot.pause(0.05)
        assert "encoding sentences of" in status_message(app)
        await pilot.press("escape")
        release.set()
        await settle(pilot)
        assert app.alignment is None
        assert "alignment stopped" in status_message(app)
        assert len(app.deck.panes) == 2
        await pilot.press("j")
        await pilot.pause()
        assert app.deck.panes[app.deck.leader].view.current == 1
