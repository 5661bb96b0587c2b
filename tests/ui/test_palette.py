"""The pane tints stay apart and readable in 256-colour terminals, in every theme."""

from __future__ import annotations

import pytest
from pilot_helpers import drain
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from reader.core.text.load import documents_from_texts
from reader.ui.app import ReaderApp
from reader.ui.panes.palette import TINTS, _as_256, contrast, palette_entry, tints

# the ansi themes take the terminal's own 16 colours: nothing to compute there
THEMES = sorted(name for name in BUILTIN_THEMES if not name.startswith("ansi"))


def theme_variables(name: str) -> dict[str, str]:
    return BUILTIN_THEMES[name].to_color_system().generate()


def legibility(text: Color, tint: Color) -> float:
    return min(contrast(text, tint), contrast(_as_256(text), _as_256(tint)))


@pytest.mark.parametrize("theme", THEMES)
def test_tints_are_distinct_in_256_colours(theme: str) -> None:
    shown = {name: palette_entry(c) for name, c in tints(theme_variables(theme)).items()}
    for name, (_base, _opacity, neighbours) in TINTS.items():
        for other in neighbours:
            assert shown[name] != shown[other], (theme, name, other, shown)


@pytest.mark.parametrize("theme", THEMES)
def test_shading_keeps_the_text_readable(theme: str) -> None:
    variables = theme_variables(theme)
    text, surface = Color.parse(variables["foreground"]), Color.parse(variables["surface"])
    floor = min(3.0, legibility(text, surface))
    colours = tints(variables)
    # the shading every sentence carries; in the two default themes every tint
    names = list(colours) if theme in ("textual-dark", "textual-light") else ["some", "unique"]
    for name in names:
        assert legibility(text, colours[name]) >= floor - 1e-9, (theme, name)


@pytest.mark.parametrize("theme", THEMES)
def test_the_current_sentence_stays_stronger_than_its_counterparts(theme: str) -> None:
    variables = theme_variables(theme)
    surface = Color.parse(variables["surface"])
    colours = tints(variables)

    def strength(c: Color) -> float:  # both blend $primary over $surface
        return sum((x - y) ** 2 for x, y in zip(c.rgb, surface.rgb))

    assert strength(colours["current"]) >= strength(colours["match"])


def test_tints_keep_their_opacity_where_nothing_collides() -> None:
    variables = theme_variables("textual-dark")
    surface = Color.parse(variables["surface"])
    colours = tints(variables)
    for name, (base, opacity, _neighbours) in TINTS.items():
        assert colours[name] == surface.blend(Color.parse(variables[base]), opacity), name


async def test_panes_use_the_tints_of_the_current_theme() -> None:
    app = ReaderApp(documents_from_texts({"a.txt": "One sentence here.", "b.txt": "Another one."}))
    async with app.run_test(size=(80, 20)) as pilot:
        await app.workers.wait_for_complete()
        await drain(pilot)
        for theme in ("solarized-light", "textual-dark"):
            app.theme = theme
            await drain(pilot)
            expected = tints(theme_variables(theme))
            view = app.deck.panes[0].view
            for name, cls in (
                ("some", "pane--some"),
                ("unique", "pane--unique"),
                ("current", "pane--current"),
            ):
                bg = view.get_component_rich_style(cls).bgcolor
                assert Color.from_rich_color(bg) == expected[name], (theme, name)
