from typing import Any

import pytest
from sqlalchemy import select

from tests.hub_fixtures import TEST_PASSWORD


def test_login_page_is_dutch_by_default(client: Any) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert 'lang="nl"' in page.text
    assert "Inloggen" in page.text


def test_language_switch_on_the_login_page(client: Any) -> None:
    client.get("/lang/en")
    page = client.get("/login")
    assert 'lang="en"' in page.text and "Log in" in page.text


def test_login_and_logout(client: Any, auth: Any, make_user: Any) -> None:
    user = make_user(name="Wim Wmo")
    assert client.get("/").status_code == 302
    response = auth.login(user.email)
    assert response.status_code == 302
    assert "Wim Wmo" in client.get("/").text
    auth.logout()
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused(client: Any, auth: Any, make_user: Any) -> None:
    user = make_user()
    response = auth.login(user.email, "wrong password")
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def test_repeated_failures_are_throttled(client: Any, auth: Any, make_user: Any) -> None:
    user = make_user()
    for _ in range(5):
        assert auth.login(user.email, "wrong").status_code == 401
    # Even the right password waits now: the attacker learns nothing.
    assert auth.login(user.email, TEST_PASSWORD).status_code == 429
    assert client.get("/").status_code == 302


def test_deactivated_user_is_logged_out_everywhere(client: Any, auth: Any, make_user: Any,
                                                    app: Any) -> None:
    from hub.accounts.models import User
    from hub.extensions import db

    user = make_user()
    auth.login(user.email)
    assert client.get("/").status_code == 200
    u = db.session.scalar(select(User).filter_by(id=user.id))
    u.active = False
    u.session_version += 1
    db.session.commit()
    assert client.get("/").status_code == 302


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {}


class TestCsrf:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_form_without_csrf_token_is_refused(self, client: Any, make_user: Any) -> None:
        user = make_user()
        response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 400
        assert client.get("/").status_code == 302

    def test_with_the_token_from_the_page_it_works(self, client: Any, make_user: Any) -> None:
        import re

        user = make_user()
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302

    def test_session_api_write_needs_the_csrf_header(self, client: Any, make_user: Any,
                                                    auth: Any) -> None:
        import re

        user = make_user()
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                    "csrf_token": token})
        assert client.get("/api/v1/me").status_code == 200
        refused = client.post("/api/v1/me")
        assert refused.status_code == 400
        assert refused.json["error"]["code"] == "invalid_input"
