"""PostgreSQL restarts while people book: clear 503s meanwhile, nothing half written, and
the app serves again by itself once the database is back (no restart of the app).

The restarted server is a private cluster of this module (tests/support/pgcluster.py),
never the machine's shared PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hub.booking.models import Booking
from hub.extensions import db
from tests.faults.pg_app import private_database
from tests.integration.booking_world import NOW
from tests.support.pgcluster import PgCluster

THREADS = 4
ATTEMPTS = 40  # per thread: 10 before the stop, 10 while it is down, 20 after the restart


@pytest.fixture
def db_url(pg_cluster: PgCluster) -> str:
    return private_database(pg_cluster)


@pytest.fixture
def app_config() -> dict[str, Any]:
    # The production engine options (no pre-ping), with a connection per thread and two more.
    from hub.config import Defaults

    return {"SQLALCHEMY_ENGINE_OPTIONS": {**Defaults.SQLALCHEMY_ENGINE_OPTIONS,
                                          "pool_size": THREADS + 2}}


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.booking.api import bookings as api

    monkeypatch.setattr(api, "utcnow", lambda: NOW)


# Working days without a public holiday (Easter Monday is 6 April 2026).
DAYS = ("2026-03-31", "2026-04-01", "2026-04-02", "2026-04-07", "2026-04-08", "2026-04-09")


def _body(room: str, i: int, series: bool) -> dict[str, Any]:
    """Distinct times, so every refusal would be the fault's, not a real clash."""
    if series:  # weekly from Tuesday 31 March, a quarter of an hour each
        start, end = 8 * 60 + 15 * (i // 4), 8 * 60 + 15 * (i // 4) + 15
        return {"resource": room, "rrule": "FREQ=WEEKLY;COUNT=3",
                "start": f"{DAYS[0]}T{start // 60:02d}:{start % 60:02d}:00+02:00",
                "end": f"{DAYS[0]}T{end // 60:02d}:{end % 60:02d}:00+02:00"}
    day, hour = DAYS[i // 10], 8 + i % 10
    return {"resource": room, "start": f"{day}T{hour:02d}:00:00+02:00",
            "end": f"{day}T{hour:02d}:30:00+02:00"}


def test_bookings_through_a_database_restart(app: Flask, pg_cluster: PgCluster,
                                             make_org: Any, make_user: Any,
                                             make_resource: Any, token_for: Any) -> None:
    org = make_org()
    people = [token_for(make_user(org=org, password=None)) for _ in range(THREADS)]
    rooms = [(make_resource("room").slug, make_resource("room").slug) for _ in range(THREADS)]
    db.session.remove()
    answers: list[tuple[int, str, dict[str, Any]]] = []
    lock = threading.Lock()
    # The phases by events, not by the clock (a fast refusal would otherwise run through
    # every attempt before the database is back): a quarter before the stop, a quarter while
    # it is down, the second half after the restart.
    going, stopped, restarted = threading.Event(), threading.Event(), threading.Event()

    def book(t: int) -> None:
        client = app.test_client()
        for i in range(ATTEMPTS):
            if i == ATTEMPTS // 4:
                going.set()
                stopped.wait(timeout=60)
            if i == ATTEMPTS // 2:
                restarted.wait(timeout=60)
            series = i % 4 == 0
            room = rooms[t][1] if series else rooms[t][0]
            made = client.post("/api/v1/bookings", json=_body(room, i, series),
                               headers=people[t])
            data = made.get_json(silent=True) or {}
            with lock:
                answers.append((made.status_code, "series" if series else "single", data))
            time.sleep(0.05)

    threads = [threading.Thread(target=book, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    going.wait(timeout=60)
    pg_cluster.stop("fast")  # connections cut mid-transaction, new ones refused
    stopped.set()
    time.sleep(1.5)
    pg_cluster.start()
    restarted.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    statuses = Counter(status for status, _kind, _data in answers)
    assert set(statuses) <= {201, 503}, statuses  # never a 500, never a stray conflict
    unavailable = [data for status, _k, data in answers if status == 503]
    assert unavailable and all(d["error"]["code"] == "database_busy" for d in unavailable)
    # Recovered by itself: bookings succeed again after the restart.
    last = [status for status, _k, _d in answers[-THREADS * 5:]]
    assert 201 in last, statuses

    # Nothing half written: every acknowledged booking is there, a series whole or absent.
    db.session.remove()
    per_series = Counter(db.session.scalars(select(Booking.series_id)
                                            .where(Booking.series_id.is_not(None))))
    assert set(per_series.values()) <= {3}, per_series
    made_ids = {int(b["id"]) for status, _k, d in answers if status == 201
                for b in d.get("occurrences", [d])}
    stored = set(db.session.scalars(select(Booking.id)))
    assert made_ids <= stored
    # A commit whose answer was lost to the cut may exist without an acknowledgement;
    # anything else in the table must be an answered booking.
    assert len(stored - made_ids) <= THREADS * 3
    assert db.session.scalar(select(func.count(Booking.id))) == len(stored)
