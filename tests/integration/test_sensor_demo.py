"""The demo building's sensors: a sensor in every room and part of the desks, months of
history with real sessions, and a simulate config the bridge accepts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from firmware_bridge.config import load_config
from hub.building.models import Resource
from hub.demo.seed import seed
from hub.extensions import db
from hub.sensors.demo import bridge_config, demo_devices
from hub.sensors.models import SensorEventRecord
from hub.sensors.queries import sessions, unknown_intervals
from tests.hub_fixtures import T0


def test_the_demo_has_sensors_history_and_a_bridge_config(app, tmp_path: Path) -> None:
    seed(T0)
    placed = {resource.slug: device for device, resource in demo_devices()}
    rooms = db.session.scalars(select(Resource.slug).where(Resource.kind == "room")).all()
    assert set(rooms) <= set(placed)
    desks = [slug for slug in placed if slug.startswith("werkplek-")]
    assert 0 < len(desks) < 40
    assert db.session.scalar(select(func.count()).select_from(SensorEventRecord)) > 10_000
    room = db.session.scalar(select(Resource).where(Resource.slug == "spreekkamer-1"))
    found = sessions([room.id], T0 - timedelta(days=28), T0)
    assert len(found) > 10 and all(s.end > s.start for s in found)
    assert unknown_intervals([room.id], T0 - timedelta(days=28), T0)  # the gateway outage
    path = tmp_path / "demo-bridge.toml"
    path.write_text(bridge_config(gateway_id="gw-demo", hub_url="mqtt://127.0.0.1:1883",
                                  prefix="hub/v1", outbox=tmp_path / "outbox.sqlite3"))
    config = load_config(path)
    assert config.simulate is not None
    assert {d.device_id for d in config.simulate.devices} == {d.device_id for d in placed.values()}
