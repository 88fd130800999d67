"""`hub demo live` decides sensor states from the bookings in the database: a booked room in
use during opening hours, nobody after closing (the 20:43 board), a released no-show empty."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hub.booking import services
from hub.booking.demo_occupancy import BookedSlot, booked_use
from hub.demo.live import GATEWAY, Player, wanted_states
from hub.extensions import db
from hub.sensors.models import DeviceAssignment
from hub.sensors.registry import register_device
from tests.integration.booking_world import NOW, TUE, World, at, world_fixture  # noqa: F401


def _sensor(world: World) -> str:
    register_device("sim-room", kind="motion", sensor_type="pir", now=NOW, gateway_id=GATEWAY)
    db.session.add(DeviceAssignment(device_id="sim-room", resource_id=world.room.id,
                                    valid_from=NOW - timedelta(days=1)))
    db.session.commit()
    return "sim-room"


def _shows_up(world: World, hour: int) -> Any:
    """Book the room at `hour` on Tuesday until a booking comes whose people do come."""
    for offset in range(0, 8):
        made = services.create_booking(actor_id=world.staff.id, resource=world.room.id,
                                       start=at(TUE, hour + offset), now=NOW,
                                       end=at(TUE, hour + offset) + timedelta(minutes=45))
        b = made.booking
        if booked_use(BookedSlot(b.id, b.start, b.end, False), world.room.capacity):
            return b
    raise AssertionError("every booking a no-show")


def test_a_used_booking_lights_the_sensor_and_the_evening_is_empty(world: World) -> None:
    device = _sensor(world)
    booking = _shows_up(world, 9)
    during = booking.start + timedelta(minutes=20)
    assert wanted_states(during)[device] >= 1
    evening = at(TUE, 20, 43)
    assert wanted_states(evening)[device] == 0
    booking.status = "released"  # nobody checked in: the sweep released it
    db.session.commit()
    assert wanted_states(during)[device] == 0


class _Client:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def publish(self, topic: str, payload: str, qos: int = 0) -> None:
        self.sent.append((topic, payload))


def test_the_player_publishes_changes_only_and_a_pir_repeats_while_in_use() -> None:
    client = _Client()
    player = Player(client, "hub/v1", {"sim-a": "motion", "sim-b": "count"})  # type: ignore[arg-type]
    assert player.tick({"sim-a": 0, "sim-b": 0}, NOW) == 2
    assert player.tick({"sim-a": 0, "sim-b": 0}, NOW + timedelta(seconds=20)) == 0
    assert player.tick({"sim-a": 1, "sim-b": 3}, NOW + timedelta(seconds=40)) == 2
    assert player.tick({"sim-a": 1, "sim-b": 3}, NOW + timedelta(minutes=3)) == 1  # the PIR
    topic, payload = client.sent[-1]
    assert topic == f"hub/v1/gw/{GATEWAY}/dev/sim-a/event" and '"occupied": true' in payload
