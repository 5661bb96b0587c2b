"""SVG snapshots of the main screens (pytest-textual-snapshot). Animations are off
(TEXTUAL_ANIMATIONS=none in conftest) and no Input is focused, so no cursor blinks.

The documents are small and written so that their alignment is unambiguous, so the
pictures do not move while the aligner is tuned. Update with --snapshot-update.
"""

from __future__ import annotations

from pilot_helpers import settle

from reader.core.text.load import documents_from_texts
from reader.ui.app import ReaderApp

STORY = {
    "agency.txt": (
        "Biden and Putin spoke by phone for fifty minutes on Thursday.\n\n"
        "White House spokeswoman Jen Psaki said the talks were a good basis for more.\n\n"
        "Kremlin aide Yuri Ushakov called the conversation frank and useful.\n\n"
        "Markets in Moscow rose slightly after the call."
    ),
    "notes[red].txt": (
        "Kremlin aide Yuri Ushakov called the conversation frank and useful.\n\n"
        "Biden and Putin spoke by phone for fifty minutes on Thursday.\n\n"
        "White House spokeswoman Jen Pasky said the talks were a good background for more.\n\n"
        "Read also"
    ),
    "wire.txt": (
        "Biden and Putin spoke by telephone for fifty minutes on Thursday.\n\n"
        "Spokeswoman Jen Psaki said the talks were a good basis for more meetings.\n\n"
        "The [bold]leaders[/bold] agreed to meet again in January."
    ),
}


def make_app() -> ReaderApp:
    return ReaderApp(documents_from_texts(STORY))


async def ready(pilot) -> None:
    """Loaded, aligned, every strictness prepared and every message handled."""
    await settle(pilot)


def test_reading_view(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 24), run_before=ready)


def test_current_sentence_with_differing_words(snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("j", "h", "h")  # words: auto -> matches -> differences
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 24), run_before=run_before)


def test_current_sentence_with_matching_words(snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("j", "h")  # words: matches
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 24), run_before=run_before)


def test_help_screen(snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 40), run_before=run_before)


def test_light_theme(snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        pilot.app.theme = "textual-light"
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 24), run_before=run_before)


def test_small_terminal(snap_compare):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(40, 12), run_before=run_before)
