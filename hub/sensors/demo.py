"""Demo sensors: a sensor in every room and in flex zone A, months of history, and the
firmware-bridge simulate config that keeps them live while `make run` runs.

The history follows the bookings in the database when the booking package has made some
(used bookings, no-shows, unbooked use); without bookings it follows a plausible office week.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, inspect, select

from hub.building.models import Resource
from hub.extensions import db
from hub.sensors import registry
from hub.sensors.ingest import _insert
from hub.sensors.models import Device, DeviceAssignment, Gateway, GatewayOutage
from hub.timeutil import local_midnight, zone

GATEWAY = "gw-demo"
HISTORY_DAYS = 91
COUNTED_ROOMS = ("overlegruimte-groot", "overlegruimte-klein")
Interval = tuple[datetime, datetime, int]


def _sensor_for(resource: Resource) -> tuple[str, str] | None:
    """(event kind, sensor type) for the demo resources that have a sensor."""
    if resource.kind == "room":
        return ("count", "counter") if resource.slug in COUNTED_ROOMS else ("motion", "pir")
    if resource.kind == "desk" and resource.slug <= "werkplek-20":
        return "presence", "radar"
    return None


def demo_devices() -> list[tuple[Device, Resource]]:
    return list(db.session.execute(
        select(Device, Resource).join(DeviceAssignment,
                                      DeviceAssignment.device_id == Device.device_id)
        .join(Resource, Resource.id == DeviceAssignment.resource_id)
        .where(DeviceAssignment.valid_to.is_(None), Device.gateway_id == GATEWAY)
        .order_by(Resource.slug)).all())


def _booking_table() -> Table | None:
    """The bookings table when booking has made one, read without importing booking."""
    table = db.metadata.tables.get("bookings")
    needed = {"resource_id", "start", "end", "status", "checked_in_at"}
    if table is None or not needed <= set(table.c.keys()):
        return None
    if not inspect(db.engine).has_table("bookings"):
        return None
    # No booking history to follow (booking seeds none): a plausible office week instead.
    return table if db.session.scalar(select(table.c.id).limit(1)) is not None else None


def _bookings(table: Table | None, resource_id: int, start: datetime,
              end: datetime) -> list[Interval] | None:
    """Past bookings as (start, end, hint): 1 checked in, 0 released (a no-show), -1 open."""
    if table is None:
        return None
    rows = db.session.execute(select(table.c.start, table.c.end, table.c.status,
                                     table.c.checked_in_at).where(
        table.c.resource_id == resource_id, table.c.start >= start, table.c.start < end,
        table.c.status != "cancelled")).all()
    return [(s, e, 1 if checked else 0 if status == "released" else -1)
            for s, e, status, checked in rows]


def _office_day(rng: random.Random, day_start: datetime, room: bool) -> list[Interval]:
    """A plausible day without bookings to follow: meetings or a desk day."""
    out: list[Interval] = []
    if not room:
        if rng.random() < 0.35:
            return out
        arrive = day_start + timedelta(hours=rng.gauss(9.0, 0.6))
        lunch = day_start + timedelta(hours=rng.uniform(12.0, 12.6))
        leave = day_start + timedelta(hours=rng.gauss(16.5, 0.8))
        return [(arrive, lunch, 1), (lunch + timedelta(minutes=rng.randint(25, 50)), leave, 1)]
    slot = 8.5
    while slot < 17.0:
        length = rng.choice([0.5, 1.0, 1.0, 1.5])
        if rng.random() < (0.15 if 12 <= slot < 13 else 0.45):
            out.append((day_start + timedelta(hours=slot), day_start +
                        timedelta(hours=slot + length), rng.randint(1, 4)))
        slot += length
    return out


def _used(rng: random.Random, intervals: list[Interval], capacity: int) -> list[Interval]:
    """Bookings as they were really used: late starts, early ends, and no-shows (released
    bookings, and ~15% of the others that nobody checked in to)."""
    out = []
    for start, end, hint in intervals:
        if hint == 0 or (hint == -1 and rng.random() < 0.15):
            continue  # a no-show: booked, nobody came
        s = start + timedelta(minutes=rng.randint(0, 10))
        e = max(s + timedelta(minutes=10), end - timedelta(minutes=rng.randint(0, 12)))
        out.append((s, e, rng.randint(1, max(1, capacity))))
    return out


def _unbooked(rng: random.Random, day_start: datetime, capacity: int) -> list[Interval]:
    if rng.random() >= 0.25:
        return []
    s = day_start + timedelta(hours=rng.uniform(8.5, 16.0))
    return [(s, s + timedelta(minutes=rng.randint(15, 60)), rng.randint(1, max(1, capacity)))]


def _events(device: Device, intervals: list[Interval], rng: random.Random) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(at: datetime, occupied: bool, people: int | None) -> None:
        rows.append({"event_id": f"demo-{device.device_id}-{int(at.timestamp() * 1000)}"
                                 f"-{len(rows)}", "gateway_id": GATEWAY,
                     "device_id": device.device_id, "kind": device.kind,
                     "occupied": occupied, "people_count": people, "observed_at": at,
                     "observed_trusted": True, "received_at": at + timedelta(seconds=1),
                     "seq": None})

    for start, end, people in sorted(intervals):
        count = people if device.kind == "count" else None
        add(start, True, count)
        if device.kind == "motion":  # a PIR reports motion now and then, then times out
            last = start
            at = start + timedelta(minutes=rng.randint(3, 8))
            while at < end:
                add(at, True, None)
                last, at = at, at + timedelta(minutes=rng.randint(3, 8))
            # The vendor timeout runs from the LAST motion: a "vacant" before it would leave
            # the stretch open until the next visit (rooms seemed used all night).
            add(last + timedelta(seconds=90), False, None)
        else:
            add(end, False, 0 if count is not None else None)
    return rows


def _intervals(rng: random.Random, resource: Resource, now: datetime,
               table: Table | None) -> list[Interval]:
    out: list[Interval] = []
    today = now.astimezone(zone()).date()
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        start = local_midnight(day)
        booked = _bookings(table, resource.id, start, start + timedelta(days=1))
        if booked is None:
            out.extend(_office_day(rng, start, resource.kind == "room"))
        else:
            out.extend(_used(rng, booked, resource.capacity))
            out.extend(_unbooked(rng, start, resource.capacity))
    return [i for i in out if i[1] < now]


def seed_devices(now: datetime) -> None:
    """A demo device per sensored resource, assigned since the start of the history."""
    since = now - timedelta(days=HISTORY_DAYS + 1)
    db.session.add(Gateway(gateway_id=GATEWAY, state="offline", session="demo-seed",
                           since=since, version="demo", updated_at=now))
    for resource in db.session.scalars(select(Resource).order_by(Resource.slug)):
        sensor = _sensor_for(resource)
        if sensor is None:
            continue
        device = registry.register_device(f"sim-{resource.slug}", kind=sensor[0],
                                          sensor_type=sensor[1], now=now, gateway_id=GATEWAY)
        device.adapter, device.model = "simulator", f"sim-{resource.kind}"
        device.battery_pct, device.first_seen = 60 + len(resource.slug) % 40, since
        db.session.add(DeviceAssignment(device_id=device.device_id, resource_id=resource.id,
                                        valid_from=since))
    db.session.flush()


def history_step(now: datetime) -> None:
    """Demo seed step: demo devices and a few months of sensor events."""
    seed_devices(now)
    rng = random.Random(20260330)
    table = _booking_table()
    for device, resource in demo_devices():
        rows = _events(device, _intervals(rng, resource, now, table), rng)
        for i in range(0, len(rows), 2000):
            db.session.execute(_insert(db.engine.dialect.name).on_conflict_do_nothing(
                index_elements=["event_id"]), rows[i:i + 2000])
        if rows:
            last = rows[-1]
            device.last_seen = last["received_at"]
            device.last_state, device.last_state_at = last["occupied"], last["observed_at"]
            device.last_occupied_at = max(r["observed_at"] for r in rows if r["occupied"])
    # One afternoon the gateway lost power: those hours are unknown, not vacant.
    day = (now - timedelta(days=17)).astimezone(zone()).date()
    start = local_midnight(day) + timedelta(hours=13)
    db.session.add(GatewayOutage(gateway_id=GATEWAY, start=start.astimezone(UTC),
                                 end=start + timedelta(hours=3), reason="offline"))


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bridge_config(*, gateway_id: str, hub_url: str, prefix: str, outbox: Path,
                  now: datetime | None = None) -> str | None:
    """A firmware-bridge TOML with a [simulate] table for the demo devices, or None."""
    pairs = demo_devices()
    if not pairs:
        return None
    lines = [f"gateway_id = {_toml_str(gateway_id)}", "", "[hub]",
             f"url = {_toml_str(hub_url)}", f"prefix = {_toml_str(prefix)}", "",
             "[outbox]", f"path = {_toml_str(str(outbox))}", "",
             # Start the simulated day at nine so rooms fill within minutes of `make run`,
             # and play it five times faster than real time so the board keeps changing.
             "[simulate]", "speed = 5", "seed = 7"]
    start = (now or datetime.now(UTC)).astimezone(zone())
    while start.weekday() >= 5:
        start -= timedelta(days=1)
    lines.append(f"start = {start.date().isoformat()}T09:00:00")
    for device, resource in pairs:
        lines += ["", "[[simulate.devices]]", f"device_id = {_toml_str(device.device_id)}",
                  f"kind = {_toml_str(device.kind)}", f"profile = {_toml_str(resource.kind)}",
                  f"capacity = {resource.capacity}"]
    return "\n".join(lines) + "\n"
