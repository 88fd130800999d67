"""Dates and times in the page's language: a Dutch page shows and takes dd-mm-jjjj and uu:mm
(Chromium would show its own input in the browser's locale, whatever <html lang> says); the
ISO form an old bookmark or a script sends keeps working; an English page says the same."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.conftest import login, screenshot_dir

pytestmark = pytest.mark.browser
HINTS = {"nl": ("dd-mm-jjjj", "uu:mm", "Zoek"), "en": ("dd-mm-yyyy", "hh:mm", "Search")}


def _language(page: Any, code: str) -> None:
    label = {"nl": "Nederlands", "en": "English"}[code]
    page.locator("footer").get_by_role("button", name=label).click()
    page.wait_for_load_state()


def _next_weekday() -> date:
    day = date.today() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_search_form_takes_dates_and_times_as_the_page_language_writes_them(
        page: Any, live_server: Any, language: str) -> None:
    login(page, live_server.people["staff2"])
    page.goto("/book")
    _language(page, language)
    try:
        assert page.locator("html").get_attribute("lang") == language
        day_box, start_box = page.locator("#day"), page.locator("#start")
        date_hint, time_hint, _search = HINTS[language]
        assert day_box.get_attribute("type") == "text"
        assert date_hint in page.locator("#day-hint").inner_text()
        assert time_hint in page.locator("#start-hint").inner_text()
        assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", day_box.input_value())  # today, day first
        day = _next_weekday()
        day_box.fill(day.strftime("%d-%m-%Y"))
        start_box.fill("10:30")
        page.locator("#main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/book\?"))
        assert page.locator("#day").input_value() == day.strftime("%d-%m-%Y")
        assert page.locator("#start").input_value() == "10:30"
        assert page.locator("#results-title").is_visible()
        page.screenshot(path=str(screenshot_dir() / f"date-inputs-{language}.png"))
        # The ISO form (a bookmark, a script) still works, and shows in the page's form.
        page.goto(f"/book?day={day.isoformat()}&start=10:30&minutes=60&people=2&kind=room")
        assert page.locator("#day").input_value() == day.strftime("%d-%m-%Y")
        # Something that is not a date gets the format to use, at the field.
        page.goto("/book?day=31-02-2026&start=25:00&minutes=60&people=2&kind=room")
        assert page.locator("#day").get_attribute("aria-invalid") == "true"
        assert page.locator("#start").get_attribute("aria-invalid") == "true"
    finally:
        page.goto("/book")
        _language(page, "nl")


def test_the_day_views_take_a_dutch_date(page: Any, live_server: Any) -> None:
    login(page, live_server.people["reception"])
    day = _next_weekday()
    for path in ("/book/desks", "/today"):
        page.goto(path)
        box = page.locator("#main input[name=date]")
        assert box.get_attribute("type") == "text"
        box.fill(day.strftime("%d-%m-%Y"))
        box.press("Enter")
        page.wait_for_url(re.compile(r"date="))
        assert page.locator("#main input[name=date]").input_value() == day.strftime("%d-%m-%Y")
