"""Home Assistant discovery configs: removing or changing one forgets its old state topic."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from firmware_bridge.adapters import AdapterError, AdapterOptions, SourceState, VendorMessage
from firmware_bridge.adapters.esphome import adapt, dynamic_subscriptions

T0 = datetime(2026, 3, 30, 7, 2, 12, tzinfo=UTC)
CONFIG_TOPIC = "homeassistant/binary_sensor/garden/config"
GARDEN = {"device_class": "motion", "state_topic": "garden/pir/state", "unique_id": "motion01ad"}


def feed(state: SourceState, topic: str, payload: bytes) -> SourceState:
    return adapt(VendorMessage(topic, payload, T0, retained=True), state, AdapterOptions()).state


def test_empty_retained_config_removes_the_entity() -> None:
    state = feed(SourceState(), CONFIG_TOPIC, json.dumps(GARDEN).encode())
    assert dynamic_subscriptions(state) == {"garden/pir/state"}
    state = feed(state, CONFIG_TOPIC, b"")
    assert dynamic_subscriptions(state) == set()
    outcome = adapt(VendorMessage("garden/pir/state", b"ON", T0), state, AdapterOptions())
    assert outcome.events == ()


def test_changed_state_topic_replaces_the_old_one() -> None:
    state = feed(SourceState(), CONFIG_TOPIC, json.dumps(GARDEN).encode())
    moved = {**GARDEN, "state_topic": "garden/pir2/state"}
    state = feed(state, CONFIG_TOPIC, json.dumps(moved).encode())
    assert dynamic_subscriptions(state) == {"garden/pir2/state"}


def test_config_no_longer_about_occupancy_is_forgotten() -> None:
    state = feed(SourceState(), CONFIG_TOPIC, json.dumps(GARDEN).encode())
    door = {**GARDEN, "device_class": "door"}
    assert dynamic_subscriptions(feed(state, CONFIG_TOPIC, json.dumps(door).encode())) == set()


@pytest.mark.parametrize("topic", ["a/\ud800/state", "a/" + "x" * 70_000, "a/\u0000/state"])
def test_state_topic_paho_cannot_subscribe_to_is_rejected(topic: str) -> None:
    bad = json.dumps({**GARDEN, "state_topic": topic}).encode()  # JSON can carry a lone surrogate
    with pytest.raises(AdapterError, match="state_topic"):
        adapt(VendorMessage(CONFIG_TOPIC, bad, T0), SourceState(), AdapterOptions())
