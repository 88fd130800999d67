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
    """State topics learnt from discovery configs."""
    return set(state.registry)


def adapt(msg: VendorMessage, state: SourceState, options: AdapterOptions) -> Outcome:
    """ON/OFF states to presence or motion events, on transitions only."""
    disc = options.discovery_prefix + "/binary_sensor/"
    if msg.topic.startswith(disc) and msg.topic.endswith("/config"):
        return unchanged(_discovery(msg, state))
    info = state.registry.get(msg.topic)
    if info is None:
        info = _esphome_native(msg.topic)
    if info is None:
        return unchanged(state)
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


def _esphome_native(topic: str) -> DeviceInfo | None:
    parts = topic.split("/")
    if len(parts) != 4 or parts[1] != "binary_sensor" or parts[3] != "state":
        return None
    kind: Kind = "motion" if "motion" in parts[2].lower() else "presence"
    return DeviceInfo(native_id=f"{parts[0]}-{parts[2]}", kind=kind)


def _discovery(msg: VendorMessage, state: SourceState) -> SourceState:
    # A config replaces (an empty retained one removes) what its topic announced before.
    registry = {k: v for k, v in state.registry.items() if v.config_topic != msg.topic}
    state = replace(state, registry=registry)
    if not msg.payload.strip():
        return state
    config = load_object(msg.payload)
    kind = OCCUPANCY_CLASSES.get(str(config.get("device_class") or config.get("dev_cla")))
    topic = config.get("state_topic") or config.get("stat_t")
    if kind is None or not isinstance(topic, str) or not topic:
        return state
    _check_state_topic(topic)
    object_id = "-".join(msg.topic.split("/")[2:-1])
    info = DeviceInfo(
        native_id=str(config.get("unique_id") or config.get("uniq_id") or object_id),
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
