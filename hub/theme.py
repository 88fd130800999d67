"""A municipality's own look from configuration: house colours and logo, no template edits.

The pages are built on the NL Design System's CSS components (@utrecht/component-library-css,
vendored), which take their look from design tokens (CSS custom properties). The hub ships a
neutral token set (static/tokens.css); a municipality overrides a few of its base tokens in
configuration (`HUB_THEME_PRIMARY=#c8102e`, `HUB_THEME_LOGO=/static/logo.svg`, ... or the same
keys without the prefix in instance/config.toml), and `/theme.css` turns them into tokens
loaded after the defaults. Colours that would fail WCAG AA contrast are refused at start-up.
Pure: no Flask, no database (the route lives in hub/web.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
# Setting (HUB_THEME_<KEY>) -> the base token it sets; every other token derives from these.
COLOUR_TOKENS = {
    "PRIMARY": "--hub-color-primary",            # header, primary buttons, links
    "PRIMARY_DARK": "--hub-color-primary-dark",  # hover and the current page in the menu
    "ON_PRIMARY": "--hub-color-on-primary",      # text on the primary colour
    "INK": "--hub-color-ink",                    # body text
    "BACKGROUND": "--hub-color-background",      # page background
}
TEXT_SETTINGS = ("NAME", "LOGO")
AA_TEXT = 4.5
DEFAULT_ON_PRIMARY = "#ffffff"


class ThemeError(ValueError):
    """A theme setting that cannot be used; the message names the setting."""


def _luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.2 definition)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def parse(values: Mapping[str, str]) -> dict[str, str]:
    """The theme from HUB_THEME_* settings, validated; {} when none is set."""
    theme: dict[str, str] = {}
    for key in (*COLOUR_TOKENS, *TEXT_SETTINGS):
        raw = values.get(f"HUB_THEME_{key}")
        if raw is None or not raw.strip():
            continue
        value = raw.strip()
        if key in COLOUR_TOKENS and not HEX.match(value):
            raise ThemeError(f"HUB_THEME_{key}: give a colour as #rrggbb, not {value[:20]!r}")
        if key == "LOGO" and not (value.startswith("/") or value.startswith("https://")):
            raise ThemeError("HUB_THEME_LOGO: a path on this server (/static/...) or an "
                             "https:// address")
        if key in TEXT_SETTINGS and (len(value) > 200 or any(c in value for c in "<>\"'\n")):
            raise ThemeError(f"HUB_THEME_{key}: at most 200 characters, without < > or quotes")
        theme[key] = value
    _check_contrast(theme)
    return theme


def _check_contrast(theme: dict[str, str]) -> None:
    on_primary = theme.get("ON_PRIMARY", DEFAULT_ON_PRIMARY)
    for key in ("PRIMARY", "PRIMARY_DARK"):
        if key in theme and contrast(theme[key], on_primary) < AA_TEXT:
            raise ThemeError(
                f"HUB_THEME_{key}: text in {on_primary} on {theme[key]} has a contrast of "
                f"{contrast(theme[key], on_primary):.1f}:1; WCAG AA needs {AA_TEXT}:1 "
                "(choose a darker colour, or set HUB_THEME_ON_PRIMARY)")
    if "INK" in theme or "BACKGROUND" in theme:
        ink, background = theme.get("INK", "#1b1f24"), theme.get("BACKGROUND", "#f6f7f9")
        if contrast(ink, background) < AA_TEXT:
            raise ThemeError(f"HUB_THEME_INK: {ink} on {background} has a contrast of "
                             f"{contrast(ink, background):.1f}:1; WCAG AA needs {AA_TEXT}:1")


def stylesheet(theme: Mapping[str, str]) -> str:
    """The CSS that sets the configured base tokens (loaded after static/tokens.css)."""
    lines = [f"  {COLOUR_TOKENS[key]}: {value};" for key, value in theme.items()
             if key in COLOUR_TOKENS]
    body = "\n".join(lines)
    return f"/* The building's own theme (HUB_THEME_*). */\n:root {{\n{body}\n}}\n"
