"""The pane's background tints, computed from the theme for the terminal's colours.

Each tint is a theme colour laid over ``$surface`` at some opacity: light enough to
read the text through, strong enough to tell "shared by some" from "only here" from
"the current sentence". A 256-colour terminal has a coarse palette (a 6x6x6 cube and
24 greys), and a faint tint often lands on the same palette entry as the plain
background or as another tint (in solarized-light "some" and "unique" both become
colour 187). So each tint is strengthened step by step until it gets a palette entry
of its own among the tints it can sit next to. This is done whatever the terminal, so
the colours never depend on it (and the snapshot tests never on the test machine's
``TERM``); in most themes no tint needs it.

The tints reach the CSS as variables (``$reader-some`` ...): see
``ReaderApp.get_css_variables``.
"""

from __future__ import annotations

from rich.color import EIGHT_BIT_PALETTE, ColorSystem
from rich.color import Color as RichColor
from textual.color import Color

#: tint name -> (theme colour, opacity over $surface, tints it must differ from)
TINTS: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "some": ("success", 0.10, ("all",)),
    "unique": ("warning", 0.22, ("all", "some")),
    "match": ("primary", 0.35, ("all", "some", "unique")),
    "current": ("primary", 0.55, ("all", "some", "unique", "match")),
    "blurred": ("foreground", 0.10, ("all", "some", "unique", "match")),
    "visual": ("secondary", 0.45, ("all", "some", "unique", "match", "current")),
}
_OPACITIES = [k / 50 for k in range(2, 39)]  # 0.04 ... 0.76, the ones tried
_CONTRAST = 3.0  # least contrast of the text on a tint (WCAG's for large text)


def palette_entry(color: Color) -> int:
    """The entry of the 256-colour palette that ``color`` is shown as there."""
    entry = RichColor.from_rgb(*color.rgb).downgrade(ColorSystem.EIGHT_BIT).number
    assert entry is not None  # an 8-bit colour always has its palette number
    return entry


def _as_256(color: Color) -> Color:
    return Color(*EIGHT_BIT_PALETTE[palette_entry(color)])


def _luminance(color: Color) -> float:
    """WCAG 2 relative luminance."""
    r, g, b = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in color.normalized
    )
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tints(variables: dict[str, str]) -> dict[str, Color]:
    """Each tint of :data:`TINTS` (and ``all``, the plain background) as an opaque
    colour, from the theme's CSS ``variables``.

    A tint keeps its opacity when that is distinct in the 256-colour palette from
    the tints it can sit next to and keeps the text readable (contrast >= 3, or the
    plain background's if lower, in true colour and in 256 colours); else it takes
    the nearest opacity that does, else the most readable distinct one.
    """
    surface = Color.parse(variables["surface"])
    text = Color.parse(variables["foreground"])
    floor = min(_CONTRAST, contrast(text, surface), contrast(_as_256(text), _as_256(surface)))
    out = {"all": surface}
    shown = {"all": palette_entry(surface)}

    def legible(tint: Color) -> float:
        return min(contrast(text, tint), contrast(_as_256(text), _as_256(tint)))

    used: dict[str, float] = {}
    for name, (base, opacity, neighbours) in TINTS.items():
        colour = Color.parse(variables[base])
        taken = {shown[n] for n in neighbours}
        # the current sentence stays stronger than its counterparts
        least = used["match"] if name == "current" else 0.0
        tries = [
            (a, surface.blend(colour, a))
            for a in [opacity, *sorted(_OPACITIES, key=lambda a: abs(a - opacity))]
            if a >= least
        ]
        distinct = [t for t in tries if palette_entry(t[1]) not in taken] or tries
        used[name], tint = next((t for t in distinct if legible(t[1]) >= floor), None) or max(
            distinct, key=lambda t: legible(t[1])
        )
        out[name], shown[name] = tint, palette_entry(tint)
    return out


def tint_variables(variables: dict[str, str]) -> dict[str, str]:
    """The CSS variables ``reader-<tint>`` for the theme's ``variables``."""
    return {
        f"reader-{name}": colour.hex for name, colour in tints(variables).items() if name != "all"
    }
