"""The bridge between two real mosquitto brokers: a vendor-side one and the hub's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from firmware_bridge.bridge import Bridge
from firmware_bridge.config import load_config
from hub.sensors.contract import parse_event
from tests.bridge.integration.helpers import (
    DEVICES,
    Collector,
    occupancy,
    vendor_client,
    wait_until,
    write_config,
)
from tests.bridge.integration.proxy import LinkProxy

pytestmark = [pytest.mark.broker, pytest.mark.timeout(90)]
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def brokers(broker_factory):
    return broker_factory("vendor"), broker_factory("hub")


@pytest.fixture
def running_bridge(tmp_path, brokers):
    vendor, hub = brokers
    bridge = Bridge(load_config(write_config(tmp_path, hub, vendor)))
    bridge.start()
    wait_until(bridge.publisher.connected.is_set, 10, "bridge connected to the hub broker")
    wait_until(lambda: all(s.ready.is_set() for s in bridge.sources), 10, "vendor source")
    yield bridge
    bridge.stop()


def test_zigbee2mqtt_message_arrives_as_canonical_event(brokers, running_bridge) -> None:
    vendor, hub = brokers
    collector = Collector(hub)
    z2m = vendor_client(vendor)
    z2m.publish("zigbee2mqtt/bridge/devices", json.dumps(DEVICES), qos=1, retain=True)
    wait_until(lambda: running_bridge.sources[0].state.registry, 5, "the device list")
    z2m.publish("zigbee2mqtt/floor2/room214/pir", occupancy(True), qos=1).wait_for_publish(5)

    wait_until(lambda: collector.events(), 10, "the canonical event on the hub broker")
    topic = "hub/v1/gw/gw-test/dev/z2m-0x00158d0001a2b3c4/event"
    raw = next(json.dumps(b).encode() for t, b, _r, _t in collector.messages if t == topic)
    event = parse_event(topic, raw, datetime.now(UTC))
    assert (event.kind, event.occupied, event.model) == ("presence", True, "RTCGQ11LM")

    status = collector.where("/status")[-1]
    assert status["state"] == "online" and status["session"] == running_bridge.publisher.session
    wait_until(lambda: collector.where("/heartbeat"), 5, "a heartbeat")
    assert collector.where("/heartbeat")[-1]["queue_depth"] == 0
    wait_until(lambda: running_bridge.outbox.depth() == 0, 5, "the outbox to empty")
    z2m.loop_stop()
    collector.close()


def test_hub_broker_outage_loses_nothing(tmp_path, brokers) -> None:
    vendor, hub = brokers
    # The bridge reaches the hub broker through a link we control, so after the broker's
    # restart the collector is provably subscribed again before the bridge can reconnect:
    # what is measured is the bridge's outbox, not a race between two reconnecting clients.
    link = LinkProxy(hub.port)
    link.start()
    bridge = Bridge(load_config(write_config(tmp_path, link, vendor)))  # type: ignore[arg-type]
    bridge.start()
    collector = Collector(hub)
    try:
        wait_until(bridge.publisher.connected.is_set, 10, "bridge connected to the hub broker")
        wait_until(lambda: all(s.ready.is_set() for s in bridge.sources), 10, "vendor source")
        link.cut()
        hub.stop()
        wait_until(lambda: not bridge.publisher.connected.is_set(), 10, "bridge to notice")

        z2m = vendor_client(vendor)
        z2m.publish("zigbee2mqtt/bridge/devices", json.dumps(DEVICES), qos=1, retain=True)
        infos = [z2m.publish("zigbee2mqtt/floor2/room214/pir", occupancy(i % 2 == 0, i), qos=1)
                 for i in range(1000)]
        for info in infos:
            info.wait_for_publish(10)
        wait_until(lambda: bridge.outbox.depth() == 1000, 30, "1000 events in the outbox")

        hub.start()
        collector.resume()  # back on its persistent session, SUBACK seen
        link.start()
        wait_until(lambda: len(collector.events()) >= 1000, 60, "1000 events on the hub broker")
        time.sleep(0.3)  # a duplicate would arrive right behind the rest
        events = collector.events()
        assert len(events) == 1000
        assert len({e["event_id"] for e in events}) == 1000
        assert [e["seq"] for e in events] == list(range(1, 1001))
        assert [e["occupied"] for e in events] == [i % 2 == 0 for i in range(1000)]
        wait_until(lambda: bridge.outbox.depth() == 0, 10, "the outbox to empty")
        z2m.loop_stop()
    finally:
        bridge.stop()
        link.cut()
        collector.close()


def test_bridge_restart_replays_its_outbox(tmp_path, brokers) -> None:
    vendor, hub = brokers
    collector = Collector(hub)
    hub.stop()
    config = load_config(write_config(tmp_path, hub, vendor))
    first = Bridge(config)
    first.start()
    wait_until(lambda: all(s.ready.is_set() for s in first.sources), 10, "vendor source")
    z2m = vendor_client(vendor)
    for i in range(20):
        z2m.publish("zigbee2mqtt/plaza_desk_7", occupancy(i % 2 == 0), qos=1).wait_for_publish(5)
    wait_until(lambda: first.outbox.depth() == 20, 10, "20 events in the outbox")
    stored = [json.loads(r.payload) for r in first.outbox.pending(limit=100)]
    first.stop()

    hub.start()
    collector.resume()
    second = Bridge(config)
    second.start()
    try:
        wait_until(lambda: len(collector.events()) >= 20, 20, "the replayed events")
        events = collector.events()
        assert [(e["event_id"], e["observed_at"]) for e in events] == [
            (s["event_id"], s["observed_at"]) for s in stored]
    finally:
        second.stop()
        z2m.loop_stop()
        collector.close()


def test_last_will_appears_when_the_bridge_is_killed(tmp_path, brokers) -> None:
    _vendor, hub = brokers
    collector = Collector(hub)
    config = write_config(tmp_path, hub, None, will_delay_s=2)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "firmware_bridge", "run", "--config",
                             str(config)], env=env, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: any(s["state"] == "online" for s in collector.where("/status")), 15,
                   "the bridge's birth message")
        session = collector.where("/status")[-1]["session"]
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)
        killed = time.monotonic()
        wait_until(lambda: collector.where("/status")[-1]["state"] == "offline", 2 + 8,
                   "the Last Will")
        will = collector.where("/status")[-1]
        arrived = next(t for _tp, b, _r, t in collector.messages if b.get("state") == "offline")
        assert will["session"] == session and will["reason"] == "lwt"
        assert arrived - killed >= 1.5  # the Will Delay held it back
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        collector.close()


def test_clean_shutdown_says_offline_at_once(tmp_path, brokers) -> None:
    _vendor, hub = brokers
    collector = Collector(hub)
    bridge = Bridge(load_config(write_config(tmp_path, hub, None, will_delay_s=5)))
    bridge.start()
    wait_until(lambda: collector.where("/status"), 10, "birth")
    bridge.stop()
    wait_until(lambda: collector.where("/status")[-1]["state"] == "offline", 3, "shutdown")
    assert collector.where("/status")[-1]["reason"] == "shutdown"
    collector.close()
