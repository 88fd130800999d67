"""The header: one row on a laptop for every role, menus that work by keyboard, and a menu
button on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login, screenshot_dir

pytestmark = pytest.mark.browser
ONE_ROW = 64  # px: the 44 px targets plus the header's padding; a second row makes it ~100


def _context(browser: Any, live_server: Any, width: int, height: int) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport={"width": width,
                                  "height": height}, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    context.set_default_timeout(10_000)
    return context


@pytest.mark.parametrize("role", ["staff", "reception", "coordinator", "facility", "admin"])
@pytest.mark.parametrize("width", [1280, 1366])
def test_the_header_is_one_row_on_a_laptop(browser: Any, live_server: Any, role: str,
                                           width: int) -> None:
    context = _context(browser, live_server, width, 768)
    try:
        page = context.new_page()
        login(page, live_server.people[role])
        header = page.locator("header")
        height = header.evaluate("e => e.getBoundingClientRect().height")
        tops = page.locator("header .hub-nav__list > li, header .hub-user").evaluate_all(
            "items => items.map(i => Math.round(i.getBoundingClientRect().top))")
        page.screenshot(path=str(screenshot_dir() / f"header-{role}-{width}.png"))
        assert height <= ONE_ROW, (role, width, height)
        assert len(set(tops)) == 1, (role, width, tops)
        assert page.locator(".hub-menu-button").is_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("role", ["facility", "admin"])
def test_the_manage_menu_works_by_keyboard(browser: Any, live_server: Any, role: str) -> None:
    context = _context(browser, live_server, 1366, 768)
    try:
        page = context.new_page()
        login(page, live_server.people[role])
        summary = page.locator("header details.hub-disclosure > summary", has_text="Beheer")
        facility_link = page.locator("header").get_by_role("link", name="Facilitair")
        assert facility_link.is_hidden()
        summary.focus()
        page.keyboard.press("Enter")
        assert facility_link.is_visible()
        page.keyboard.press("Escape")  # closes, and focus goes back to the menu's button
        assert facility_link.is_hidden()
        assert summary.evaluate("e => e === document.activeElement")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")  # the first link of the menu
        page.keyboard.press("Tab")
        second = {"admin": ("Leden", "/org/members"), "facility": ("Facilitair", "/facility/")}
        label, path = second[role]
        assert page.evaluate("() => document.activeElement.textContent.trim()") == label
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: url.endswith(path))
    finally:
        context.close()


def test_the_person_menu_holds_account_and_log_out(browser: Any, live_server: Any) -> None:
    context = _context(browser, live_server, 1366, 768)
    try:
        page = context.new_page()
        login(page, live_server.people["facility"])
        person = page.locator("header details.hub-user > summary")
        person.focus()
        page.keyboard.press("Enter")
        assert "Welzijn De Kempen" in page.locator("header .hub-user").inner_text()
        page.locator("header").get_by_role("button", name="Uitloggen").click()
        page.wait_for_url(lambda url: "/login" in url)
    finally:
        context.close()


def test_on_a_phone_the_menu_folds_behind_a_button(browser: Any, live_server: Any) -> None:
    context = _context(browser, live_server, 390, 844)
    try:
        page = context.new_page()
        login(page, live_server.people["admin"])
        button = page.get_by_role("button", name="Menu")
        book = page.locator("header").get_by_role("link", name="Reserveer", exact=True)
        assert button.is_visible() and book.is_hidden()
        assert page.locator("header").evaluate("e => e.getBoundingClientRect().height") <= ONE_ROW
        button.focus()
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true" and book.is_visible()
        page.screenshot(path=str(screenshot_dir() / "header-phone-open.png"), full_page=True)
        book.focus()
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false" and book.is_hidden()
        assert button.evaluate("e => e === document.activeElement")
    finally:
        context.close()
