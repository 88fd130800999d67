"""Logins per second beside a busy ingest writer, as a ratio to logins alone (issue 9).

Eight browsers log in over and over through the real login form (the app in-process, the
Flask test client, one thread each) on the embedded SQLite database, first alone and then
while a sensor writer stores a batch of 200 events every 100 ms, as `hub worker` does in a
busy building. Before the unit of work, logins beside the writer failed with "database is
locked"; now they wait their turn for the write lock. Passwords use a cheap hash here so
that the figure shows the database's share, not scrypt's 0.1 s per login.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.table import Row, median, rate

CLIENTS = 8
SECONDS = 4.0
RUNS = 3
PASSWORD = "bench-password-123"


def _app(folder: Path) -> Any:
    from hub import create_app
    from hub.extensions import db

    app = create_app({
        "TESTING": True,
        "HUB_ENVIRON": {"HUB_ENV": "testing", "HUB_SECRET_KEY": "bench-secret-key"},
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'logins.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": CLIENTS + 4, "max_overflow": 4},
        "WTF_CSRF_ENABLED": False, "LOGIN_THROTTLE_ATTEMPTS": 10**9,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        from hub.accounts.services import create_organisation, create_user

        create_organisation(slug="wmo", name="Wmo-team", kind="core", now=datetime.now(UTC))
        for i in range(CLIENTS):
            create_user(email=f"bench{i}@example.nl", organisation_slug="wmo", role="staff",
                        password=PASSWORD, now=datetime.now(UTC))
    return app


def _logins(app: Any, seconds: float) -> tuple[int, int]:
    """(successful logins, failed answers) of CLIENTS browsers in `seconds`."""
    stop = time.monotonic() + seconds
    counts = {"ok": 0, "bad": 0}
    lock = threading.Lock()

    def browser(i: int) -> None:
        client = app.test_client()
        while time.monotonic() < stop:
            answer = client.post("/login", data={"email": f"bench{i}@example.nl",
                                                 "password": PASSWORD})
            client.post("/logout")
            with lock:
                counts["ok" if answer.status_code == 302 else "bad"] += 1

    threads = [threading.Thread(target=browser, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["ok"], counts["bad"]


def _writer(app: Any, stop: threading.Event, errors: list[str]) -> Callable[[], None]:
    from hub.extensions import db
    from hub.sensors.contract import event_topic
    from hub.sensors.ingest import Incoming, store_batch

    def run() -> None:
        with app.app_context():
            while not stop.is_set():
                now = datetime.now(UTC)
                stamp = now.isoformat().replace("+00:00", "Z")
                items = [Incoming(event_topic("gw-bench", f"z2m-0x{n % 40:02x}"), json.dumps({
                    "schema": "hub.occupancy.v1", "event_id": uuid.uuid4().hex,
                    "device_id": f"z2m-0x{n % 40:02x}", "kind": "presence",
                    "occupied": n % 2 == 0, "observed_at": stamp}).encode(), now)
                    for n in range(200)]
                try:
                    store_batch(items, prefix="hub/v1", now=now)
                except Exception as exc:
                    errors.append(repr(exc))
                finally:
                    db.session.remove()
                stop.wait(0.1)
    return run


def run(folder: Path) -> list[Row]:
    """Median of RUNS runs of logins alone and beside the writer, in one table row."""
    app = _app(folder)
    alone, beside, failed, writer_errors = [], [], 0, []
    for _ in range(RUNS):
        ok, bad = _logins(app, SECONDS)
        alone.append(ok / SECONDS)
        failed += bad
        stop = threading.Event()
        thread = threading.Thread(target=_writer(app, stop, writer_errors))
        thread.start()
        ok, bad = _logins(app, SECONDS)
        stop.set()
        thread.join()
        beside.append(ok / SECONDS)
        failed += bad
    errors = failed + len(writer_errors)
    return [Row(figure="logins/s beside the ingest writer (SQLite, 8 clients)",
                value=rate(median(beside)), baseline=f"{rate(median(alone))} alone",
                ratio=median(beside) / median(alone) if median(alone) else None,
                correctness=f"{errors} failed logins or batches", ok=errors == 0)]
