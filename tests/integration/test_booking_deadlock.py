"""PostgreSQL breaks up a deadlock around the exclusion constraint by failing one
transaction with `deadlock detected`: the booking that lost answers 409, never a 500.

The deadlock is a real one: another transaction inserts the same desk half-day (not yet
committed) and then wants the person's quota lock, which the booking request holds while its
own insert waits for that other transaction.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from hub.booking.models import Booking, RefusedDemand
from hub.booking.store import QUOTA_LOCK_SPACE
from hub.extensions import db
from tests.integration.booking_world import NOW, TUE, at


@pytest.fixture
def db_url(pg_url: str) -> str:
    """This test is about PostgreSQL alone (SQLite serialises writers: no deadlock)."""
    return pg_url


def _other_transaction(url: str) -> psycopg.Connection[Any]:
    conn = psycopg.connect(make_url(url).set(drivername="postgresql")
                           .render_as_string(hide_password=False))
    # Let the booking request be the one that finds the deadlock (after its default 1 s).
    conn.execute("SET deadlock_timeout = '20s'")
    return conn


def test_a_deadlock_on_the_exclusion_constraint_is_a_409(
        app: Flask, client: Any, db_url: str, make_user: Any, make_resource: Any,
        token_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.booking.api import bookings as api

    monkeypatch.setattr(api, "utcnow", lambda: NOW)
    anna, bram = make_user(password=None), make_user(password=None)
    desk = make_resource("desk")
    headers = token_for(anna)
    ids = (desk.id, bram.id, bram.organisation_id)
    anna_id, desk_id = anna.id, desk.id
    db.session.remove()

    other = _other_transaction(db_url)
    try:
        answers = _race(client, headers, other, anna_id, desk_id, ids)
    finally:
        other.close()
    assert len(answers) == 1
    answer = answers[0]
    assert answer.status_code == 409, answer.get_json()
    assert answer.get_json()["error"]["code"] == "booking_conflict"
    db.session.remove()
    assert db.session.scalar(select(func.count(Booking.id)).where(
        Booking.resource_id == desk_id)) == 1  # Bram's, from the other transaction
    assert db.session.scalar(select(func.count(RefusedDemand.id)).where(
        RefusedDemand.user_id == anna_id, RefusedDemand.reason == "conflict")) == 1


def _race(client: Any, headers: dict[str, str], other: psycopg.Connection[Any], anna_id: int,
          desk_id: int, ids: tuple[int, int, int]) -> list[Any]:
    start, end = at(TUE, 8), at(TUE, 12, 30)  # the morning half-day of a desk
    other.execute(
        "INSERT INTO bookings (resource_id, user_id, created_by_id, organisation_id, start, "
        '"end", status, checkin_code, sequence, created_at, updated_at) VALUES '
        "(%s, %s, %s, %s, %s, %s, 'booked', 'DEADLOCK', 0, %s, %s)",
        (ids[0], ids[1], ids[1], ids[2], start, end, NOW, NOW))
    answers: list[Any] = []
    request = threading.Thread(target=lambda: answers.append(client.post(
        "/api/v1/bookings", headers=headers,
        json={"resource": desk_id, "start": start.isoformat(), "end": end.isoformat()})))
    request.start()
    time.sleep(0.5)  # the request now holds Anna's quota lock and waits on our insert
    other.execute("SELECT pg_advisory_xact_lock(%s, %s)", (QUOTA_LOCK_SPACE, anna_id))
    other.commit()  # reached once PostgreSQL failed the request's insert and it committed
    request.join(30)
    return answers
