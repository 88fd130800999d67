"""Calendar feeds: contract headers, privacy per viewer, revocable tokens, 304 answers."""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest

from hub.calendar import tokens
from hub.timeutil import utcnow

AMS = ZoneInfo("Europe/Amsterdam")


def _next_workday_at(hour: int) -> tuple[datetime, datetime]:
    day = datetime.now(AMS).date() + timedelta(days=1)
    while day.weekday() >= 5 or day in holidays.country_holidays("NL", years=day.year):
        day += timedelta(days=1)
    start = datetime.combine(day, time(hour), AMS)
    return start, start + timedelta(hours=1)


@pytest.fixture
def ggd_booking(make_org: Any, make_user: Any, make_resource: Any) -> Any:
    from hub.booking.services import create_booking

    ggd = make_org(slug="ggd", name="GGD Brabant-Zuidoost")
    doctor = make_user(org=ggd, name="Gerda")
    room = make_resource("room", name="Kamer schoolarts", privacy="private",
                         restricted_to=["ggd"])
    start, end = _next_workday_at(10)
    result = create_booking(actor_id=doctor.id, resource=room.id, start=start, end=end,
                            now=utcnow(), subject="Vaccinatiegesprek klas 3")
    return doctor, room, result.booking


def test_personal_feed_has_the_booking_with_its_subject(client: Any, ggd_booking: Any) -> None:
    doctor, _room, booking = ggd_booking
    response = client.get(f"/ical/{tokens.issue(doctor.id, 'personal', now=utcnow())}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data(as_text=True)
    assert "METHOD:PUBLISH" in body and "X-WR-CALNAME:Mijn reserveringen" in body
    assert f"UID:booking-{booking.id}@hub.test" in body
    assert "Vaccinatiegesprek klas 3" in body
    assert "DTSTART;TZID=Europe/Amsterdam:" in body and "T100000" in body


def test_outsider_sees_only_busy_in_the_resource_feed(client: Any, ggd_booking: Any,
                                                      make_user: Any) -> None:
    _doctor, room, _booking = ggd_booking
    for role in ("staff", "reception", "facility", "admin"):
        outsider = make_user(role=role, language="nl")
        token = tokens.issue(outsider.id, "resource", resource_id=room.id, now=utcnow())
        body = client.get(f"/ical/resource/{room.slug}.ics?token={token}")
        text = body.get_data(as_text=True)
        assert body.status_code == 200
        assert "Bezet" in text, role
        assert "GGD" not in text and "Vaccinatie" not in text and "Gerda" not in text, role


def test_insider_sees_the_subject_in_the_resource_feed(client: Any, ggd_booking: Any,
                                                       make_user: Any) -> None:
    doctor, room, _booking = ggd_booking
    colleague = make_user(org=doctor.organisation)
    token = tokens.issue(colleague.id, "resource", resource_id=room.id, now=utcnow())
    text = client.get(f"/ical/resource/{room.slug}.ics?token={token}").text
    assert "Vaccinatiegesprek klas 3" in text


def test_cancelled_booking_shows_as_cancelled_with_a_higher_sequence(client: Any,
                                                                     ggd_booking: Any) -> None:
    from hub.booking.services.changes import cancel_booking

    doctor, _room, booking = ggd_booking
    cancel_booking(actor_id=doctor.id, booking_id=booking.id, now=utcnow())
    text = client.get(f"/ical/{tokens.issue(doctor.id, 'personal', now=utcnow())}.ics").text
    assert "STATUS:CANCELLED" in text
    assert "SEQUENCE:0" not in text


def test_unknown_or_renewed_token_gets_404(client: Any, ggd_booking: Any) -> None:
    doctor, room, _booking = ggd_booking
    old = tokens.issue(doctor.id, "personal", now=utcnow())
    assert client.get("/ical/not-a-token.ics").status_code == 404
    assert client.get(f"/ical/resource/{room.slug}.ics").status_code == 404
    assert client.get(f"/ical/{doctor.feed_token}.ics").status_code == 404  # no longer a key
    tokens.issue(doctor.id, "personal", now=utcnow())
    assert client.get(f"/ical/{old}.ics").status_code == 404


def test_etag_gives_304(client: Any, ggd_booking: Any) -> None:
    doctor, _room, _booking = ggd_booking
    token = tokens.issue(doctor.id, "personal", now=utcnow())
    first = client.get(f"/ical/{token}.ics")
    assert first.headers.get("ETag") and first.headers.get("Last-Modified")
    again = client.get(f"/ical/{token}.ics",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_plaza_feed_names_the_network_partner(client: Any, make_org: Any, make_user: Any,
                                              make_resource: Any) -> None:
    from hub.booking.services import create_booking

    ggz = make_org(slug="ggz", name="GGZ FACT-team", kind="network")
    visitor = make_user(org=ggz)
    spot = make_resource("landing_spot", name="Aanlandplek 1")
    start, _end = _next_workday_at(8)
    create_booking(actor_id=visitor.id, resource=spot.id, start=start,
                   end=start.replace(hour=12, minute=30), now=utcnow())
    viewer = make_user()
    token = tokens.issue(viewer.id, "plaza", now=utcnow())
    text = client.get(f"/ical/plaza.ics?token={token}").text
    assert "Aanlandplek 1: Gereserveerd door GGZ FACT-team" in text
