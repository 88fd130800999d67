"""Focus goes to the result of every action: the message after a form post, the results after
a search, the list after a filter (WCAG 2.4.3; a screen reader reads what changed)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
FOCUSED = "() => { const e = document.activeElement; return {id: e.id, cls: e.className, " \
          "text: e.innerText.trim()}; }"


def test_the_message_after_a_form_post_takes_focus(page: Any, live_server: Any) -> None:
    login(page, live_server.people["staff2"])
    page.goto("/account")
    page.locator("#main form button[type=submit]").first.click()  # save the language
    page.wait_for_load_state()
    focused = page.evaluate(FOCUSED)
    assert "hub-flash" in focused["cls"] and focused["text"] == "Taal opgeslagen."
    assert page.locator(".hub-flash").first.get_attribute("role") == "status"


def test_a_refusal_takes_focus_as_an_alert(page: Any, live_server: Any) -> None:
    page.goto("/login")
    page.fill("#email", live_server.people["staff2"])
    page.fill("#password", "not the password")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    focused = page.evaluate(FOCUSED)
    assert "hub-flash" in focused["cls"] and "wachtwoord" in focused["text"]
    assert page.locator(".hub-flash").first.get_attribute("role") == "alert"


def test_the_results_of_a_search_and_a_filter_take_focus(page: Any, live_server: Any) -> None:
    login(page, live_server.people["reception"])
    page.get_by_role("button", name="Zoek een spreekkamer").click()
    page.wait_for_url(re.compile(r"/book\?"))
    assert page.evaluate(FOCUSED)["id"] in ("results-title", "refusal")
    page.goto("/today")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/today\?"))
    assert page.evaluate(FOCUSED)["id"] == "all-title"
