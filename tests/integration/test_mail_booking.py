"""Booking mail end to end: booking services -> outbox (same transaction) -> `hub worker`'s
mail job -> a real SMTP server (aiosmtpd). The messages are read as a person's mail client
would: the QR is decoded, the calendar part parsed by icalendar and by ical.js."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from hub import links
from hub.booking import services
from hub.calendar import outbox
from hub.calendar.mail_events import set_mail_choices
from hub.calendar.models import OutboxMail
from hub.errors import BookingConflict
from hub.extensions import db
from tests.support import icaljs
from tests.support.smtp import SmtpServer, calendar_part, decode_qr, parts

AMS = ZoneInfo("Europe/Amsterdam")
# Thursday 1 October 2026, 12:00 in Amsterdam; bookings follow in the weeks after.
NOW = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)


def _at(y: int, m: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=AMS).astimezone(UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp: SmtpServer) -> dict[str, Any]:
    # Rooms open at the weekend too, so a booking can sit on the DST weekend itself.
    return {"HUB_SMTP_URL": smtp.url, "HUB_MAIL_FROM": "hub@hub.test",
            "HUB_BOOKING_POLICIES": {"room": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6],
                                              "public_holidays": False}}}


@pytest.fixture
def partner(make_org: Any, make_user: Any) -> Any:
    org = make_org(slug="jgz", kind="network", name="Jeugdgezondheidszorg")
    return make_user(org=org, name="Jet Jansen", language="en", email="jet@jgz.example")


def _spot_morning(make_resource: Any, partner: Any, day: datetime) -> Any:
    spot = make_resource("landing_spot", name="Plaza 1")
    return services.create_booking(actor_id=partner.id, resource=spot.id, start=day,
                                   end=day + timedelta(hours=4, minutes=30), now=NOW).booking


def _mail_count() -> int:
    return int(db.session.scalar(select(func.count(OutboxMail.id))) or 0)


def test_confirmation_arrives_with_qr_invitation_and_the_feed_uid(
        smtp: SmtpServer, partner: Any, make_resource: Any) -> None:
    booking = _spot_morning(make_resource, partner, _at(2026, 10, 26, 8))  # after the change
    assert outbox.deliver_due(NOW) == {"sent": 1, "retry": 0, "failed": 0}
    (message,) = smtp.wait_for(1)
    assert message["To"] == "Jet Jansen <jet@jgz.example>"
    assert message["Subject"].startswith("Booked: Plaza 1")  # English: the person's language
    found = parts(message)
    assert "Plaza 1" in found["text/plain"][0].get_content()
    html = found["text/html"][0].get_content()
    (qr,) = found["image/png"]
    assert f"cid:{qr['Content-ID'].strip('<>')}" in html  # the QR shows inline
    assert decode_qr(qr.get_content()) == links.checkin_url(booking.checkin_code)
    method, calendar = calendar_part(message)
    assert method == "REQUEST"
    assert found["application/ics"][0].get_content() == calendar  # the .ics attachment
    assert b"\r\nBEGIN:VEVENT\r\n" in calendar  # CRLF line ends survived the mail
    (event,) = Calendar.from_ical(calendar).walk("VEVENT")
    assert str(event["uid"]) == links.booking_uid(booking.id) == f"booking-{booking.id}@hub.test"
    assert "mailto:jet@jgz.example" in str(event["attendee"])
    assert str(event["organizer"]) == "mailto:hub@hub.test"
    (read,) = icaljs.read(calendar)
    assert read["events"][0]["start"] == "2026-10-26T07:00:00.000Z"  # 08:00 winter time


def test_change_and_cancellation_keep_the_uid_with_a_higher_sequence(
        smtp: SmtpServer, partner: Any, make_resource: Any) -> None:
    booking = _spot_morning(make_resource, partner, _at(2026, 10, 26, 8))
    services.move_booking(actor_id=partner.id, booking_id=booking.id,
                          start=_at(2026, 10, 27, 8), end=_at(2026, 10, 27, 12, 30), now=NOW)
    services.cancel_booking(actor_id=partner.id, booking_id=booking.id, now=NOW)
    outbox.deliver_due(NOW)
    first, change, cancel = smtp.wait_for(3)
    calendars = [calendar_part(m) for m in (first, change, cancel)]
    assert [m for m, _body in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    read = icaljs.read(*(body for _m, body in calendars))
    events = [r["events"][0] for r in read]
    assert {e["uid"] for e in events} == {links.booking_uid(booking.id)}
    assert events[0]["sequence"] < events[1]["sequence"] < events[2]["sequence"]
    assert events[1]["start"] == "2026-10-27T07:00:00.000Z"
    assert events[2]["status"] == "CANCELLED" and read[2]["method"] == "CANCEL"
    assert change["Subject"].startswith("Changed:") and cancel["Subject"].startswith("Cancelled:")


@pytest.mark.both_databases
def test_an_smtp_outage_never_loses_blocks_or_doubles_a_mail(
        smtp: SmtpServer, partner: Any, make_resource: Any) -> None:
    smtp.stop()
    booking = _spot_morning(make_resource, partner, _at(2026, 10, 26, 8))
    assert booking.id is not None  # the booking itself did not wait for the mail server
    assert outbox.deliver_due(NOW) == {"sent": 0, "retry": 1, "failed": 0}
    row = db.session.scalar(select(OutboxMail))
    assert (row.status, row.attempts) == ("pending", 1) and row.last_error
    smtp.start()
    assert outbox.deliver_due(NOW + timedelta(seconds=10))["sent"] == 0  # backing off
    assert outbox.deliver_due(NOW + timedelta(minutes=1))["sent"] == 1
    assert outbox.deliver_due(NOW + timedelta(hours=2)) == {"sent": 0, "retry": 0, "failed": 0}
    messages = smtp.wait_for(1)
    assert len(messages) == 1 and len(smtp.inbox.envelopes) == 1
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMail)).status == "sent"


def test_a_refused_booking_writes_no_mail(smtp: SmtpServer, partner: Any, make_user: Any,
                                          make_resource: Any) -> None:
    booking = _spot_morning(make_resource, partner, _at(2026, 10, 26, 8))
    other = make_user(org=partner.organisation)
    with pytest.raises(BookingConflict):
        services.create_booking(actor_id=other.id, resource=booking.resource_id,
                                start=booking.start, end=booking.end, now=NOW)
    assert _mail_count() == 1


def test_a_kind_turned_off_is_not_sent_and_release_notices_arrive(
        smtp: SmtpServer, partner: Any, make_resource: Any) -> None:
    set_mail_choices(partner.id, {"release"})  # no confirmations, but release notices
    booking = _spot_morning(make_resource, partner, _at(2026, 10, 26, 8))
    assert _mail_count() == 0
    services.sweep(_at(2026, 10, 26, 10, 5))  # nobody checked in by 10:00
    outbox.deliver_due(_at(2026, 10, 26, 10, 5))
    (notice,) = smtp.wait_for(1)
    assert notice["Subject"].startswith("Released because nobody checked in")
    method, calendar = calendar_part(notice)
    assert method == "CANCEL"
    assert icaljs.read(calendar)[0]["events"][0]["uid"] == links.booking_uid(booking.id)


def test_a_weekly_series_is_one_invitation_with_its_skipped_date(
        smtp: SmtpServer, make_user: Any, make_resource: Any) -> None:
    staff = make_user(name="Sanne", language="nl")
    room = make_resource("room", name="Spreekkamer 2")
    other = make_user()
    services.create_booking(actor_id=other.id, resource=room.id, start=_at(2026, 10, 20, 9),
                            end=_at(2026, 10, 20, 12), now=NOW)
    result = services.create_booking(
        actor_id=staff.id, resource=room.id, start=_at(2026, 10, 13, 9),
        end=_at(2026, 10, 13, 12), now=NOW, rrule="FREQ=WEEKLY;COUNT=4", skip_conflicts=True)
    assert len(result.occurrences) == 3
    outbox.deliver_due(NOW)
    mine = [m for m in smtp.wait_for(2) if "Sanne" in m["To"]]
    assert len(mine) == 1  # one mail for the whole series
    method, calendar = calendar_part(mine[0])
    (read,) = icaljs.read(calendar)
    assert method == "REQUEST" and read["events"][0]["uid"] == links.series_uid(
        result.booking.series_id)
    starts = [o["start"] for o in read["events"][0]["occurrences"]]
    # 09:00 local each week; 20 October taken (EXDATE); 27 October is after the change.
    assert starts == ["2026-10-13T07:00:00.000Z", "2026-10-27T08:00:00.000Z",
                      "2026-11-03T08:00:00.000Z"]
    (event,) = Calendar.from_ical(calendar).walk("VEVENT")
    assert [d.dt.astimezone(UTC) for d in event["exdate"].dts] == [_at(2026, 10, 20, 9)]
    assert mine[0]["Subject"].startswith("Gereserveerd: Spreekkamer 2")  # Dutch for Sanne
