"""Privacy as an auditor scans it (issue 14, defects 14 and 15): a canary subject in a private
and in a normal room, searched for in every channel by every outsider; what each role sees of
another organisation's booking; login records purged; invitation links never in the log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.hub_fixtures import TEST_PASSWORD

CANARY_PRIVATE, CANARY_NORMAL = "KANARIE-PRIVE-7731", "KANARIE-NORMAAL-4410"
BOOKER = "Gerrit Geheim"
OUTSIDERS = ("staff", "coordinator", "reception", "facility", "admin")
PAGES = ["/", "/book", "/bookings", "/today", "/book/timeline", "/book/desks", "/plaza",
         "/board"]


def _next_working_day() -> datetime:
    from hub.timeutil import utcnow

    day = (utcnow() + timedelta(days=7)).date()
    while day.weekday() not in (1, 2, 3) or (day.month, day.day) in ((12, 24), (12, 25),
                                                                      (12, 26), (12, 31)):
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam")).astimezone(UTC)


@pytest.fixture
def building(app: Any, make_org: Any, make_user: Any, make_resource: Any) -> dict[str, Any]:
    from hub.booking.services import create_booking
    from hub.timeutil import utcnow

    ggd, other = make_org(slug="ggd"), make_org(slug="wmo")
    booker = make_user(org=ggd, name=BOOKER, email="gerrit@ggd.example")
    private = make_resource("room", slug="ggd-kamer", privacy="private", restricted_to=["ggd"])
    normal = make_resource("room", slug="spreekkamer-1")
    start = _next_working_day()
    ids = {}
    for room, subject in ((private, CANARY_PRIVATE), (normal, CANARY_NORMAL)):
        ids[room.slug] = create_booking(actor_id=booker.id, resource=room.slug, start=start,
                                        end=start + timedelta(hours=1), now=utcnow(),
                                        subject=subject).booking.id
    people = {role: make_user(role=role, org=other) for role in OUTSIDERS}
    return {"people": people, "ids": ids, "day": start.date().isoformat()}


def _channels(building: dict[str, Any]) -> list[str]:
    day, ids = building["day"], building["ids"]
    return [*PAGES, f"/book/timeline?day={day}", f"/today?date={day}",
            f"/bookings/{ids['ggd-kamer']}", f"/bookings/{ids['spreekkamer-1']}",
            "/api/v1/me", "/api/v1/resources", f"/api/v1/availability?date={day}",
            "/api/v1/board", f"/api/v1/bookings?from={day}&to={day}",
            f"/api/v1/bookings/{ids['ggd-kamer']}", f"/api/v1/bookings/{ids['spreekkamer-1']}"]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_no_outsider_finds_a_subject_or_the_private_booker(app: Any, building: dict[str, Any],
                                                           role: str) -> None:
    client = app.test_client()
    client.post("/login", data={"email": building["people"][role].email,
                                "password": TEST_PASSWORD})
    for url in _channels(building):
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.get_data(as_text=True)
        assert CANARY_PRIVATE not in body and CANARY_NORMAL not in body, (role, url)
        assert "gerrit@ggd.example" not in body, (role, url)
        if role != "reception":
            assert BOOKER not in body, (role, url)


def test_the_private_booking_shows_only_busy_even_to_reception(client: Any, auth: Any,
                                                               building: dict[str, Any]) -> None:
    auth.login(building["people"]["reception"].email)
    view = client.get(f"/api/v1/bookings/{building['ids']['ggd-kamer']}").json
    assert view["visibility"] == "busy" and "organisation" not in view and "user" not in view


@pytest.mark.parametrize(("role", "name", "organisation"), [
    ("reception", True, True), ("facility", False, True), ("admin", False, True),
    ("staff", False, True), ("coordinator", False, True)])
def test_each_role_sees_what_its_work_needs(client: Any, auth: Any, building: dict[str, Any],
                                            role: str, name: bool, organisation: bool) -> None:
    auth.login(building["people"][role].email)
    view = client.get(f"/api/v1/bookings/{building['ids']['spreekkamer-1']}").json
    assert ("user" in view and view["user"]["name"] == BOOKER) is name
    assert "email" not in view.get("user", {})
    assert ("organisation" in view) is organisation
    assert "subject" not in view


def test_the_booker_organisation_still_sees_everything(client: Any, auth: Any,
                                                       building: dict[str, Any]) -> None:
    auth.login("gerrit@ggd.example")
    view = client.get(f"/api/v1/bookings/{building['ids']['ggd-kamer']}").json
    assert view["subject"] == CANARY_PRIVATE and view["user"]["email"] == "gerrit@ggd.example"


def test_logins_and_logouts_are_audited(client: Any, auth: Any, make_user: Any) -> None:
    from hub.audit.models import AuditEntry
    from hub.extensions import db

    user = make_user()
    auth.login(user.email)
    auth.logout()
    actions = [a for (a,) in db.session.query(AuditEntry.action).filter(
        AuditEntry.entity_type == "user", AuditEntry.entity_id == str(user.id))]
    assert "user.login" in actions and "user.logout" in actions


def test_hub_purge_erases_old_login_records(app: Any, runner: Any, make_user: Any) -> None:
    from hub.accounts.models import LoginAttempt, LoginSession
    from hub.extensions import db
    from hub.timeutil import utcnow

    user = make_user()
    now = utcnow()
    db.session.add_all([
        LoginAttempt(email="old@example.nl", remote_addr="10.0.0.1",
                     at=now - timedelta(days=31), success=False),
        LoginAttempt(email="new@example.nl", remote_addr="10.0.0.1",
                     at=now - timedelta(days=1), success=False),
        LoginSession(user_id=user.id, token_hash="a" * 64, created_at=now, ended_at=now),
        LoginSession(user_id=user.id, token_hash="b" * 64, created_at=now)])
    db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert [e for (e,) in db.session.query(LoginAttempt.email)] == ["new@example.nl"]
    assert [h for (h,) in db.session.query(LoginSession.token_hash)] == ["b" * 64]


def test_an_invitation_link_is_shown_to_the_inviter_and_never_logged(
        client: Any, auth: Any, make_user: Any, caplog: pytest.LogCaptureFixture) -> None:
    import re

    admin = make_user(role="admin")
    auth.login(admin.email)
    with caplog.at_level(logging.DEBUG):
        page = client.post(f"/org/members?org={admin.organisation_id}",
                           data={"email": "nieuw@example.nl", "name": "Nieuwe Collega",
                                 "role": "staff"})
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    link = re.search(r'value="(https://hub\.test/invite/[^"]+)"', page.text).group(1)
    token = link.rsplit("/", 1)[1]
    assert token not in caplog.text
    assert client.get("/org/members").text.count(token) == 0  # shown once


def test_desk_placements_are_audited(client: Any, auth: Any, make_user: Any,
                                     make_resource: Any) -> None:
    from hub.audit.models import AuditEntry
    from hub.extensions import db

    desk = make_resource("desk", slug="flex-9")
    auth.login(make_user(role="facility").email)
    response = client.post(f"/facility/floors/{desk.floor_id}/desks",
                           data={f"x-{desk.id}": "12.5", f"y-{desk.id}": "40"})
    assert response.status_code == 302
    entry = db.session.query(AuditEntry).filter_by(action="desk.place").one()
    assert entry.entity_id == str(desk.id)
