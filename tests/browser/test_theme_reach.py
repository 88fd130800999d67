"""A municipality's house colour from configuration reaches every kind of page: the pages built
on the NLDS components (their buttons), the kiosk and the wall board, which have no layout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import login, screenshot_dir

pytestmark = pytest.mark.browser
RED = "rgb(200, 16, 46)"


@pytest.fixture
def red_theme(live_server: Any) -> Iterator[None]:
    app = live_server.app
    saved = dict(app.config.get("HUB_THEME") or {})
    app.config["HUB_THEME"] = {"PRIMARY": "#c8102e", "PRIMARY_DARK": "#9b0d23"}
    yield
    app.config["HUB_THEME"] = saved


def _background(page: Any, selector: str) -> str:
    return str(page.locator(selector).first.evaluate("e => getComputedStyle(e).backgroundColor"))


def test_the_house_colour_reaches_components_kiosk_and_wall(page: Any, live_server: Any,
                                                            red_theme: None) -> None:
    page.goto("/kiosk")
    assert _background(page, ".k-top") == RED
    page.screenshot(path=str(screenshot_dir() / "theme-kiosk.png"))
    login(page, live_server.people["staff2"])
    page.goto("/book")
    assert _background(page, "header") == RED
    assert _background(page, "#main .utrecht-button--primary-action") == RED
    page.goto("/board?display=wall")
    primary = page.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--hub-color-primary')")
    assert primary.strip() == "#c8102e"
    assert page.locator("h1.utrecht-heading-1").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)") >= 32  # readable from across the hall
