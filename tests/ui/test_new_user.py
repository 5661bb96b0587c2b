"""The reading view as a new user meets it (issue 10): each test here failed before
the fix it covers. Every test works on a copy of the sample data in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import drain, settle

from reader.core.text.load import load_paths
from reader.ui.app import ReaderApp
from reader.ui.dialogs.export import ExportDialog

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SIZE = (160, 40)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "story"
    dest.mkdir()
    for f in sorted(SAMPLE.iterdir()):
        if f.is_file() and not f.name.startswith("."):
            (dest / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return dest


# -- bug 1: export to the default place from a relative DIR ---------------------------------
async def test_export_to_the_default_place_from_a_relative_folder(folder, monkeypatch):
    monkeypatch.chdir(folder.parent)
    app = ReaderApp(load_paths(["story"]).documents)  # as `reader story/` makes it
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("e")
        await drain(pilot)
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog), app.screen.query_one("#export-error")
        assert (folder / "reader-marks.md").is_file()
        assert not (folder / "story").exists()
