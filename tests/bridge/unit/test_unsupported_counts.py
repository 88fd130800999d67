"""Silence is not an answer: every message a source cannot use is counted per reason, with
the last excerpt, and the bridge's heartbeat carries the counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from firmware_bridge.config import BrokerUrl, SourceConfig
from firmware_bridge.events import heartbeat_payload
from firmware_bridge.sources import MqttSource
from hub.sensors.contract import parse_heartbeat

URL = BrokerUrl("127.0.0.1", 1, False, None, None)
DOOR = {"dev_cla": "door", "stat_t": "hall/binary_sensor/front_door/state",
        "uniq_id": "ESPbinary_sensorfront_door", "dev": {"ids": "a4cf12b3c4e0", "name": "hall"}}


def esphome_source() -> MqttSource:
    return MqttSource(SourceConfig(adapter="esphome", name="esp", url=URL), lambda _e: None,
                      "gw-test")


def test_unusable_messages_are_counted_per_reason_with_the_last_excerpt() -> None:
    src = esphome_source()
    src.feed("homeassistant/binary_sensor/hall/front_door/config", json.dumps(DOOR).encode())
    src.feed("hall/binary_sensor/front_door/state", b"ON")
    src.feed("hall/binary_sensor/front_door/state", b"OFF")
    src.feed("homeassistant/binary_sensor/x/config", b"{not json")
    report = src.unsupported_report()
    assert report["non_occupancy_class"]["count"] == 3
    assert report["non_occupancy_class"]["last_excerpt"] == "OFF"
    assert report["non_occupancy_class"]["last_topic"] == "hall/binary_sensor/front_door/state"
    assert report["malformed"]["count"] == 1
    assert src.counters["events"] == 0


def test_a_usable_message_is_not_counted() -> None:
    src = esphome_source()
    src.feed("lobby/binary_sensor/presence/state", b"ON")
    assert src.unsupported_report() == {} and src.counters["events"] == 1


def test_heartbeat_with_counts_still_passes_the_hub_parser() -> None:
    src = esphome_source()
    src.feed("hall/binary_sensor/front_door/state", b"ON")  # native topic, class unknown: used
    src.feed("homeassistant/binary_sensor/hall/front_door/config", json.dumps(DOOR).encode())
    payload = heartbeat_payload("s1", 1, datetime.now(UTC), 0,
                                {"unsupported": {"esp": src.unsupported_report()}})
    beat = parse_heartbeat("hub/v1/gw/gw-test/heartbeat", payload)
    assert beat.queue_depth == 0
    assert json.loads(payload)["unsupported"]["esp"]["non_occupancy_class"]["count"] == 1
