"""The theme stylesheet and the accessibility statement, for anyone (no login)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"HUB_ENVIRON": {"HUB_ENV": "testing", "HUB_SECRET_KEY": "test-secret-key",
                            "HUB_THEME_PRIMARY": "#c8102e", "HUB_THEME_NAME": "Gemeente Best",
                            "HUB_THEME_LOGO": "/static/favicon.svg"}}


def test_the_configured_theme_is_served_and_cached(client: Any) -> None:
    answer = client.get("/theme.css")
    assert answer.status_code == 200 and answer.mimetype == "text/css"
    assert "--hub-color-primary: #c8102e;" in answer.get_data(as_text=True)
    again = client.get("/theme.css", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_every_page_carries_the_logo_the_tokens_and_the_statement_link(client: Any) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert '<img src="/static/favicon.svg" alt="Gemeente Best">' in page
    assert page.index("vendor/utrecht/component-library.css") < page.index("tokens.css") \
        < page.index("hub.css") < page.index("/theme.css")
    assert 'href="/toegankelijkheid"' in page


def test_the_accessibility_statement_names_the_organisation_and_the_standard(
        client: Any) -> None:
    page = client.get("/toegankelijkheid").get_data(as_text=True)
    assert "Toegankelijkheidsverklaring" in page and "Gemeente Best" in page
    assert "WCAG" in page and "2.2" in page and "Nationale ombudsman" in page
