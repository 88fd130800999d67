"""Open redirects (issue 14, defect 1): one safe-URL function behind /lang, /login and back=."""

from __future__ import annotations

from typing import Any

import pytest

from hub.errors import InvalidInput
from hub.security import safe_url

# Targets a browser would follow to another site, raw and encoded.
LEAVING = [
    "//evil.example", "//evil.example/path", "///evil.example", "/\\evil.example",
    "\\\\evil.example", "\\/evil.example", "https://evil.example", "http:evil.example",
    "javascript:alert(1)", "evil.example", "/%2F/evil.example", "/%2f%2fevil.example",
    "%2F%2Fevil.example", "/%5Cevil.example", "/%5C%5Cevil.example", "/%252F/evil.example",
    "/%25252F%25252Fevil.example", "/ /evil.example", "/\u3000/evil.example",
    "/%09/evil.example", "/%0A/evil.example", "/%0D%0A/evil.example",
]
# Targets holding a raw control character: never one of our links, and a newline would break
# the Location header.
DAMAGED = ["/\t/evil.example", "/\n/x", "/\r\n/x", "/\x00/x", "/\u200b/x", "/\u2028/x"]
OWN = ["/", "/book", "/book?day=2026-03-30&start=09:00", "/bookings/7", "/today?q=a%20b",
       "/book/desks?floor=2#desk-3"]


@pytest.mark.parametrize("target", LEAVING)
def test_a_target_leaving_the_site_falls_back(app: Any, target: str) -> None:
    with app.test_request_context():
        assert safe_url(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", DAMAGED)
def test_a_target_with_control_characters_is_refused(app: Any, target: str) -> None:
    with app.test_request_context(), pytest.raises(InvalidInput):
        safe_url(target, "/fallback")


@pytest.mark.parametrize("target", OWN)
def test_own_paths_are_kept(app: Any, target: str) -> None:
    with app.test_request_context():
        assert safe_url(target, "/fallback") == target


def test_nothing_gives_the_fallback(app: Any) -> None:
    with app.test_request_context():
        assert safe_url(None, "/fallback") == "/fallback"
        assert safe_url("", "/fallback") == "/fallback"


def _location(response: Any) -> str:
    return str(response.headers.get("Location", ""))


@pytest.mark.parametrize("query", ["/%09/evil.example", "//evil.example", "/%5C/evil.example",
                                   "/%2F/evil.example", "https://evil.example"])
def test_language_switch_never_leaves_the_site(client: Any, query: str) -> None:
    response = client.get(f"/lang/en?next={query}")
    assert response.status_code in (302, 400)
    assert "evil" not in _location(response)


def test_a_newline_in_next_is_a_400_with_the_error_shape(client: Any) -> None:
    response = client.get("/lang/en?next=/%0A/x", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_input"


def test_language_switch_goes_back_to_the_page(client: Any) -> None:
    response = client.get("/lang/en?next=/book%3Fday%3D2026-03-30")
    assert response.status_code == 302
    assert _location(response) == "/book?day=2026-03-30"


@pytest.mark.parametrize("query", ["/%09/evil.example", "//evil.example", "/\\evil.example"])
def test_login_next_never_leaves_the_site(client: Any, make_user: Any, query: str) -> None:
    from urllib.parse import quote

    from tests.hub_fixtures import TEST_PASSWORD

    user = make_user()
    response = client.post(f"/login?next={quote(query, safe='%/')}",
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code in (302, 400)
    assert "evil" not in _location(response)


def test_login_next_to_an_own_page_is_followed(client: Any, make_user: Any) -> None:
    from tests.hub_fixtures import TEST_PASSWORD

    user = make_user()
    response = client.post("/login?next=/bookings", data={"email": user.email,
                                                          "password": TEST_PASSWORD})
    assert response.status_code == 302 and _location(response) == "/bookings"
