"""The browser infrastructure itself: a person logs in and lands on the start page."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_login_lands_on_the_start_page(login_as: Any) -> None:
    page = login_as("staff")
    assert page.url.endswith("/")
    assert page.locator("h1").first.is_visible()
    assert "Staff" in page.inner_text("header")


def test_wrong_password_stays_on_login_with_a_message(page: Any, live_server: Any) -> None:
    page.goto("/login")
    page.fill("#email", live_server.people["staff"])
    page.fill("#password", "not the password")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    assert "/login" in page.url
    assert page.locator(".flash.error").is_visible()
