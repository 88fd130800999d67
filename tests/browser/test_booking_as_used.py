"""Issue 10 in the browser: a weekly series past the horizon says which dates were not
booked; cancelling asks first; the desk plan is the way to pick a desk; a network partner
is shown landing spots, not "nothing free"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, screenshot_dir
from tests.browser.test_plaza_browser import spots  # noqa: F401  (landing spots fixture)

pytestmark = pytest.mark.browser


def test_a_long_weekly_series_lists_the_dates_past_the_horizon_then_cancel_asks_first(
        login_as: Any) -> None:
    page = login_as("staff")
    # tomorrow at ten: a booking starting within 15 minutes counts as checked in already and
    # can no longer be cancelled, whatever hour the suite runs
    page.goto(f"/book?kind=room&people=1&day={_tomorrow()}&start=10:00&minutes=60")
    page.locator("details.more > summary").click()
    page.select_option("#repeat", "weekly")
    assert page.locator("#times").is_visible() and not page.locator("#until").is_visible()
    page.fill("#times", "10")  # ten weeks: the horizon is eight
    page.get_by_role("button", name="Zoek een vrije ruimte").click()
    page.wait_for_load_state()
    assert "alle 9 datums" in page.locator("ul.results").first.inner_text() or \
        "alle 8 datums" in page.locator("ul.results").first.inner_text()
    page.get_by_role("button", name=re.compile("^Reserveer")).first.click()
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    report = page.locator("#not-booked")
    assert report.is_visible()
    reasons = report.locator("li").all_inner_texts()
    assert reasons and all("verder vooruit dan reserveren kan" in r for r in reasons)
    page.screenshot(path=str(screenshot_dir() / "series-report.png"), full_page=True)
    # cancel: the first click only asks
    page.locator("#cancel-booking").click()
    page.wait_for_url(re.compile(r"/cancel$"))
    assert page.locator("h1").inner_text().startswith("Deze reservering annuleren")
    page.get_by_role("link", name="Nee, houden").click()
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    assert "Gereserveerd" in page.locator("h1").inner_text()
    page.locator("#cancel-booking").click()
    page.locator("#confirm-cancel").click()
    page.wait_for_load_state()
    assert "geannuleerd" in page.locator(".flashes").inner_text()


def _tomorrow() -> str:
    from datetime import date, timedelta

    return (date.today() + timedelta(days=1)).isoformat()


def _next_workday() -> str:
    from datetime import date, timedelta

    day = date.today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def test_the_floor_plan_is_the_way_to_pick_a_desk(login_as: Any,
                                                  live_server: LiveServer) -> None:
    from hub.booking.demo_plan import plan_step
    from hub.extensions import db
    from hub.timeutil import utcnow

    with live_server.app.app_context():
        plan_step(utcnow())
        db.session.commit()
    page = login_as("staff2")
    page.goto(f"/book/desks?date={_next_workday()}")  # desks go by day parts: not tonight
    pins = page.locator("figure.plan a.pin")
    assert pins.count() == 4 and page.locator("figure.plan img").is_visible()
    assert not page.locator("ul.desks").is_visible()  # the list waits behind "als lijst"
    free = page.locator("figure.plan a.pin.free").first
    free.click()
    choice = page.locator("#plan-choice")
    assert choice.is_visible()
    page.screenshot(path=str(screenshot_dir() / "desk-plan.png"), full_page=True)
    choice.get_by_role("button", name=re.compile("^Reserveer")).first.click()
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    assert page.locator("h1").inner_text().startswith("Gereserveerd")


@pytest.mark.usefixtures("spots")
def test_a_network_partner_is_offered_landing_spots(login_as: Any) -> None:
    page = login_as("network")
    page.goto("/")
    assert page.get_by_role("button", name="Zoek een aanlandplek").is_visible()
    page.goto("/book?kind=room&people=2")
    notice = page.locator("#not-for-you")
    assert notice.is_visible() and "aanlandplekken" in notice.inner_text()
    assert page.locator("#results").count() == 0  # no "Niets vrij"
    page.screenshot(path=str(screenshot_dir() / "network-room.png"), full_page=True)


def test_account_links_and_tokens_have_a_copy_button(login_as: Any,
                                                     live_server: LiveServer) -> None:
    page = login_as("staff2")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=live_server.url)
    page.goto("/account")
    page.fill("#name", "agenda-script")
    page.get_by_role("button", name="Maak een token").click()
    page.wait_for_load_state()
    token = page.locator("#newtoken").input_value()
    button = page.get_by_role("button", name="Kopieer het token")
    button.click()
    assert page.evaluate("() => navigator.clipboard.readText()") == token
    page.wait_for_function("""() => document.querySelector('button[data-copy=newtoken]')
        .textContent === 'Gekopieerd'""")
