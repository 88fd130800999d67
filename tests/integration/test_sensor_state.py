"""A bridge that re-announces 'vacant' after a restart does not light up an empty room."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.sensors import registry
from hub.sensors.contract import GatewayStatus, event_topic
from hub.sensors.ingest import Incoming, store_batch
from hub.sensors.queries import presence_now

DEVICE = "z2m-0x00158d0001a2b3c4"


def _store(occupied: bool, at: datetime) -> None:
    payload = {"schema": "hub.occupancy.v1", "event_id": uuid.uuid4().hex,
               "device_id": DEVICE, "kind": "motion", "occupied": occupied,
               "observed_at": at.isoformat().replace("+00:00", "Z")}
    store_batch([Incoming(event_topic("gw-a", DEVICE), json.dumps(payload).encode(), at)],
                prefix="hub/v1", now=at)


def test_a_repeated_vacant_keeps_the_room_free(app: Any, make_resource: Any) -> None:
    now = datetime.now(UTC)
    room = make_resource("room")
    registry.apply_status(GatewayStatus("gw-a", "online", "s1", now, "1.0"), now)
    registry.register_device(DEVICE, kind="motion", sensor_type="pir",
                             now=now - timedelta(days=1))
    registry.assign(DEVICE, room.slug, now=now - timedelta(days=1))
    _store(True, now - timedelta(hours=2))
    _store(False, now - timedelta(hours=2) + timedelta(seconds=90))
    assert presence_now([room.id], now)[room.id] == "vacant"
    _store(False, now - timedelta(seconds=30))  # the bridge restarted and says it again
    assert presence_now([room.id], now)[room.id] == "vacant"
    _store(True, now - timedelta(seconds=10))  # someone walks in: occupied at once
    assert presence_now([room.id], now)[room.id] == "occupied"
