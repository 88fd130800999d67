"""Sessions and cookies (issue 14, defects 2, 3, 8, 9): logout ends the session on the server,
production cookies are Secure, the language is stored by POST only, a new token is shown once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.hub_fixtures import TEST_PASSWORD


def _cookie_header(client: Any) -> str:
    return "; ".join(f"{c.key}={c.value}" for c in client._cookies.values())


def test_a_cookie_copied_before_logout_stops_working(app: Any, client: Any, auth: Any,
                                                       make_user: Any) -> None:
    user = make_user()
    auth.login(user.email)
    stolen = _cookie_header(client)
    assert client.get("/").status_code == 200
    auth.logout()
    thief = app.test_client()
    assert thief.get("/", headers={"Cookie": stolen}).status_code == 302
    assert thief.get("/api/v1/me", headers={"Cookie": stolen}).status_code == 401


def test_logout_ends_only_that_session(app: Any, auth: Any, client: Any,
                                       make_user: Any) -> None:
    user = make_user()
    phone = app.test_client()
    phone.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    auth.login(user.email)
    auth.logout()
    assert phone.get("/api/v1/me").status_code == 200


def test_a_remember_cookie_copied_before_logout_stops_working(app: Any, client: Any,
                                                                make_user: Any) -> None:
    user = make_user()
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                "remember": "y"})
    remember = next(c for c in client._cookies.values() if c.key == "remember_token")
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("remember_token", remember.value)
    assert thief.get("/").status_code == 302


def _set_cookies(response: Any) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def test_login_cookies_are_secure_httponly_samesite_under_https(client: Any,
                                                                make_user: Any) -> None:
    user = make_user()  # the test app's HUB_BASE_URL is https://hub.test
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                           "remember": "y"})
    cookies = _set_cookies(response)
    for name in ("session", "remember_token"):
        assert "; Secure" in cookies[name]
        assert "; HttpOnly" in cookies[name]
        assert "SameSite=Lax" in cookies[name]


def test_https_pages_send_hsts(client: Any) -> None:
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


class TestPlainHttp:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"HUB_BASE_URL": "http://127.0.0.1:5000"}

    def test_no_secure_flag_and_no_hsts_over_plain_http(self, client: Any,
                                                        make_user: Any) -> None:
        user = make_user()
        response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert "; Secure" not in _set_cookies(response)["session"]
        assert "Strict-Transport-Security" not in response.headers


class TestProxy:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"HUB_PROXY_FIX": 1}

    def test_the_client_address_comes_from_the_proxy_header(self, client: Any,
                                                            make_user: Any) -> None:
        from hub.accounts.models import LoginAttempt
        from hub.extensions import db

        user = make_user()
        client.post("/login", data={"email": user.email, "password": "wrong"},
                    headers={"X-Forwarded-For": "203.0.113.7"})
        assert db.session.query(LoginAttempt.remote_addr).scalar() == "203.0.113.7"


def test_without_proxy_fix_the_forwarded_header_is_ignored(client: Any, make_user: Any) -> None:
    from hub.accounts.models import LoginAttempt
    from hub.extensions import db

    user = make_user()
    client.post("/login", data={"email": user.email, "password": "wrong"},
                headers={"X-Forwarded-For": "203.0.113.7"})
    assert db.session.query(LoginAttempt.remote_addr).scalar() == "127.0.0.1"


def test_a_get_never_changes_the_stored_language(client: Any, auth: Any, make_user: Any) -> None:
    user = make_user(language="nl")
    auth.login(user.email)
    client.get("/lang/en")  # what an <img src> on another site could make a browser do
    assert 'lang="nl"' in client.get("/").text


def test_the_stored_language_changes_by_post(client: Any, auth: Any, make_user: Any) -> None:
    user = make_user(language="nl")
    auth.login(user.email)
    response = client.post("/lang/en?next=/bookings")
    assert response.status_code == 302 and response.headers["Location"] == "/bookings"
    assert 'lang="en"' in client.get("/").text


class TestLanguageCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_post_without_the_csrf_token_is_refused(self, client: Any,
                                                      make_user: Any) -> None:
        user = make_user(language="nl")
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                    "csrf_token": token})
        assert client.post("/lang/en").status_code == 400
        assert 'lang="nl"' in client.get("/").text
        page = client.get("/").text
        form_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post("/lang/en", data={"csrf_token": form_token}).status_code == 302
        assert 'lang="en"' in client.get("/").text


def _session_contents(app: Any, client: Any) -> str:
    cookie = next(c for c in client._cookies.values() if c.key == "session")
    return repr(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def test_a_new_token_is_shown_once_and_never_put_in_the_cookie(app: Any, client: Any,
                                                              auth: Any, make_user: Any) -> None:
    user = make_user()
    auth.login(user.email)
    response = client.post("/account/tokens", data={"name": "script"})
    assert response.status_code == 200
    plain = re.search(r"hub_[A-Za-z0-9_-]{20,}", response.text).group(0)
    assert "no-store" in response.headers["Cache-Control"]
    assert plain not in _session_contents(app, client)
    assert plain not in client.get("/account").text
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).json[
        "email"] == user.email


def test_the_footer_changes_a_logged_in_language_by_post(client: Any, auth: Any,
                                                          make_user: Any) -> None:
    auth.login(make_user().email)
    page = client.get("/bookings").text
    assert 'method="post" action="/lang/en?next=/bookings"' in page
    assert 'href="/lang/en' not in page
