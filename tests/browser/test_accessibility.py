"""axe-core on every page, in Dutch and in English, as the role that opens it: no serious or
critical finding (WCAG 2.2 AA rules), and the municipality's theme from configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import login, screenshot_dir

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent.parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
# role -> the pages that role opens (every page of CONTRACT section 3 that exists for it).
PAGES = {
    None: ["/login", "/toegankelijkheid", "/api/docs"],
    "staff": ["/", "/book", "/book/timeline", "/book/desks", "/bookings", "/account",
              "/plaza", "/board"],
    "reception": ["/today"],
    "coordinator": ["/org/members"],
    "facility": ["/facility/", "/facility/resources", "/facility/resources/new",
                 "/facility/sensors", "/facility/insights"],
    "admin": ["/admin/organisations"],
}
SERIOUS = ("serious", "critical")


def _axe(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci --prefix tests/js)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => (await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
    })).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                               nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    return [v for v in result if v["impact"] in SERIOUS]


@pytest.fixture
def axe_page(browser: Any, live_server: Any) -> Any:
    # axe is injected as a script: the hub's CSP (no inline script) is bypassed for it only.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True,
                                  viewport={"width": 1280, "height": 900}, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _choose_language(page: Any, code: str) -> None:
    """The footer's language switch, as a person uses it."""
    label = {"nl": "Nederlands", "en": "English"}[code]
    page.locator("footer").get_by_role("button", name=label).or_(
        page.locator("footer").get_by_role("link", name=label)).first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_serious_or_critical_axe_finding_on_any_page(axe_page: Any, live_server: Any,
                                                       language: str) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    for role, paths in PAGES.items():
        axe_page.context.clear_cookies()
        if role is not None:
            login(axe_page, live_server.people[role])
        axe_page.goto(paths[0])
        _choose_language(axe_page, language)
        try:
            found.update(_scan(axe_page, role, paths, language))
        finally:
            if role is not None:
                # The choice is stored with the person: give the other tests Dutch back.
                axe_page.goto(paths[0])
                _choose_language(axe_page, "nl")
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def _scan(axe_page: Any, role: str | None, paths: list[str],
          language: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for path in paths:
        answer = axe_page.goto(path)
        assert answer is not None and answer.status < 400, (role, path, answer and answer.status)
        # The API reference is written in English, and says so.
        expected = "en" if path == "/api/docs" else language
        assert axe_page.locator("html").get_attribute("lang") == expected, path
        violations = _axe(axe_page)
        if violations:
            found[f"{role} {path}"] = violations
    return found


def test_the_theme_from_configuration_changes_colours_and_logo(page: Any, live_server: Any) -> None:
    app = live_server.app
    saved = dict(app.config.get("HUB_THEME") or {})
    app.config["HUB_THEME"] = {"PRIMARY": "#c8102e", "PRIMARY_DARK": "#9b0d23",
                               "LOGO": "/static/favicon.svg", "NAME": "Gemeente Best"}
    try:
        login(page, live_server.people["staff"])
        page.goto("/")
        header = page.locator("header.top")
        assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(200, 16, 46)"
        logo = page.locator("header .brand img")
        assert logo.get_attribute("src") == "/static/favicon.svg"
        assert logo.get_attribute("alt") == "Gemeente Best"
        button = page.locator("button.primary").first
        if button.count():
            assert button.evaluate("e => getComputedStyle(e).backgroundColor") == \
                "rgb(200, 16, 46)"
        page.screenshot(path=str(screenshot_dir() / "theme-gemeente-best.png"), full_page=True)
    finally:
        app.config["HUB_THEME"] = saved
