"""A network partner books a landing spot on /plaza in the browser, sees it as theirs and
cancels it; the page fits a phone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import LiveServer, screenshot_dir

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def spots(browser_app: Flask) -> Iterator[None]:
    """Two landing spots on the ground floor of the browser building."""
    from sqlalchemy import select

    from hub.building.models import Floor, Resource
    from hub.building.services import create_resource
    from hub.extensions import db
    from tests.hub_fixtures import T0

    with browser_app.app_context():
        ground = db.session.scalar(select(Floor).filter_by(slug="begane-grond"))
        for n in (1, 2):
            if db.session.scalar(select(Resource).filter_by(slug=f"plaza-{n}")) is None:
                create_resource(slug=f"plaza-{n}", floor_id=ground.id, kind="landing_spot",
                                name=f"Plaza {n}", now=T0)
        db.session.commit()
        db.session.remove()
    yield


def _next_week() -> str:
    from datetime import date

    monday = date.today() + timedelta(days=7 - date.today().weekday())
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def test_a_network_partner_books_a_spot_in_one_click_and_cancels_it(
        spots: None, login_as: Any, live_server: LiveServer) -> None:
    page = login_as("network")
    page.goto(f"/plaza?week={_next_week()}")
    assert page.locator("h1").inner_text() == "Plein: aanlandplekken"
    free = page.locator("td button.plaza-free").first
    label = free.get_attribute("aria-label")
    free.click()  # the one click
    page.wait_for_load_state()
    assert page.locator(".flash.info").is_visible()
    mine = page.locator(".plaza-mine")
    assert mine.count() == 1 and "Uw reservering" in mine.first.inner_text()
    assert page.locator(f'button[aria-label="{label}"]').count() == 0
    page.screenshot(path=str(screenshot_dir() / "plaza-desktop.png"), full_page=True)
    mine.first.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator(".plaza-mine").count() == 0
    assert page.locator(f'button[aria-label="{label}"]').count() == 1


@pytest.mark.parametrize("page_size", [{"width": 375, "height": 740}])
def test_the_plaza_fits_a_phone(spots: None, login_as: Any, page_size: Any) -> None:
    page = login_as("network")
    page.goto(f"/plaza?week={_next_week()}")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    box = page.locator("td button.plaza-free").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    page.screenshot(path=str(screenshot_dir() / "plaza-phone.png"), full_page=True)
