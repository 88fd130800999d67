"""Many people book the same room at the same moment: exactly one wins, on both databases."""

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hub.booking import services
from hub.booking.models import Booking
from hub.errors import BookingConflict, RuleViolation
from hub.extensions import db
from tests.integration.booking_world import NOW, TUE, at

pytestmark = pytest.mark.both_databases

THREADS = 24


@pytest.fixture
def app_config() -> dict[str, Any]:
    # One connection per thread, so the race is decided by the database, not the pool.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": THREADS,
                                          "max_overflow": 4}}


def test_twenty_four_threads_one_winner(app: Flask, make_org: Any, make_user: Any,
                                        make_resource: Any) -> None:
    org = make_org()
    people = [make_user(org=org, password=None).id for _ in range(THREADS)]
    room_id = make_resource("room").id
    db.session.remove()
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user_id: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                services.create_booking(actor_id=user_id, resource=room_id, start=at(TUE, 9),
                                        end=at(TUE, 10), now=NOW, channel="api")
                outcome = "won"
            except BookingConflict:
                outcome = "conflict"
            except Exception as exc:  # anything else is a failure of the store
                outcome = f"error: {exc!r}"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["won"]
    assert db.session.scalar(select(func.count(Booking.id))) == 1


def test_the_unit_of_work_really_locks(app: Flask) -> None:
    """SQLite: write() holds the write lock from its start; PostgreSQL: the exclusion
    constraint exists."""
    from sqlalchemy import create_engine, text

    from hub.db import write

    if db.engine.dialect.name == "postgresql":
        names = db.session.scalars(text(
            "SELECT conname FROM pg_constraint WHERE contype = 'x'")).all()
        assert "ex_bookings_no_overlap" in names
        return
    other = create_engine(db.engine.url, connect_args={"timeout": 0})
    with write(), other.connect() as conn, pytest.raises(Exception, match="locked"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    with other.connect() as conn:  # released at the end of the unit of work
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        conn.exec_driver_sql("ROLLBACK")
    other.dispose()


def test_one_person_racing_for_three_desks_gets_the_quota_of_two(
        app: Flask, make_org: Any, make_user: Any, make_resource: Any) -> None:
    person = make_user(org=make_org(), password=None).id
    desks = [make_resource("desk").id for _ in range(3)]
    db.session.remove()
    barrier = threading.Barrier(len(desks))
    outcomes: list[str] = []

    def attempt(desk_id: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                services.create_booking(actor_id=person, resource=desk_id, start=at(TUE, 8),
                                        end=at(TUE, 12, 30), now=NOW)
                outcomes.append("won")
            except RuleViolation as exc:
                outcomes.append(exc.details["rule"])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(d,)) for d in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["quota", "won", "won"]
