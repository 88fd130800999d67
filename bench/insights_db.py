"""The insights benchmark end to end: the same generated year(s) written into SQLite
(bookings, refused requests, sensor events of 60 resources), then the report and the sizing
read through the real loaders (hub.insights.data -> booking models, sensors read side)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.insights import FIRST, Result, Timer, generate, spaces

TZ = "Europe/Amsterdam"
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def _app(path: Path) -> Any:
    from hub import create_app
    from hub.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "HUB_ENVIRON": {"HUB_ENV": "testing", "HUB_SECRET_KEY": "bench" * 8}})
    with app.app_context():
        db.create_all()
    return app


def _building(db: Any, t0: datetime) -> tuple[dict[int, int], dict[int, int]]:
    from hub.accounts.models import Organisation, User
    from hub.building.models import Floor, Resource, Site

    db.session.execute(insert(Organisation), [
        {"id": n, "slug": f"org-{n}", "name": f"Organisation {n}", "kind": "core",
         "active": True, "created_at": t0} for n in range(1, 26)])
    db.session.execute(insert(User), [
        {"id": n, "email": f"u{n}@bench.test", "name": f"User {n}", "organisation_id": n,
         "role": "staff", "language": "nl", "active": True, "feed_token": f"feed-{n}",
         "session_version": 1, "created_at": t0} for n in range(1, 26)])
    db.session.execute(insert(Site), [{"id": 1, "slug": "site", "name": "Site", "address": ""}])
    db.session.execute(insert(Floor), [{"id": f, "site_id": 1, "slug": f"floor-{f}",
                                        "name": f"Floor {f}", "level": f} for f in (1, 2, 3)])
    ids = {}
    rows = []
    for i, s in enumerate(spaces(), start=1):
        ids[s.id] = i
        rows.append({"id": i, "slug": s.slug, "name": s.slug, "kind": s.kind,
                     "floor_id": s.floor_id + 1, "capacity": s.capacity, "amenities": [],
                     "privacy": "normal", "bookable": True, "active": True,
                     "description": ""})
    db.session.execute(insert(Resource), rows)
    return ids, {s.id: s.counting for s in spaces()}


def _sensors(db: Any, ids: dict[int, int], counting: dict[int, bool], t0: datetime) -> None:
    from hub.sensors.models import Device, DeviceAssignment, Gateway

    db.session.execute(insert(Gateway), [{"gateway_id": "gw", "state": "online",
                                          "since": t0, "last_heartbeat": NOW}])
    db.session.execute(insert(Device), [
        {"device_id": f"dev-{sid}", "gateway_id": "gw",
         "kind": "count" if counting[sid] else "presence",
         "sensor_type": "counter" if counting[sid] else "radar", "last_seen": NOW}
        for sid in ids])
    db.session.execute(insert(DeviceAssignment), [
        {"device_id": f"dev-{sid}", "resource_id": rid, "valid_from": t0}
        for sid, rid in ids.items()])


def fill(path: Path, years: int) -> int:
    """Write the generated history; returns the number of sensor events."""
    from hub.booking.models import Booking, RefusedDemand
    from hub.extensions import db
    from hub.sensors.models import SensorEventRecord

    app = _app(path)
    t0 = datetime.combine(FIRST, datetime.min.time(), UTC) - timedelta(days=2)
    events = 0
    with app.app_context():
        ids, counting = _building(db, t0)
        _sensors(db, ids, counting, t0)
        for week in generate(years):
            db.session.execute(insert(Booking), [
                {"resource_id": ids[b.resource_id], "user_id": b.organisation_id,
                 "created_by_id": b.organisation_id, "organisation_id": b.organisation_id,
                 "start": b.start, "end": b.end, "status": b.status,
                 "checkin_code": f"c{week.days[0].day.isoformat()}-{b.id}",
                 "created_at": b.created_at, "updated_at": b.created_at, "sequence": 0,
                 "checked_in_at": b.checked_in_at, "released_at": b.released_at,
                 "attendees": b.attendees} for b in week.bookings])
            rows = []
            for p in week.presence:
                device = f"dev-{p.resource_id}"
                people = p.people if counting[p.resource_id] else None
                for at, occupied in ((p.start, True), (p.end, False)):
                    rows.append({"event_id": f"{device}-{at.timestamp()}-{occupied}",
                                 "gateway_id": "gw", "device_id": device,
                                 "kind": "count" if people is not None else "presence",
                                 "occupied": occupied,
                                 "people_count": (people if occupied else 0)
                                 if people is not None else None,
                                 "observed_at": at, "observed_trusted": True,
                                 "received_at": at})
            db.session.execute(insert(SensorEventRecord), rows)
            events += len(rows)
            if week.refusals:
                db.session.execute(insert(RefusedDemand), [
                    {"at": r.at, "kind": r.kind, "start": r.start, "end": r.end,
                     "organisation_id": r.organisation_id, "people": r.people,
                     "reason": "no_free_resource"} for r in week.refusals])
        db.session.commit()  # bench set-up outside the app's use cases
        db.engine.dispose()
    return events


def run_one(folder: Path, years: int) -> list[Result]:
    from hub.extensions import db
    from hub.insights import build
    from hub.insights.facts import Viewer

    path = folder / f"insights-{years}y.sqlite3"
    events = fill(path, years)
    app = _app(path)
    period = build.Period(FIRST, FIRST + timedelta(days=365 * years - 1))
    out = []
    with app.app_context():
        with Timer() as t:
            answers = build.occupancy(period, build.Scope(Viewer(None)), now=NOW, tz=TZ,
                                      private_label="Private resources")
        bookings = sum(r["bookings"] for r in answers["kind"]["rows"])
        weeks = len(answers["weekday_hour"]["rows"])
        print(f"  SQLite, {years} y: {bookings} bookings, {events} sensor events", flush=True)
        out.append(Result(f"occupancy report from SQLite, {years} y",
                          weeks, bookings, t.wall, t.cpu))
        with Timer() as t:
            for kind in ("room", "desk", "landing_spot"):
                build.sizing_answer(period, kind, now=NOW, tz=TZ, count=8)
        out.append(Result(f"sizing + bootstrap from SQLite, 3 kinds, {years} y", weeks,
                          bookings, t.wall, t.cpu))
        db.engine.dispose()
    return out


def run(folder: Path) -> list[Result]:
    return run_one(folder, 1) + run_one(folder, 2)

