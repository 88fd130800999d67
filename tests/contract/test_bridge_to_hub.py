"""Every captured vendor fixture, through the bridge's adapter and encoder, is accepted by
the hub's parser: the one place where the two programs meet (they never import each other)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from firmware_bridge.events import (
    CanonicalEvent,
    encode,
    heartbeat_payload,
    new_event_id,
    status_payload,
)
from firmware_bridge.events import heartbeat_topic as bridge_heartbeat_topic
from firmware_bridge.events import status_topic as bridge_status_topic
from hub.sensors.contract import parse_event, parse_heartbeat, parse_status
from tests.bridge.vendor_fixtures import all_fixtures, run

FIXTURES = all_fixtures()
RECEIVED = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.id)
def test_fixture_events_pass_the_hub_parser(fixture) -> None:
    events = run(fixture)
    assert len(events) == len(fixture.expect)
    for seq, event in enumerate(events, start=1):
        event_id = new_event_id()
        topic, payload = encode(event, gateway_id="gw-plaza", event_id=event_id, seq=seq)
        parsed = parse_event(topic, payload, RECEIVED)
        assert parsed.event_id == event_id
        assert parsed.gateway_id == "gw-plaza"
        assert parsed.device_id == event.device_id
        assert parsed.kind == event.kind
        assert parsed.observed_at_trusted
        assert parsed.observed_at == event.observed_at.replace(
            microsecond=event.observed_at.microsecond // 1000 * 1000)
        assert parsed.seq == seq and parsed.adapter == fixture.adapter
        if event.kind == "count":
            assert parsed.people_count == event.people_count
        else:
            assert parsed.occupied is event.occupied
        assert len(json.loads(payload)["source"]["raw"]) <= 1024


def test_longest_names_and_capped_raw_pass() -> None:
    event = CanonicalEvent(device_id="z" * 64, kind="presence", occupied=True,
                           people_count=None, observed_at=RECEIVED, adapter="serial",
                           battery_pct=100, raw="r" * 1024)
    topic, payload = encode(event, gateway_id="g" * 64, event_id="e" * 26, seq=2**40)
    assert parse_event(topic, payload, RECEIVED).battery_pct == 100


def test_status_and_heartbeat_pass_the_hub_parser() -> None:
    birth = parse_status(bridge_status_topic("gw-plaza"),
                         status_payload("online", "s1", RECEIVED, "0.1.0"))
    will = parse_status(bridge_status_topic("gw-plaza"),
                        status_payload("offline", "s1", None, "0.1.0", reason="lwt"))
    beat = parse_heartbeat(bridge_heartbeat_topic("gw-plaza"),
                           heartbeat_payload("s1", 4, RECEIVED, 12, {"adapters": {}}))
    assert (birth.state, birth.session, will.state, will.since) == ("online", "s1", "offline", None)
    assert (beat.seq, beat.queue_depth, beat.session) == (4, 12, "s1")


def test_sensor_type_and_vendor_timeout_reach_the_hub() -> None:
    radar = next(f for f in FIXTURES if f.id == "zigbee2mqtt/zy_m100_s1_fading_time")
    event = run(radar)[0]
    topic, payload = encode(event, gateway_id="gw-plaza", event_id=new_event_id(), seq=1)
    parsed = parse_event(topic, payload, RECEIVED)
    assert (parsed.sensor_type, parsed.vendor_timeout_s) == ("radar", 30)
    odd = json.loads(payload) | {"sensor_type": "lidar", "vendor_timeout_s": "long"}
    parsed = parse_event(topic, json.dumps(odd).encode(), RECEIVED)  # ignored, not refused
    assert (parsed.sensor_type, parsed.vendor_timeout_s) == (None, None)
