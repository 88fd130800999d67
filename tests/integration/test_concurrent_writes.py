"""Writers of every kind at once, on SQLite and PostgreSQL: zero errors, every write kept.

Before the unit of work only booking took SQLite's write lock; a login beside the sensor
writer failed with "database is locked" (a deferred transaction that read, then wrote after
another connection committed), and people saw a 500.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hub.accounts.models import LoginAttempt, Organisation, User
from hub.booking import services
from hub.booking.models import Booking
from hub.errors import BookingConflict
from hub.extensions import db
from hub.sensors.contract import event_topic
from hub.sensors.ingest import Incoming, store_batch
from hub.sensors.models import SensorEventRecord
from tests.hub_fixtures import TEST_PASSWORD
from tests.integration.booking_world import NOW, TUE, at

pytestmark = pytest.mark.both_databases
WORKERS = 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def app_config() -> dict[str, Any]:
    # One connection per thread, so the database decides, not the pool.
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": WORKERS + 4,
                                          "max_overflow": 8},
            "LOGIN_THROTTLE_ATTEMPTS": 1000}


def run_together(app: Flask, jobs: list[Callable[[], object]]) -> list[object]:
    """Start every job at the same moment, each in its own thread and app context; return
    what each returned, or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int, job: Callable[[], object]) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = job()
            except Exception as exc:  # collected and asserted on below
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@contextmanager
def busy_ingest_writer(app: Flask, every_s: float = 0.1) -> Iterator[list[object]]:
    """A sensor writer committing a batch every 100 ms, as `hub worker` does under load."""
    stop, outcomes = threading.Event(), []

    def write_batches() -> None:
        with app.app_context():
            while not stop.is_set():
                items = [Incoming(topic=event_topic("gw-a", f"z2m-0x{n:02x}"),
                                  payload=json.dumps(_event(f"z2m-0x{n:02x}")).encode(),
                                  received_at=datetime.now(UTC)) for n in range(5)]
                try:
                    outcomes.append(store_batch(items, prefix="hub/v1",
                                                now=datetime.now(UTC)).events)
                except Exception as exc:
                    outcomes.append(exc)
                finally:
                    db.session.remove()
                stop.wait(every_s)

    thread = threading.Thread(target=write_batches)
    thread.start()
    try:
        time.sleep(0.3)
        yield outcomes
    finally:
        stop.set()
        thread.join(timeout=30)


def _event(device: str) -> dict[str, Any]:
    return {"schema": "hub.occupancy.v1", "event_id": uuid.uuid4().hex, "device_id": device,
            "kind": "presence", "occupied": True,
            "observed_at": datetime.now(UTC).isoformat().replace("+00:00", "Z")}


def test_logins_beside_a_busy_ingest_writer_never_fail(app: Flask, make_user: Any) -> None:
    people = [make_user(email=f"collega{i}@example.nl").email for i in range(WORKERS)]

    def login(email: str) -> Callable[[], object]:
        def attempt() -> object:
            client = app.test_client()
            answer = client.post("/login", data={"email": email, "password": TEST_PASSWORD})
            return answer.status_code, client.get("/api/v1/me").status_code
        return attempt

    with busy_ingest_writer(app) as batches:
        results = run_together(app, [login(e) for e in people])
    assert results == [(302, 200)] * WORKERS
    assert batches and all(n == 5 for n in batches), batches
    db.session.rollback()  # a fresh snapshot: the writers committed in other connections
    assert db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.success.is_(True))) == WORKERS
    assert db.session.scalar(select(func.count(SensorEventRecord.event_id))) == 5 * len(batches)


def test_token_calls_at_once_all_answer(app: Flask, make_user: Any, token_for: Any) -> None:
    headers = [token_for(make_user()) for _ in range(WORKERS)]
    from hub.accounts.models import ApiToken

    # Every token was last used long ago, so every call writes its last-used time.
    db.session.execute(ApiToken.__table__.update().values(last_used_at=NOW - timedelta(days=1)))
    db.session.commit()

    def call(h: dict[str, str]) -> Callable[[], object]:
        def attempt() -> object:
            answer = app.test_client().get("/api/v1/me", headers=h)
            answer.close()  # the last-used time is written once the answer has been sent
            return answer.status_code
        return attempt

    with busy_ingest_writer(app):
        results = run_together(app, [call(h) for h in headers])
    assert results == [200] * WORKERS
    db.session.rollback()  # a fresh snapshot: the writers committed in other connections
    assert all(t.last_used_at > NOW for t in db.session.scalars(select(ApiToken)))


def test_parallel_hub_users_create_processes(app: Flask, make_org: Any) -> None:
    org = make_org(slug="wmo")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "HUB_ENV": "testing", "HUB_SECRET_KEY": "test-secret-key",
           "HUB_DATABASE_URL": url, "HUB_BASE_URL": "https://hub.test"}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "hub", "users", "create", f"nieuw{i}@example.nl", "--org",
         org.slug, "--role", "staff"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True) for i in range(10)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 10, [err[-400:] for _out, err in outputs]
    assert all("https://hub.test/invite/" in out for out, _err in outputs)
    db.session.rollback()  # a fresh snapshot: the writers committed in other connections
    assert db.session.scalar(select(func.count(User.id)).where(
        User.email.like("nieuw%"))) == 10


def test_a_csv_import_and_a_floor_plan_upload_during_a_booking_race(
        app: Flask, make_org: Any, make_user: Any, make_resource: Any) -> None:
    from hub.accounts.imports import import_organisations

    org = make_org()
    racers = [make_user(org=org, password=None).id for _ in range(10)]
    facility = make_user(role="facility", email="facilitair@example.nl")
    room = make_resource("room")
    room_id, floor_id = room.id, room.floor_id
    csv_text = "slug,name,kind\n" + "".join(f"partner-{i},Partner {i},network\n"
                                            for i in range(50))

    def book(user_id: int) -> Callable[[], object]:
        def attempt() -> object:
            try:
                services.create_booking(actor_id=user_id, resource=room_id, start=at(TUE, 9),
                                        end=at(TUE, 10), now=NOW, channel="api")
                return "won"
            except BookingConflict:
                return "conflict"
        return attempt

    def import_csv() -> object:
        report = import_organisations(csv_text, now=NOW)
        return ("imported", report.created, report.errors)

    def upload_plan() -> object:
        client = app.test_client()
        client.post("/login", data={"email": facility.email, "password": TEST_PASSWORD})
        answer = client.post(f"/facility/floors/{floor_id}/plan",
                             data={"image": (io.BytesIO(PNG), "plan.png")},
                             content_type="multipart/form-data")
        return ("plan", answer.status_code)

    results = run_together(app, [*(book(u) for u in racers), import_csv, upload_plan])
    assert sorted(r for r in results if isinstance(r, str)) == ["conflict"] * 9 + ["won"]
    assert ("imported", 50, []) in results
    assert ("plan", 302) in results
    assert not [r for r in results if isinstance(r, Exception)]
    db.session.rollback()  # a fresh snapshot: the writers committed in other connections
    assert db.session.scalar(select(func.count(Booking.id))) == 1
    assert db.session.scalar(select(func.count(Organisation.id)).where(
        Organisation.slug.like("partner-%"))) == 50
    from hub.building.models import Floor

    assert db.session.get(Floor, floor_id).plan_image
