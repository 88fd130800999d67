"""`hub worker` killed in the middle of the auto-release sweep: nothing is released until a
worker runs the sweep again, and then every no-show is released exactly once (one audit
entry, one `released` event), by one worker only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from hub.audit.models import AuditEntry
from hub.booking import services
from hub.booking.models import Booking
from hub.extensions import db
from hub.ops import leader
from hub.ops.models import JobRun
from hub.registries import registry
from hub.worker import run_due
from tests.hub_fixtures import T0
from tests.support.pgcluster import wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_sweep_killed_mid_transaction(app: Flask, db_url: str, tmp_path: Path,
                                      make_org: Any, make_user: Any,
                                      make_resource: Any) -> None:
    person = make_user(org=make_org(), password=None)
    rooms = [make_resource("room") for _ in range(3)]
    for room in rooms:
        services.create_booking(actor_id=person.id, resource=room.id, start=T0 + timedelta(hours=1),
                                end=T0 + timedelta(hours=2), now=T0, channel="api")
    sweep_at = T0 + timedelta(hours=1, minutes=30)
    db.session.remove()
    marker = tmp_path / "in-sweep"
    proc = subprocess.Popen([sys.executable, "-m", "tests.faults.slow_sweep_worker", db_url,
                             str(marker), sweep_at.isoformat()], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert wait_until(marker.exists, timeout=30), "the worker never reached the sweep"
        assert marker.read_text() == "3"  # it had released all three, uncommitted
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    statuses = list(db.session.scalars(select(Booking.status)))
    assert statuses == ["booked"] * 3  # the killed transaction left nothing behind
    run = db.session.get(JobRun, "booking.sweep")
    assert run is not None and run.holder == "doomed-worker" and run.runs == 0

    released: list[int] = []
    registry(app).add("booking_listeners", "test.count",
                      lambda event, bookings, now: released.extend(
                          b.id for b in bookings if event == "released"))
    for name in registry(app).names("periodic_jobs"):
        if name != "booking.sweep":
            registry(app).remove("periodic_jobs", name)
    db.session.remove()
    # Another worker right away: the dead worker's lease still holds, so it waits...
    assert run_due(app, {}, now=lambda: sweep_at + timedelta(seconds=5), holder="w2") == []
    # ...and takes over once the lease lapsed; a third worker in the same minute does not.
    later = sweep_at + leader.running_lease(60) + timedelta(seconds=1)
    assert run_due(app, {}, now=lambda: later, holder="w2") == ["booking.sweep"]
    assert run_due(app, {}, now=lambda: later + timedelta(seconds=30), holder="w3") == []
    db.session.remove()
    assert sorted(released) == sorted(b for b in db.session.scalars(select(Booking.id)))
    assert list(db.session.scalars(select(Booking.status))) == ["released"] * 3
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "booking.release")) == 3
    run = db.session.get(JobRun, "booking.sweep")
    assert run.holder == "w2" and run.runs == 1 and run.failures == 0
