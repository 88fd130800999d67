"""DST weekends on both databases, the sweep (CLI, soft check-in by a sensor), state_now."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.booking import services
from hub.booking.models import Booking
from hub.extensions import db
from tests.integration.booking_world import NOW, TUE, World, at, world_fixture  # noqa: F401

pytestmark = pytest.mark.both_databases


@pytest.mark.parametrize(("monday", "now", "utc_hour"), [
    (date(2026, 3, 30), datetime(2026, 3, 27, 12, tzinfo=UTC), 7),    # after spring forward
    (date(2026, 10, 26), datetime(2026, 10, 23, 12, tzinfo=UTC), 8),  # after fall back
])
def test_bookings_after_a_dst_weekend_are_stored_in_utc(world: World, monday: date,
                                                        now: datetime, utc_hour: int) -> None:
    made = services.create_booking(actor_id=world.staff.id, resource=world.room,
                                   start=at(monday, 9), end=at(monday, 10), now=now).booking
    db.session.expire_all()
    stored = db.session.get(Booking, made.id)
    assert stored.start == datetime.combine(monday, datetime.min.time(), UTC).replace(
        hour=utc_hour)
    assert stored.end - stored.start == timedelta(hours=1)


def test_weekly_series_over_the_autumn_dst_change_keeps_nine_oclock(world: World) -> None:
    now = datetime(2026, 10, 9, 12, tzinfo=UTC)
    result = services.create_booking(actor_id=world.staff.id, resource=world.room,
                                      start=at(date(2026, 10, 13), 9),
                                      end=at(date(2026, 10, 13), 10), now=now,
                                      rrule="FREQ=WEEKLY;COUNT=4")
    assert [b.start.hour for b in result.occurrences] == [7, 7, 8, 8]
    from zoneinfo import ZoneInfo
    assert {b.start.astimezone(ZoneInfo("Europe/Amsterdam")).hour
            for b in result.occurrences} == {9}


def _sensor_saw(resource: Any, device_id: str, moments: list[datetime]) -> None:
    """A real sensor on the resource, and its events stored by the real ingest."""
    import json
    import uuid

    from hub.sensors import registry
    from hub.sensors.contract import event_topic
    from hub.sensors.ingest import Incoming, store_batch

    registry.register_device(device_id, kind="presence", sensor_type="radar",
                             now=NOW - timedelta(days=1))
    registry.assign(device_id, resource.slug, now=NOW - timedelta(days=1))
    items = [Incoming(event_topic("gw-a", device_id), json.dumps({
        "schema": "hub.occupancy.v1", "event_id": uuid.uuid4().hex, "device_id": device_id,
        "kind": "presence", "occupied": occupied,
        "observed_at": (moment + timedelta(minutes=k)).isoformat()}).encode(), moment)
        for moment in moments for k, occupied in ((0, True), (8, False))]
    store_batch(items, prefix="hub/v1", now=NOW)


def test_sensor_presence_is_a_soft_check_in(world: World) -> None:
    seen = services.create_booking(actor_id=world.staff.id, resource=world.room,
                                   start=at(TUE, 9), end=at(TUE, 10), now=NOW).booking
    empty = services.create_booking(actor_id=world.staff.id, resource=world.big_room,
                                    start=at(TUE, 9), end=at(TUE, 10), now=NOW).booking
    _sensor_saw(world.room, "z2m-0x00158d0001a2b3c4", [at(TUE, 9, 5)])
    # Someone in the big room only after the window (09:30): no soft check-in.
    _sensor_saw(world.big_room, "z2m-0x00158d0001a2b3c5", [at(TUE, 9, 30)])
    assert services.release_no_shows(now=at(TUE, 9, 20)) == 1
    db.session.rollback()
    assert db.session.get(Booking, seen.id).status == "booked"
    assert db.session.get(Booking, empty.id).status == "released"


def test_desk_morning_releases_at_ten(world: World) -> None:
    desk = services.create_booking(actor_id=world.staff.id, resource=world.desk,
                                   start=at(TUE, 8), end=at(TUE, 12, 30), now=NOW).booking
    assert services.release_no_shows(now=at(TUE, 9, 59)) == 0
    assert services.release_no_shows(now=at(TUE, 10, 1)) == 1
    assert db.session.get(Booking, desk.id).status == "released"


def test_hub_sweep_command_and_state_now(world: World, runner: Any, client: Any,
                                         token_for: Any) -> None:
    past = datetime.now(UTC) - timedelta(days=3)
    db.session.add(Booking(resource_id=world.room.id, user_id=world.staff.id,
                           created_by_id=world.staff.id, organisation_id=world.wmo.id,
                           start=past, end=past + timedelta(hours=1), status="booked",
                           sequence=0, created_at=past, updated_at=past))
    db.session.commit()
    result = runner.invoke(args=["sweep"])
    assert result.exit_code == 0 and "released 1" in result.output
    now = datetime.now(UTC)
    db.session.add(Booking(resource_id=world.big_room.id, user_id=world.staff.id,
                           created_by_id=world.staff.id, organisation_id=world.wmo.id,
                           start=now - timedelta(minutes=5), end=now + timedelta(hours=1),
                           status="checked_in", sequence=0, created_at=now, updated_at=now))
    db.session.commit()
    items = client.get("/api/v1/resources?kind=room", headers=token_for(world.staff)).json
    states = {r["slug"]: r["state_now"] for r in items["items"]}
    assert states["overleg"] in ("booked", "occupied") and states["spreekkamer-1"] == "free"
    assert db.session.scalars(select(Booking).filter_by(status="released")).one()
