"""A person finds and books a room in the browser: few clicks, keyboard only, on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import screenshot_dir

pytestmark = pytest.mark.browser
MAX_CLICKS = 3


class Clicks:
    """Counts the clicks a person makes (typing and logging in are not counted)."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def click(self, locator: Any) -> None:
        self.count += 1
        locator.click()
        self.page.wait_for_load_state()


def _assert_confirmed(page: Any) -> None:
    assert re.search(r"/bookings/\d+$", page.url)
    assert page.locator("h1").inner_text().startswith("Gereserveerd")
    assert re.fullmatch(r"[A-Z0-9]{6,}", page.locator("#checkin-code").inner_text())
    assert page.locator("figure.qr svg").is_visible()


def test_a_new_user_finds_and_books_a_room_from_the_start_page_in_three_clicks(
        login_as: Any) -> None:
    page = login_as("staff")
    assert page.url.endswith("/")
    clicks = Clicks(page)
    clicks.click(page.get_by_role("button", name="Zoek een spreekkamer"))
    assert "/book?" in page.url
    clicks.click(page.get_by_role("button", name=re.compile("^Reserveer")).first)
    _assert_confirmed(page)
    assert clicks.count <= MAX_CLICKS
    confirmation = "/" + page.url.split("/", 3)[3]
    # Other browser tests share this person: look for this booking in "my bookings".
    page.goto("/bookings")
    assert page.locator(f'ul.bookings a[href="{confirmation}"]').count() == 1


def _tab_to(page: Any, matches: Any, limit: int = 60) -> dict[str, str]:
    """Press Tab until the focused element matches; return what is focused."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const s = getComputedStyle(e);
            return {tag: e.tagName, text: e.innerText || e.value || '',
                    outline: s.outlineStyle, width: s.outlineWidth}; }""")
        if matches(focused):
            return focused
    raise AssertionError("never reached by keyboard")


def test_booking_works_with_the_keyboard_alone_and_focus_is_visible(login_as: Any) -> None:
    page = login_as("keyboard")
    focused = _tab_to(page, lambda f: f["text"].strip() == "Zoek een spreekkamer")
    assert focused["outline"] != "none" and focused["width"] != "0px"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/book\?"))
    focused = _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"].startswith("Reserveer"))
    assert focused["outline"] != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    _assert_confirmed(page)


@pytest.mark.parametrize("page_size", [{"width": 375, "height": 740}])
def test_pages_fit_a_phone_without_sideways_scrolling(login_as: Any, page_size: Any) -> None:
    page = login_as("phone")
    for path in ("/", "/book?kind=room&people=2", "/book/timeline", "/book/desks",
                 "/bookings"):
        page.goto(path)
        width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], f"{path} scrolls sideways: {width}"
    page.goto("/")
    button = page.get_by_role("button", name="Zoek een spreekkamer").bounding_box()
    assert button["height"] >= 44


def test_screenshots_of_find_and_timeline(login_as: Any) -> None:
    """For a person to look at (and a check that the pages render with results)."""
    page = login_as("staff2")
    page.goto("/")
    page.get_by_role("button", name="Zoek een spreekkamer").click()
    page.wait_for_load_state()
    assert page.locator("ul.results li").count() >= 1
    page.screenshot(path=str(screenshot_dir() / "book.png"), full_page=True)
    page.goto("/book/timeline")
    assert page.locator("table.timeline tbody tr").count() >= 3
    page.screenshot(path=str(screenshot_dir() / "timeline.png"), full_page=True)
