"""A small building with one day of bookings, sensor events and a refused request, written
through the models (the history a report reads), for the insight API and page tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.booking.models import Booking, RefusedDemand
from hub.db import write
from hub.extensions import db
from hub.sensors.models import Device, DeviceAssignment, Gateway, SensorEventRecord
from hub.timeutil import utcnow

DAY = "2026-03-02"  # a Monday in winter time: local = UTC + 1


def local(hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 3, 2, tzinfo=UTC) + timedelta(hours=hh - 1, minutes=mm)


@dataclass
class World:
    alpha: Any
    beta: Any
    ggd: Any
    r1: Any
    r2: Any
    private: Any
    facility: Any
    staff: Any
    coordinator: Any
    ggd_coordinator: Any


def _booking(resource: Any, user: Any, start: datetime, end: datetime, status: str,
             **extra: Any) -> Booking:
    return Booking(resource_id=resource.id, user_id=user.id, created_by_id=user.id,
                   organisation_id=user.organisation_id, start=start, end=end, status=status,
                   created_at=start - timedelta(days=3), updated_at=start, **extra)


def build(make_org: Any, make_user: Any, make_resource: Any) -> World:
    alpha, beta = make_org(slug="alpha", name="Alpha"), make_org(slug="beta", name="Beta")
    ggd = make_org(slug="ggd", name="GGD")
    r1 = make_resource("room", slug="room-one", name="Room one", capacity=4)
    r2 = make_resource("room", slug="room-two", name="Room two", capacity=2)
    private = make_resource("room", slug="ggd-room", name="GGD room", capacity=3,
                            privacy="private", restricted_to=["ggd"])
    world = World(alpha, beta, ggd, r1, r2, private, make_user("facility", make_org()),
                  make_user("staff", alpha), make_user("coordinator", alpha),
                  make_user("coordinator", ggd))
    a, b, g = make_user("staff", alpha), make_user("staff", beta), make_user("staff", ggd)
    now = utcnow()
    with write():
        # Names are checked on the way in; an older row may still look like a formula.
        db.session.get(type(r2), r2.id).name = '=HYPERLINK("x")'
        db.session.add_all([
            _booking(r1, a, local(9), local(10), "completed", checked_in_at=local(9, 1)),
            _booking(r2, b, local(11), local(12), "released", released_at=local(11, 15)),
            _booking(private, g, local(13), local(14), "completed",
                     checked_in_at=local(13)),
            RefusedDemand(at=local(7), kind="room", start=local(10), end=local(11),
                          organisation_id=alpha.id, user_id=a.id, people=2,
                          reason="no_free_resource"),
            Gateway(gateway_id="gw-test", state="online", since=local(0) - timedelta(days=2),
                    last_heartbeat=now, updated_at=now),
            Device(device_id="radar-1", gateway_id="gw-test", kind="presence",
                   sensor_type="radar", last_seen=now, first_seen=local(0)),
        ])
        db.session.flush()
        db.session.add(DeviceAssignment(device_id="radar-1", resource_id=r1.id,
                                        valid_from=local(0) - timedelta(days=1)))
        for i, (at, occupied) in enumerate(((local(9, 5), True), (local(9, 55), False))):
            db.session.add(SensorEventRecord(
                event_id=f"e{i}", gateway_id="gw-test", device_id="radar-1", kind="presence",
                occupied=occupied, observed_at=at, received_at=at, observed_trusted=True))
    return world
