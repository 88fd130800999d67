import logging
import re
from typing import Any

from tests.hub_fixtures import TEST_PASSWORD


def _invite_link(page: str) -> str:
    match = re.search(r"/invite/([\w-]+)", page)
    assert match, page
    return f"/invite/{match.group(1)}"


def test_coordinator_invites_a_member_who_sets_a_password(client: Any, auth: Any,
                                                          make_user: Any, caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="hub.mail")
    coordinator = make_user(role="coordinator")
    auth.login(coordinator.email)
    response = client.post("/org/members", data={"name": "Nieuwe Collega",
                                                 "email": "nieuw@example.nl", "role": "staff"})
    # No mail server in the tests: the link is shown once to the inviter, never logged.
    assert response.status_code == 200
    link = _invite_link(response.text)
    assert link.rsplit("/", 1)[1] not in caplog.text
    auth.logout()
    form = {"password": "a long new password", "confirm": "a long new password"}
    assert client.post(link, data=form).status_code == 302
    assert "Nieuwe Collega" in client.get("/").text
    auth.logout()
    assert client.get(link).status_code == 404  # the link works once
    assert auth.login("nieuw@example.nl", "a long new password").status_code == 302


def test_coordinator_may_not_hand_out_admin(client: Any, auth: Any, make_user: Any) -> None:
    coordinator = make_user(role="coordinator")
    auth.login(coordinator.email)
    response = client.post("/org/members", data={"name": "X", "email": "x@example.nl",
                                                 "role": "admin"})
    assert response.status_code in (400, 403)
    assert "x@example.nl" not in client.get("/org/members").text


def test_coordinator_manages_only_own_organisation(client: Any, auth: Any, make_user: Any,
                                                   make_org: Any) -> None:
    coordinator = make_user(role="coordinator")
    outsider = make_user(org=make_org())
    auth.login(coordinator.email)
    assert client.get(f"/org/members?org={outsider.organisation_id}").status_code == 403
    response = client.post(f"/org/members/{outsider.id}", data={"role": "staff", "active": ""})
    assert response.status_code == 403
    auth.logout()
    assert auth.login(outsider.email, TEST_PASSWORD).status_code == 302


def test_coordinator_deactivates_a_member(client: Any, auth: Any, make_user: Any) -> None:
    coordinator = make_user(role="coordinator")
    member = make_user(org=coordinator.organisation)
    auth.login(coordinator.email)
    assert client.post(f"/org/members/{member.id}", data={"role": "staff"}).status_code == 302
    auth.logout()
    assert auth.login(member.email).status_code == 401


def test_staff_cannot_open_member_pages(client: Any, auth: Any, make_user: Any) -> None:
    auth.login(make_user(role="staff").email)
    assert client.get("/org/members").status_code == 403
    assert client.get("/admin/organisations").status_code == 403
    assert client.get("/facility/resources").status_code == 403


def test_changes_are_audited(client: Any, auth: Any, make_user: Any) -> None:
    from hub.audit.models import AuditEntry
    from hub.extensions import db

    coordinator = make_user(role="coordinator")
    member = make_user(org=coordinator.organisation)
    auth.login(coordinator.email)
    client.post(f"/org/members/{member.id}", data={"role": "coordinator", "active": "y"})
    entry = db.session.query(AuditEntry).filter_by(action="user.update").one()
    assert entry.actor_id == coordinator.id and entry.channel == "web"
    assert entry.before["role"] == "staff" and entry.after["role"] == "coordinator"


def test_admin_adds_an_organisation(client: Any, auth: Any, make_user: Any) -> None:
    auth.login(make_user(role="admin").email)
    response = client.post("/admin/organisations", data={"slug": "mee", "name": "MEE",
                                                         "kind": "core"})
    assert response.status_code == 302
    assert "MEE" in client.get("/admin/organisations").text
    again = client.post("/admin/organisations", data={"slug": "mee", "name": "MEE 2",
                                                      "kind": "core"})
    assert again.status_code == 400


def test_deactivating_an_organisation_locks_out_its_members(client: Any, auth: Any,
                                                           make_user: Any, token_for: Any) -> None:
    from hub.extensions import db

    member = make_user()
    headers = token_for(member)
    auth.login(member.email)
    assert client.get("/").status_code == 200
    member.organisation.active = False
    db.session.commit()
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get(f"/ical/{member.feed_token}.ics").status_code == 404
    auth.logout()
    assert auth.login(member.email).status_code == 401
