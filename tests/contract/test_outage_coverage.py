"""A hub-broker outage of a gateway whose outbox later delivered that window's events is
known time, not unknown: two real brokers (vendor side and hub side), the real bridge, the
real ingest worker, and a cut network link between the bridge and the hub broker."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from firmware_bridge.bridge import Bridge
from firmware_bridge.config import load_config
from hub.extensions import db
from hub.sensors import queries, registry
from hub.sensors.contract import GatewayStatus, Heartbeat, SensorEvent
from hub.sensors.models import GatewayOutage, SensorEventRecord
from hub.sensors.worker import IngestWorker, WorkerOptions
from tests.bridge.integration.helpers import DEVICES, occupancy, vendor_client, wait_until
from tests.bridge.integration.proxy import LinkProxy

pytestmark = [pytest.mark.broker, pytest.mark.timeout(90)]
DEVICE = "z2m-0x00158d0001a2b3c4"
PIR = "zigbee2mqtt/floor2/room214/pir"


def _fresh(query):  # type: ignore[no-untyped-def]
    db.session.rollback()  # see what the worker committed since
    return db.session.execute(query)


def _stored() -> int:
    return _fresh(select(func.count()).select_from(SensorEventRecord)).scalar_one()


def _outages() -> list[GatewayOutage]:
    return list(_fresh(select(GatewayOutage).where(GatewayOutage.gateway_id == "gw-cut"))
                .scalars())


def _unknown_seconds(resource_id: int, start: datetime, end: datetime) -> float:
    db.session.rollback()
    return sum((u.end - u.start).total_seconds()
               for u in queries.unknown_intervals([resource_id], start, end))


def test_outbox_delivery_turns_a_link_outage_into_known_time(app, tmp_path, broker_factory,
                                                             make_resource) -> None:
    vendor, hub = broker_factory("vendor"), broker_factory("hub")
    link = LinkProxy(hub.port)
    link.start()
    room = make_resource("room")
    worker = IngestWorker(app, WorkerOptions(url=hub.url, client_id="hub-ingest-cut"))
    worker.start()
    config = tmp_path / "bridge.toml"
    config.write_text(
        f'gateway_id = "gw-cut"\n[hub]\nurl = "{link.url}"\nwill_delay_s = 1\n'
        f'heartbeat_s = 0.3\nkeepalive_s = 5\n[outbox]\npath = "{tmp_path / "outbox.db"}"\n'
        f'[[sources]]\nadapter = "zigbee2mqtt"\nurl = "{vendor.url}"\n'
        'base_topic = "zigbee2mqtt"\n')
    bridge = Bridge(load_config(config))
    z2m = vendor_client(vendor)
    try:
        began = datetime.now(UTC)
        bridge.start()
        wait_until(lambda: all(s.ready.is_set() for s in bridge.sources), 10, "vendor source")
        z2m.publish("zigbee2mqtt/bridge/devices", json.dumps(DEVICES), qos=1, retain=True)
        wait_until(lambda: bridge.sources[0].state.registry, 5, "the device list")
        z2m.publish(PIR, occupancy(True), qos=1).wait_for_publish(5)
        wait_until(lambda: _stored() == 1, 10, "the first event stored")
        registry.assign(DEVICE, room.slug, now=began - timedelta(minutes=1))
        db.session.commit()

        link.cut()  # the broker sees the bridge go: its Last Will opens an outage
        wait_until(lambda: any(o.end is None for o in _outages()), 10, "the outage")
        for i, value in enumerate((False, True, False)):
            z2m.publish(PIR, occupancy(value, i), qos=1).wait_for_publish(5)
            time.sleep(0.2)
        wait_until(lambda: bridge.outbox.depth() == 3, 5, "three events waiting")
        time.sleep(0.5)
        assert _unknown_seconds(room.id, began, datetime.now(UTC)) > 1.0  # unknown for now

        link.start()
        wait_until(lambda: _stored() == 4, 30, "the outbox delivered to the hub")
        wait_until(lambda: all(o.start == o.end for o in _outages()), 10,
                   "the outage closed by the delivery")
        [outage] = _outages()
        assert outage.reason == "link" and outage.session == bridge.publisher.session
        assert _unknown_seconds(room.id, began, datetime.now(UTC)) == 0.0
        occupied = [r.occupied for r in _fresh(select(SensorEventRecord).order_by(
            SensorEventRecord.observed_at)).scalars()]
        assert occupied == [True, False, True, False]
    finally:
        bridge.stop()
        worker.stop()
        z2m.loop_stop()
        link.cut()


def _event(at: datetime, trusted: bool = True) -> tuple[SensorEvent, datetime]:
    return (SensorEvent("e1", "gw-b", "z2m-1", "presence", True, None, at, trusted, 1, None,
                        "zigbee2mqtt", None), at + timedelta(minutes=20))


def test_delivered_events_shrink_an_outage_and_a_restart_does_not_close_it(app) -> None:
    t0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
    registry.apply_status(GatewayStatus("gw-b", "online", "s1", t0, "1"), t0)
    registry.apply_status(GatewayStatus("gw-b", "offline", "s1", None, None),
                          t0 + timedelta(minutes=1))
    # A restarted bridge (new session) replays an event observed inside the outage:
    # the time up to that event is known; the rest stays unknown.
    registry.apply_status(GatewayStatus("gw-b", "online", "s2", t0, "1"),
                          t0 + timedelta(minutes=30))
    registry.cover_outages([_event(t0 + timedelta(minutes=10))])
    registry.cover_outages([_event(t0 + timedelta(minutes=20), trusted=False)])
    registry.apply_heartbeat(Heartbeat("gw-b", "s2", 1, None, 0), t0 + timedelta(minutes=31))
    db.session.commit()
    [outage] = db.session.scalars(select(GatewayOutage)).all()
    assert (outage.reason, outage.start, outage.end) == (
        "offline", t0 + timedelta(minutes=10), t0 + timedelta(minutes=30))
