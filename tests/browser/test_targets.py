"""Target size (WCAG 2.2, 2.5.8): every control at least 24 by 24 px, or spaced so that a 24 px
circle on it touches no other target; on the kiosk, 44 px (it is used standing, by anyone).
Links inside running text are exempt, as the criterion says. Laptop and phone widths."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
PAGES = {
    None: ["/login", "/toegankelijkheid", "/kiosk"],
    "staff": ["/", "/book?kind=room&people=2", "/book/timeline", "/book/desks", "/book/week",
              "/bookings", "/account", "/plaza", "/board"],
    "reception": ["/today"],
    "facility": ["/facility/", "/facility/resources/new", "/facility/sensors",
                 "/facility/insights/"],
    "admin": ["/admin/organisations"],
}
# Returns the targets smaller than `min` that are not spaced either (the 2.5.8 exception).
TOO_SMALL = """(min) => {
  const all = Array.from(document.querySelectorAll(
      'a, button, input:not([type=hidden]), select, textarea, summary'))
    .filter(e => { const s = getComputedStyle(e), r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
        && !(e.tagName === 'A' && s.display === 'inline'); })
    .map(e => ({e, r: e.getBoundingClientRect()}));
  const distance = (x, y, r) => Math.hypot(Math.max(r.left - x, 0, x - r.right),
                                           Math.max(r.top - y, 0, y - r.bottom));
  return all.filter(t => t.r.width < min || t.r.height < min).filter(t => {
    const x = (t.r.left + t.r.right) / 2, y = (t.r.top + t.r.bottom) / 2;
    return min > 24 || all.some(o => o !== t && !o.e.contains(t.e) && !t.e.contains(o.e)
                                     && distance(x, y, o.r) < 12);
  }).map(t => `${t.e.tagName} "${(t.e.innerText || t.e.id).trim().slice(0, 40)}" `
                + `${Math.round(t.r.width)}x${Math.round(t.r.height)}`);
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_every_target_is_large_enough_or_spaced(browser: Any, live_server: Any,
                                                 width: int) -> None:
    found: dict[str, list[str]] = {}
    for role, paths in PAGES.items():
        context = browser.new_context(base_url=live_server.url,
                                      viewport={"width": width, "height": 800},
                                      locale="nl-NL", timezone_id="Europe/Amsterdam")
        try:
            page = context.new_page()
            if role is not None:
                login(page, live_server.people[role])
            for path in paths:
                page.goto(path)
                small = page.evaluate(TOO_SMALL, 44 if path == "/kiosk" else 24)
                if small:
                    found[f"{role} {path}"] = small
        finally:
            context.close()
    assert not found, found
