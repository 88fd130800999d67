"""Password reset (issue 14, defect 10): a reset offers to stop API tokens, calendar links and
other logins, and an admin's reset of a compromised account stops them at once."""

from __future__ import annotations

import re
from typing import Any

from tests.hub_fixtures import T0, TEST_PASSWORD

NEW_PASSWORD = "a brand new password"


def _secrets(app: Any, user: Any, token_for: Any) -> tuple[dict[str, str], str]:
    from hub.calendar.tokens import issue

    return token_for(user), issue(user.id, "personal", now=T0)


def _feed_works(client: Any, feed: str) -> bool:
    return client.get(f"/ical/{feed}.ics").status_code == 200


def test_a_reset_by_link_offers_to_stop_tokens_and_feeds(app: Any, client: Any, auth: Any,
                                                         make_user: Any, token_for: Any) -> None:
    admin, user = make_user(role="admin"), make_user()
    api, feed = _secrets(app, user, token_for)
    phone = app.test_client()
    phone.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    auth.login(admin.email)
    page = client.post(f"/org/members/{user.id}/reinvite").text
    link = re.search(r"/invite/[\w-]+", page).group(0)
    auth.logout()
    form = client.get(link).text
    assert 'name="revoke"' in form and "checked" in form  # offered, and on by default
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "revoke": "y"})
    assert client.get("/api/v1/me", headers=api).status_code == 401
    assert not _feed_works(client, feed)
    assert phone.get("/api/v1/me").status_code == 401


def test_without_the_choice_tokens_keep_working(app: Any, client: Any, auth: Any,
                                                make_user: Any, token_for: Any) -> None:
    admin, user = make_user(role="admin"), make_user()
    api, feed = _secrets(app, user, token_for)
    auth.login(admin.email)
    link = re.search(r"/invite/[\w-]+",
                     client.post(f"/org/members/{user.id}/reinvite").text).group(0)
    auth.logout()
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.get("/api/v1/me", headers=api).status_code == 200
    assert _feed_works(client, feed)


def test_an_admin_stops_a_compromised_account_at_once(app: Any, client: Any, auth: Any,
                                                      make_user: Any, token_for: Any) -> None:
    admin, user = make_user(role="admin"), make_user()
    api, feed = _secrets(app, user, token_for)
    auth.login(admin.email)
    response = client.post(f"/org/members/{user.id}/reinvite", data={"compromised": "1"})
    assert response.status_code == 200
    other = app.test_client()
    assert other.get("/api/v1/me", headers=api).status_code == 401
    assert not _feed_works(other, feed)
    refused = other.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert refused.status_code == 401  # the old password is gone too


def test_a_coordinator_cannot_lock_an_account(app: Any, client: Any, auth: Any,
                                              make_user: Any, token_for: Any, make_org: Any) -> None:
    org = make_org()
    coordinator, user = make_user(role="coordinator", org=org), make_user(org=org)
    api = token_for(user)
    auth.login(coordinator.email)
    response = client.post(f"/org/members/{user.id}/reinvite", data={"compromised": "1"})
    assert response.status_code == 403
    assert client.get("/api/v1/me", headers=api).status_code == 200
