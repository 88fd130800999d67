"""zigbee2mqtt: device state JSON, its retained device list and availability (sensors.md 1.1)."""

from __future__ import annotations

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
    battery,
    from_epoch,
    load_json,
    load_object,
    on_change,
    parse_instant,
    parse_online,
    pick_time,
    raw_of,
    unchanged,
)
from firmware_bridge.events import CanonicalEvent, device_id_for

NAME = "zigbee2mqtt"
PREFIX = "z2m"
_IGNORED = ("/set", "/get")


def subscriptions(options: AdapterOptions) -> list[str]:
    """The device list first (so names resolve to IEEE addresses), then everything else."""
    base = options.base_topic or "zigbee2mqtt"
    return [f"{base}/bridge/devices", f"{base}/#"]


def adapt(msg: VendorMessage, state: SourceState, options: AdapterOptions) -> Outcome:
    """Turn one zigbee2mqtt message into presence events on occupancy transitions."""
    base = (options.base_topic or "zigbee2mqtt").rstrip("/")
    if not msg.topic.startswith(base + "/"):
        return unchanged(state)
    rest = msg.topic[len(base) + 1 :]
    if rest == "bridge/devices":
        return unchanged(replace(state, registry=_device_list(msg.payload)))
    if rest == "bridge/state":
        return unchanged(replace(state, upstream_online=parse_online(msg.payload)))
    if rest.startswith("bridge/") or not rest or "/set/" in rest or rest.endswith(_IGNORED):
        return unchanged(state)
    if rest.endswith("/availability"):
        device_id, _model = _resolve(state, rest.removesuffix("/availability"))
        online = parse_online(msg.payload)
        last = state.device(device_id)
        return unchanged(state.with_device(device_id, replace(last, online=online)))
    return _device_message(msg, state, rest)


def _device_list(payload: bytes) -> dict[str, DeviceInfo]:
    data = load_json(payload)
    if not isinstance(data, list):
        raise AdapterError("bridge/devices is not a JSON list")
    registry: dict[str, DeviceInfo] = {}
    for entry in data:
        if not isinstance(entry, dict) or entry.get("type") == "Coordinator":
            continue
        ieee, name = entry.get("ieee_address"), entry.get("friendly_name")
        if isinstance(ieee, str) and isinstance(name, str) and ieee:
            definition = entry.get("definition")
            model = definition.get("model") if isinstance(definition, dict) else None
            registry[name] = DeviceInfo(ieee, model if isinstance(model, str) else None)
    return registry


def _resolve(state: SourceState, friendly_name: str) -> tuple[str, str | None]:
    """Device id from the IEEE address; the friendly name only for an unlisted device."""
    info = state.registry.get(friendly_name)
    if info is not None:
        return device_id_for(PREFIX, info.native_id), info.model
    return device_id_for(PREFIX, friendly_name), None


def _observed(data: dict[str, Any], msg: VendorMessage) -> tuple[Any, Any]:
    seen = data.get("last_seen")  # ISO_8601 or epoch ms, depending on z2m's last_seen option
    device_time = parse_instant(seen) if isinstance(seen, str) else from_epoch(seen, millis=True)
    return pick_time(device_time, msg.received_at)


def _device_message(msg: VendorMessage, state: SourceState, name: str) -> Outcome:
    data = load_object(msg.payload)
    occupied = data.get("occupancy")
    if occupied is None:
        return unchanged(state)  # a lux, battery or link-quality report
    if not isinstance(occupied, bool):
        raise AdapterError("occupancy must be true or false")
    device_id, model = _resolve(state, name)
    observed_at, time_source = _observed(data, msg)
    event = CanonicalEvent(
        device_id=device_id, kind="presence", occupied=occupied, people_count=None,
        observed_at=observed_at, observed_at_source=time_source, adapter=NAME,
        battery_pct=battery(data.get("battery")), model=model, raw=raw_of(msg),
        vendor_topic=msg.topic,
    )
    # cache_state repeats the last occupancy in every report: only a change is an event.
    return on_change(state, event)


ADAPTER = Adapter(
    name=NAME, adapt=adapt, transport="mqtt", subscriptions=subscriptions, prime_first=True
)
