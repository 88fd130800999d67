"""The outbox as facility and the worker see it: log without SMTP, failures kept visible,
a retry from the page, mail choices on /account, and a moved series occurrence."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hub import links
from hub.booking import services
from hub.calendar import outbox
from hub.calendar.mail_drafts import message_text
from hub.calendar.models import OutboxMail
from hub.extensions import db
from hub.registries import registry
from tests.support import icaljs
from tests.support.smtp import calendar_part

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)


def _at(y: int, m: int, d: int, h: int) -> datetime:
    return datetime(y, m, d, h, tzinfo=AMS).astimezone(UTC)


@pytest.fixture
def booked(make_user: Any, make_resource: Any) -> Any:
    person = make_user(name="Wim", email="wim@example.nl")
    room = make_resource("room", name="Spreekkamer 1")
    return services.create_booking(actor_id=person.id, resource=room.id,
                                   start=_at(2026, 10, 6, 10), end=_at(2026, 10, 6, 11),
                                   now=NOW).booking


def test_without_smtp_the_mail_goes_to_the_log_and_counts_as_sent(
        app: Any, booked: Any, caplog: pytest.LogCaptureFixture) -> None:
    assert "calendar.mail" in registry(app).names("periodic_jobs")
    with caplog.at_level(logging.INFO, logger="hub.mail"):
        assert outbox.deliver_due(NOW)["sent"] == 1
    assert "wim@example.nl" in caplog.text and "Spreekkamer 1" in caplog.text


def test_a_refused_address_fails_at_once_and_facility_can_send_it_again(
        app: Any, client: Any, auth: Any, make_user: Any, booked: Any) -> None:
    from tests.support.smtp import SmtpServer

    class Refusing:
        async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                              options: Any) -> str:
            return "550 no such user here"

    server = SmtpServer()
    server.inbox = Refusing()  # type: ignore[assignment]
    server.start()
    app.config["HUB_SMTP_URL"] = server.url
    try:
        assert outbox.deliver_due(NOW) == {"sent": 0, "retry": 0, "failed": 1}
    finally:
        server.stop()
    row = db.session.scalar(select(OutboxMail))
    assert row.status == "failed" and "550" in (row.last_error or "")
    facility = make_user(role="facility")
    auth.login(facility.email)
    page = client.get("/facility/mail?status=failed").get_data(as_text=True)
    assert "wim@example.nl" in page and "550" in page
    client.post(f"/facility/mail/{row.id}/retry")
    db.session.expire_all()
    assert db.session.get(OutboxMail, row.id).status == "pending"


def test_only_facility_sees_the_outbox(client: Any, auth: Any, make_user: Any) -> None:
    auth.login(make_user(role="staff").email)
    assert client.get("/facility/mail").status_code == 403


def test_mail_choices_on_account_turn_a_kind_off(client: Any, auth: Any, make_user: Any,
                                                 make_resource: Any) -> None:
    person = make_user()
    auth.login(person.email)
    page = client.get("/account").get_data(as_text=True)
    assert 'id="mail-confirmation" name="confirmation" value="1" checked' in page
    client.post("/account/mail", data={"change": "1", "cancellation": "1", "release": "1"})
    assert 'id="mail-confirmation" name="confirmation" value="1" >' in client.get(
        "/account").get_data(as_text=True)
    room = make_resource("room")
    services.create_booking(actor_id=person.id, resource=room.id, start=_at(2026, 10, 6, 10),
                            end=_at(2026, 10, 6, 11), now=NOW)
    assert db.session.scalar(select(OutboxMail)) is None


def test_moving_one_occurrence_resends_the_series_with_an_override(
        make_user: Any, make_resource: Any) -> None:
    person = make_user(language="en")
    room = make_resource("room")
    series = services.create_booking(actor_id=person.id, resource=room.id,
                                     start=_at(2026, 10, 13, 9), end=_at(2026, 10, 13, 10),
                                     now=NOW, rrule="FREQ=WEEKLY;COUNT=3").occurrences
    services.move_booking(actor_id=person.id, booking_id=series[2].id,
                          start=_at(2026, 10, 27, 14), end=_at(2026, 10, 27, 15), now=NOW)
    services.cancel_booking(actor_id=person.id, booking_id=series[1].id, now=NOW)
    rows = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [r.kind for r in rows] == ["confirmation", "change", "cancellation"]
    calendars = [calendar_part(message_from_string(message_text(r), _class=EmailMessage,
                                                   policy=policy.default))[1] for r in rows]
    read = icaljs.read(*calendars)
    assert {e["uid"] for r in read for e in r["events"]} == {links.series_uid(
        series[0].series_id)}
    sequences = [r["events"][0]["sequence"] for r in read]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
    last = read[2]["events"][0]["occurrences"]
    assert [o["start"] for o in last] == ["2026-10-13T07:00:00.000Z",
                                          "2026-10-27T13:00:00.000Z"]
    assert read[2]["method"] == "REQUEST"  # one occurrence is left: still an invitation
    services.cancel_booking(actor_id=person.id, booking_id=series[0].id, now=NOW,
                            scope="following")
    final = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    method, body = calendar_part(message_from_string(message_text(final), _class=EmailMessage,
                                                     policy=policy.default))
    assert method == "CANCEL" and icaljs.read(body)[0]["events"][0]["status"] == "CANCELLED"


def test_the_booking_writes_a_draft_and_every_try_renders_the_same_message_id(
        booked: Any) -> None:
    row = db.session.scalar(select(OutboxMail))
    # The booking's transaction wrote no message (no QR, no templates), only what it knew.
    assert row.message is None and row.draft["booking_id"] == booked.id
    assert row.recipient == "Wim <wim@example.nl>" and "Spreekkamer 1" in row.subject
    first, again = (message_from_string(message_text(row), _class=EmailMessage,
                                        policy=policy.default) for _ in range(2))
    assert first["Message-ID"] == again["Message-ID"] == row.draft["message_id"]
    assert first["Subject"] == row.subject and first["Date"] == again["Date"]
