"""Booking pages around "now": check-in inside the window, series, desks on a floor plan.

The rooms here are open around the clock, so these tests can book close to the real time
whenever the suite runs."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hub.booking import services
from hub.booking.web.times import next_quarter
from hub.extensions import db
from hub.timeutil import utcnow

ALWAYS_OPEN = {"open_weekdays": [0, 1, 2, 3, 4, 5, 6], "opens": "00:00", "closes": "23:59",
               "public_holidays": False}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
       b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def app_config(tmp_path: Any) -> dict[str, Any]:
    return {"HUB_BOOKING_POLICIES": {"room": ALWAYS_OPEN},
            "HUB_UPLOAD_FOLDER": str(tmp_path / "uploads")}


@pytest.fixture
def staff(make_user: Any, make_org: Any) -> Any:
    return make_user(org=make_org(slug="wmo", name="Gemeente Wmo"), name="Wim Wmo")


def _soon(minutes: int = 15) -> datetime:
    """A quarter-hour start a little ahead of now (inside the check-in window)."""
    return next_quarter(utcnow() + timedelta(minutes=1)) + timedelta(minutes=minutes - 15)


def test_check_in_button_appears_inside_the_window_and_checks_in(
        client: Any, auth: Any, make_resource: Any, staff: Any) -> None:
    room = make_resource("room", name="Spreekkamer 1", capacity=4)
    start = _soon()
    # Booked an hour ago (else a booking this close to its start counts as checked in).
    # A quarter of an hour: the booking must end by 23:59, whenever the suite runs.
    made = services.create_booking(actor_id=staff.id, resource=room.id, start=start,
                                   end=start + timedelta(minutes=15),
                                   now=utcnow() - timedelta(hours=1)).booking
    auth.login(staff.email)
    page = client.get("/").get_data(as_text=True)
    assert f"/bookings/{made.id}/check-in" in page
    client.post(f"/bookings/{made.id}/check-in")
    page = client.get("/bookings").get_data(as_text=True)
    assert "Ingecheckt" in page and f"/bookings/{made.id}/check-out" in page
    client.post(f"/bookings/{made.id}/check-out")
    assert "Afgerond" in client.get("/bookings").get_data(as_text=True)


def test_no_check_in_button_days_ahead(client: Any, auth: Any, make_resource: Any,
                                       staff: Any) -> None:
    room = make_resource("room", name="Spreekkamer 1")
    start = _soon() + timedelta(days=2)
    made = services.create_booking(actor_id=staff.id, resource=room.id, start=start,
                                   end=start + timedelta(hours=1), now=utcnow()).booking
    auth.login(staff.email)
    page = client.get("/").get_data(as_text=True)
    assert f"/bookings/{made.id}/check-in" not in page
    assert f"/bookings/{made.id}/move" in page
    answer = client.post(f"/bookings/{made.id}/check-in", follow_redirects=True)
    assert 'class="flash error"' in answer.get_data(as_text=True)  # too early: told, not 500


def test_cancel_this_and_following_occurrences_of_a_series(
        client: Any, auth: Any, make_resource: Any, staff: Any) -> None:
    room = make_resource("room", name="Spreekkamer 1")
    start = _soon() + timedelta(days=1)
    result = services.create_booking(actor_id=staff.id, resource=room.id, start=start,
                                      end=start + timedelta(hours=1), now=utcnow(),
                                      rrule="FREQ=WEEKLY;COUNT=4")
    second = result.occurrences[1]
    auth.login(staff.email)
    page = client.get("/bookings").get_data(as_text=True)
    assert page.count("Onderdeel van een reeks") == 4
    client.post(f"/bookings/{second.id}/cancel", data={"scope": "following"})
    page = client.get("/bookings").get_data(as_text=True)
    assert page.count("Onderdeel van een reeks") == 1
    assert page.count("Geannuleerd") == 3


def test_facility_uploads_a_floor_plan_and_the_desk_picker_shows_it(
        client: Any, auth: Any, make_user: Any, make_resource: Any, staff: Any) -> None:
    desk = make_resource("desk", name="Flexplek A01")
    facility = make_user(role="facility")
    auth.login(facility.email)
    refused = client.post(f"/facility/floors/{desk.floor_id}/plan",
                          data={"image": (io.BytesIO(b"<svg onload=alert(1)>"), "plan.svg")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400
    saved = client.post(f"/facility/floors/{desk.floor_id}/plan",
                        data={"image": (io.BytesIO(PNG), "plan.png")},
                        content_type="multipart/form-data")
    assert saved.status_code == 302
    client.post(f"/facility/floors/{desk.floor_id}/desks",
                data={f"x-{desk.id}": "25", f"y-{desk.id}": "40"})
    auth.logout()
    auth.login(staff.email)
    page = client.get(f"/book/desks?floor={desk.floor_id}").get_data(as_text=True)
    assert f'src="/book/floors/{desk.floor_id}/plan"' in page
    assert "left: 25.0%; top: 40.0%" in page
    image = client.get(f"/book/floors/{desk.floor_id}/plan")
    assert image.status_code == 200 and image.data == PNG
    image.close()
    db.session.remove()


def test_staff_may_not_upload_a_floor_plan(client: Any, auth: Any, make_resource: Any,
                                           staff: Any) -> None:
    desk = make_resource("desk")
    auth.login(staff.email)
    assert client.get(f"/facility/floors/{desk.floor_id}/plan").status_code == 403


def test_weekly_booking_lists_taken_dates_and_books_the_others(
        client: Any, auth: Any, make_resource: Any, make_user: Any, staff: Any) -> None:
    room = make_resource("room", name="Spreekkamer 1")
    start = _soon() + timedelta(days=1)
    other = make_user()
    services.create_booking(actor_id=other.id, resource=room.id, start=start + timedelta(
        weeks=2), end=start + timedelta(weeks=2, hours=1), now=utcnow())
    auth.login(staff.email)
    form = {"resource": room.id, "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(), "repeat": 4,
            "subject": "Spreekuur"}
    refused = client.post("/book", data=form)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    taken = page.split('id="taken-dates">', 1)[1].split("</ul>", 1)[0]
    assert taken.count("<li") == 1 and 'name="skip_conflicts"' in page
    done = client.post("/book", data={**form, "skip_conflicts": "1"}, follow_redirects=True)
    assert "3 reserveringen van de reeks gemaakt" in done.get_data(as_text=True)
    mine = client.get("/bookings").get_data(as_text=True)
    assert mine.count("Onderdeel van een reeks") == 3


def test_move_this_and_following_occurrences_to_another_hour(
        client: Any, auth: Any, make_resource: Any, staff: Any) -> None:
    room = make_resource("room", name="Spreekkamer 1")
    start = _soon() + timedelta(days=1)
    result = services.create_booking(actor_id=staff.id, resource=room.id, start=start,
                                      end=start + timedelta(hours=1), now=utcnow(),
                                      rrule="FREQ=WEEKLY;COUNT=3")
    first, later = result.occurrences[0], result.occurrences[1:]
    auth.login(staff.email)
    form = client.get(f"/bookings/{later[0].id}/move").get_data(as_text=True)
    assert 'name="scope" value="following"' in form
    local = later[0].start.astimezone(ZoneInfo("Europe/Amsterdam"))
    new_start = (local - timedelta(hours=1)) if local.hour >= 1 else local + timedelta(hours=1)
    moved = client.post(f"/bookings/{later[0].id}/move", data={
        "day": new_start.date().isoformat(), "start": f"{new_start:%H:%M}", "minutes": 60,
        "scope": "following"})
    assert moved.status_code == 302
    db.session.expire_all()
    hours = [b.start.astimezone(ZoneInfo("Europe/Amsterdam")).hour for b in later]
    assert hours == [new_start.hour, new_start.hour]
    assert db.session.get(type(first), first.id).start == first.start
