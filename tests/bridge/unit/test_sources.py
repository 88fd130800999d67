"""A vendor source never lets a message end paho's network thread, and says ready after SUBACK."""

from __future__ import annotations

import json
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

from firmware_bridge.config import BrokerUrl, SourceConfig
from firmware_bridge.sources import MqttSource

URL = BrokerUrl("127.0.0.1", 1, False, None, None)


def message(topic: str, payload: bytes, retain: bool = True) -> mqtt.MQTTMessage:
    msg = mqtt.MQTTMessage(topic=topic.encode())
    msg.payload = payload
    msg.retain = retain
    return msg


def source(adapter: str) -> MqttSource:
    return MqttSource(SourceConfig(adapter=adapter, name="vendor", url=URL,
                                   base_topic="zigbee2mqtt" if adapter == "zigbee2mqtt" else ""),
                      lambda _events: None, "gw-test")


class AckingClient:
    """Stands in for paho when the SUBACK is handled before subscribe() has returned."""

    def __init__(self, owner: MqttSource) -> None:
        self.owner = owner
        self.mid = 0
        self.topics: list[str] = []

    def subscribe(self, topics: list[tuple[str, int]]) -> tuple[MQTTErrorCode, int]:
        for topic, _qos in topics:
            topic.encode("utf-8")  # as paho does: raises on a lone surrogate
        self.mid += 1
        self.topics.extend(t for t, _q in topics)
        self.owner._on_subscribe(self, None, self.mid, [], None)  # the network thread is quick
        return MQTTErrorCode.MQTT_ERR_SUCCESS, self.mid


def test_discovered_topic_paho_cannot_take_does_not_raise_into_paho() -> None:
    esphome = source("esphome")
    bad = {"device_class": "motion", "state_topic": "a/\ud800/state", "unique_id": "x"}
    good = {"device_class": "motion", "state_topic": "garden/pir/state", "unique_id": "y"}
    # Raising out of on_message would end paho's loop thread: the source would go deaf.
    esphome._on_message(esphome.client, None, message(
        "homeassistant/binary_sensor/bad/config", json.dumps(bad).encode()))
    fake = AckingClient(esphome)
    esphome.client = fake  # type: ignore[assignment]
    esphome._on_message(fake, None, message(
        "homeassistant/binary_sensor/garden/config", json.dumps(good).encode()))
    assert "garden/pir/state" in fake.topics
    assert esphome.counters["rejected"] == 1


def test_ready_even_when_the_suback_beats_the_return_of_subscribe() -> None:
    z2m = source("zigbee2mqtt")
    fake = AckingClient(z2m)
    z2m.client = fake  # type: ignore[assignment]
    z2m._finish_subscribing()  # what the priming timer does when no device list is retained
    assert fake.topics == ["zigbee2mqtt/bridge/devices", "zigbee2mqtt/#"]
    assert z2m.ready.is_set()


def test_priming_subscribes_the_rest_once() -> None:
    z2m = source("zigbee2mqtt")
    fake = AckingClient(z2m)
    z2m.client = fake  # type: ignore[assignment]
    fake_any: Any = fake
    z2m._on_connect(fake_any, None, None, mqtt.ReasonCode(mqtt.PacketTypes.CONNACK), None)
    z2m._on_message(fake_any, None, message("zigbee2mqtt/bridge/devices", b"[]"))
    z2m._finish_subscribing()  # the timer firing late
    assert fake.topics == ["zigbee2mqtt/bridge/devices", "zigbee2mqtt/#"]
    assert z2m.ready.is_set()


def test_topic_that_is_not_utf8_is_logged_not_raised(caplog) -> None:
    esphome = source("esphome")
    msg = mqtt.MQTTMessage(topic=b"homeassistant/\xff/state")
    msg.payload = b"ON"
    esphome._on_message(esphome.client, None, msg)
    assert "failed after a message" in caplog.text


def test_transition_the_outbox_could_not_store_is_not_forgotten() -> None:
    stored: list[Any] = []
    failures = [OSError("database or disk is full")]

    def sink(events: Any) -> None:
        if failures:
            raise failures.pop()
        stored.extend(events)

    z2m = MqttSource(SourceConfig(adapter="zigbee2mqtt", name="vendor", url=URL,
                                  base_topic="zigbee2mqtt"), sink, "gw-test")
    report = json.dumps({"occupancy": True, "battery": 90}).encode()
    z2m.feed("zigbee2mqtt/desk", report)  # the disk is full: nothing stored
    z2m.feed("zigbee2mqtt/desk", report)  # cache_state repeats it a minute later
    assert [e.occupied for e in stored] == [True]
    assert z2m.counters["rejected"] == 1
