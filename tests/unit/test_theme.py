"""A municipality's theme from configuration: validated colours, WCAG contrast, tokens."""

from __future__ import annotations

import pytest

from hub.config import ConfigError, load
from hub.theme import ThemeError, contrast, parse, stylesheet


def test_contrast_follows_the_wcag_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#0b5cad", "#ffffff") > 4.5  # the hub's own primary passes AA


def test_a_theme_sets_the_base_tokens() -> None:
    theme = parse({"HUB_THEME_PRIMARY": "#c8102e", "HUB_THEME_LOGO": "/static/logo.svg",
                   "HUB_THEME_NAME": "Gemeente Best"})
    css = stylesheet(theme)
    assert "--hub-color-primary: #c8102e;" in css
    assert "logo" not in css  # the logo is markup, not a token
    assert parse({}) == {}


@pytest.mark.parametrize(("values", "named"), [
    ({"HUB_THEME_PRIMARY": "red"}, "HUB_THEME_PRIMARY"),
    ({"HUB_THEME_PRIMARY": "#ffcc00"}, "contrast"),  # white on yellow: 1.5:1
    ({"HUB_THEME_INK": "#777777", "HUB_THEME_BACKGROUND": "#888888"}, "HUB_THEME_INK"),
    ({"HUB_THEME_LOGO": "javascript:alert(1)"}, "HUB_THEME_LOGO"),
    ({"HUB_THEME_NAME": "<script>"}, "HUB_THEME_NAME"),
])
def test_bad_theme_settings_are_refused_with_the_setting_named(values: dict[str, str],
                                                                named: str) -> None:
    with pytest.raises(ThemeError, match=named):
        parse(values)


def test_a_bad_theme_stops_start_up_with_one_line(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"^HUB_THEME_PRIMARY: .*contrast"):
        load(str(tmp_path), {"HUB_THEME_PRIMARY": "#ffcc00"})
    assert load(str(tmp_path), {"HUB_THEME_ON_PRIMARY": "#000000",
                                "HUB_THEME_PRIMARY": "#ffcc00"}).theme["PRIMARY"] == "#ffcc00"
