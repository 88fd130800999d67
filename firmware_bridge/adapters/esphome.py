"""ESPHome and Home Assistant style binary sensors (sensors.md 1.2 and 1.3)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from firmware_bridge.adapters.base import (
    Adapter,
    AdapterError,
    AdapterOptions,
    DeviceInfo,
    Outcome,
    SourceState,
    VendorMessage,
    load_object,
    on_change,
    raw_of,
    text,
    unchanged,
    unusable,
)
from firmware_bridge.events import CanonicalEvent, Kind, device_id_for

NAME = "esphome"
PREFIX = "esphome"
OCCUPANCY_CLASSES: dict[str, Kind] = {"occupancy": "presence", "presence": "presence",
                                      "motion": "motion"}
MAX_TOPIC = 1024
_TEMPLATE = re.compile(r"^\{\{\s*value_json\.([A-Za-z0-9_]+)\s*\}\}$")


def subscriptions(options: AdapterOptions) -> list[str]:
    """ESPHome state topics (of one node prefix, or all) and HA discovery configs."""
    node = options.base_topic or "+"
    disc = options.discovery_prefix
    return [f"{disc}/binary_sensor/+/config", f"{disc}/binary_sensor/+/+/config",
            f"{node}/binary_sensor/+/state"]


def dynamic_subscriptions(state: SourceState) -> set[str]:
    """State topics learnt from discovery configs (of occupancy classes)."""
    return {topic for topic, info in state.registry.items() if info.ignored_class is None}


def adapt(msg: VendorMessage, state: SourceState, options: AdapterOptions) -> Outcome:
    """ON/OFF states to presence or motion events, on transitions only."""
    disc = options.discovery_prefix + "/binary_sensor/"
    if msg.topic.startswith(disc) and msg.topic.endswith("/config"):
        state = _discovery(msg, state, options.discovery_prefix)
        ignored = next((i for i in state.registry.values() if i.config_topic == msg.topic
                        and i.ignored_class is not None), None)
        return unusable(state, "non_occupancy_class") if ignored else unchanged(state)
    info = state.registry.get(msg.topic)
    if info is None:
        info = _esphome_native(msg.topic)
    if info is None:
        return unchanged(state)
    if info.ignored_class is not None:
        return unusable(state, "non_occupancy_class")  # a door, window or smoke sensor
    occupied = _state_value(msg.payload, info)
    if occupied is None:
        return unchanged(state)  # "unavailable", "None": not a state
    device_id = device_id_for(PREFIX, info.native_id)
    event = CanonicalEvent(
        device_id=device_id, kind=info.kind, occupied=occupied, people_count=None,
        observed_at=msg.received_at, adapter=NAME, model=info.model, raw=raw_of(msg),
        vendor_topic=msg.topic,
    )
    # ESPHome retains states and republishes them on reconnect: only changes are events.
    return on_change(state, event)


def _native_id(topic: str) -> str | None:
    """`<node>-<object>` for an ESPHome state topic: the node makes it unique, where
    ESPHome's default unique_id ("ESPbinary_sensorpresence") is the same on every node."""
    parts = topic.split("/")
    if len(parts) != 4 or parts[1] != "binary_sensor" or parts[3] != "state":
        return None
    return f"{parts[0]}-{parts[2]}"


def _esphome_native(topic: str) -> DeviceInfo | None:
    native = _native_id(topic)
    if native is None:
        return None
    kind: Kind = "motion" if "motion" in native.rsplit("-", 1)[-1].lower() else "presence"
    return DeviceInfo(native_id=native, kind=kind)


def _from_zigbee2mqtt(config: dict[str, Any]) -> bool:
    """zigbee2mqtt's own HA discovery: its adapter already reports these sensors."""
    origin = config.get("origin") or config.get("o")
    if isinstance(origin, dict) and "zigbee2mqtt" in str(origin.get("name", "")).lower():
        return True
    device = config.get("device") or config.get("dev")
    if isinstance(device, dict):
        via = str(device.get("via_device", ""))
        ids = device.get("identifiers") or device.get("ids") or []
        ids = [ids] if isinstance(ids, str) else ids
        if via.startswith("zigbee2mqtt_") or any(str(i).startswith("zigbee2mqtt_")
                                                  for i in ids if isinstance(ids, list)):
            return True
    return str(config.get("unique_id") or config.get("uniq_id") or "").endswith("_zigbee2mqtt")


def _discovery(msg: VendorMessage, state: SourceState, prefix: str) -> SourceState:
    # A config replaces (an empty retained one removes) what its topic announced before.
    registry = {k: v for k, v in state.registry.items() if v.config_topic != msg.topic}
    state = replace(state, registry=registry)
    if not msg.payload.strip():
        return state
    config = load_object(msg.payload)
    if _from_zigbee2mqtt(config):
        return state
    device_class = str(config.get("device_class") or config.get("dev_cla"))
    kind = OCCUPANCY_CLASSES.get(device_class)
    topic = config.get("state_topic") or config.get("stat_t")
    if not isinstance(topic, str) or not topic:
        return state
    _check_state_topic(topic)
    if kind is None:
        # Remembered, so the native state topic of this door sensor is not taken for presence.
        ignored = DeviceInfo(native_id=topic, ignored_class=device_class[:40],
                             config_topic=msg.topic)
        return replace(state, registry={**state.registry, topic: ignored})
    object_id = "-".join(msg.topic.split("/")[2:-1])
    # An ESPHome node's topic (not one under the discovery prefix) names the node.
    node_id = _native_id(topic) if not topic.startswith(prefix + "/") else None
    info = DeviceInfo(
        native_id=node_id or str(config.get("unique_id") or config.get("uniq_id")
                                 or object_id),
        model=_model(config.get("device") or config.get("dev")), kind=kind,
        payload_on=str(config.get("payload_on", "ON")),
        payload_off=str(config.get("payload_off", "OFF")),
        json_key=_json_key(config.get("value_template") or config.get("val_tpl")),
        config_topic=msg.topic,
    )
    return replace(state, registry={**state.registry, topic: info})


def _check_state_topic(topic: str) -> None:
    """The bridge subscribes to it: paho raises on anything that is not a plain topic name."""
    if "#" in topic or "+" in topic or "\x00" in topic or len(topic) > MAX_TOPIC:
        raise AdapterError("state_topic is not a plain topic name of at most "
                           f"{MAX_TOPIC} characters")
    try:
        topic.encode("utf-8")
    except UnicodeEncodeError:
        raise AdapterError("state_topic is not valid UTF-8") from None


def _model(device: Any) -> str | None:
    if isinstance(device, dict):
        model = device.get("model") or device.get("mdl")
        return str(model)[:100] if model else None
    return None


def _json_key(template: Any) -> str | None:
    if not isinstance(template, str):
        return None
    match = _TEMPLATE.match(template.strip())
    if match is None:
        raise AdapterError("only `{{ value_json.KEY }}` value templates are supported")
    return match.group(1)


def _state_value(payload: bytes, info: DeviceInfo) -> bool | None:
    if info.json_key is not None:
        value = load_object(payload).get(info.json_key)
        if isinstance(value, bool):
            return value
        value = str(value)
    else:
        value = text(payload)
    if value == info.payload_on:
        return True
    if value == info.payload_off:
        return False
    if value.lower() in ("unavailable", "unknown", "none", ""):
        return None
    raise AdapterError(f"state is neither {info.payload_on!r} nor {info.payload_off!r}")


ADAPTER = Adapter(
    name=NAME, adapt=adapt, transport="mqtt", subscriptions=subscriptions,
    dynamic_subscriptions=dynamic_subscriptions,
)
