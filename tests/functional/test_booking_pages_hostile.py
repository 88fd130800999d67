"""Hostile or broken input on the booking pages gets a clear 4xx (or the page again), never 500."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from hub.booking.models import Booking
from hub.extensions import db

HOSTILE_BOOKINGS = [
    {"resource": "room\x00", "start": "2030-01-01T09:00:00+01:00",
     "end": "2030-01-01T10:00:00+01:00"},
    {"resource": "999999", "start": "2030-01-01T09:00:00+01:00",
     "end": "2030-01-01T10:00:00+01:00"},
    {"resource": "1", "start": "yesterday", "end": "tomorrow"},
    {"resource": "1", "start": "2030-01-01T09:00:00", "end": "2030-01-01T10:00:00"},
    {"resource": "1", "start": "2030-01-01T10:00:00+01:00", "end": "2030-01-01T09:00:00+01:00"},
    {"resource": "1", "start": "9999-12-31T23:59:00+00:00", "end": "9999-12-31T23:59:30+00:00"},
    {"resource": "1", "start": "2030-01-01T09:00:00+01:00", "end": "2030-01-01T10:00:00+01:00",
     "subject": "x" * 5000},
    {"resource": "1", "start": "2030-01-01T09:00:00+01:00", "end": "2030-01-01T10:00:00+01:00",
     "on_behalf_of": "nobody\x00@example.nl"},
    {"resource": "1", "start": "2030-01-01T09:00:00+01:00", "end": "2030-01-01T10:00:00+01:00",
     "repeat": "many"},
]


@pytest.fixture
def logged_in(client: Any, auth: Any, make_user: Any, make_resource: Any) -> Any:
    make_resource("room", name="Spreekkamer 1")
    make_resource("desk", name="Flexplek 1")
    auth.login(make_user().email)
    return client


def test_hostile_booking_forms_are_refused_not_crashed(logged_in: Any) -> None:
    # One login for all cases: each case is a single request, the setup is the slow part.
    for form in HOSTILE_BOOKINGS:
        answer = logged_in.post("/book", data=form)
        assert answer.status_code in (302, 400, 404, 409, 422), (form, answer.status_code)
        # A redirect must not hide a booking made from garbage.
        assert _bookings() == 0, form


def _bookings() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(Booking.id))) or 0)


HOSTILE_QUERIES = [
    "/book?day=%00&start=25:99&minutes=7&people=-1&kind=castle",
    "/book?day=0001-01-01&start=09:00&minutes=60&people=2&kind=room",
    "/book?day=9999-12-31&start=09:00&minutes=60&people=2&kind=desk&part=never",
    "/book?resource=abc&day=2030-01-01",
    "/book/timeline?date=%00&floor=abc",
    "/book/timeline?date=9999-12-31",
    "/book/desks?date=0001-01-01&floor=-5",
    "/today?on_behalf_of=%00",
    "/bookings/99999999",
    "/bookings/99999999/move",
    "/book/floors/99999999/plan",
]


def test_hostile_queries_never_crash(logged_in: Any) -> None:
    for query in HOSTILE_QUERIES:
        assert logged_in.get(query).status_code in (200, 400, 403, 404, 422), query


def test_hostile_desk_and_move_posts_never_crash(logged_in: Any) -> None:
    for form in ({"resource": "1\x00", "day": "2030-01-01", "part": "morning"},
                 {"resource": "2", "day": "garbage", "part": "morning"},
                 {"resource": "2", "day": "2030-01-01", "part": "midnight"}):
        assert logged_in.post("/book/desks", data=form).status_code in (302, 400)
        assert _bookings() == 0, form
    assert logged_in.post("/bookings/99999999/move", data={
        "day": "2030-01-01", "start": "09:00", "minutes": "60"}).status_code == 404
    assert logged_in.post("/bookings/99999999/cancel").status_code in (302, 404)
