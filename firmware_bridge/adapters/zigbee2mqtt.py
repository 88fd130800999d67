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
    unusable,
)
from firmware_bridge.events import CanonicalEvent, device_id_for

NAME = "zigbee2mqtt"
PREFIX = "z2m"
_IGNORED = ("/set", "/get")
# Presence-like state keys of zigbee-herdsman-converters' occupancy sensors, in the order
# they are believed (src/devices/lumi.ts, tuya.ts, ...). PIRs say `occupancy`; mmWave
# radars (Aqara FP1 RTCZCGQ11LM, Tuya/Moes TS0601, ZY-M100) say `presence`, some only an
# enum state. The value is the sensor technology the hub holds presence by.
PRESENCE_KEYS: tuple[tuple[str, str], ...] = (
    ("presence", "radar"), ("occupancy", "pir"), ("presence_state", "radar"),
    ("motion_state", "radar"), ("human_motion_state", "radar"), ("presence_event", "radar"),
)
# Enum states: "none" means nobody; anything else is somebody (still, moving, small_move...).
_ABSENT = {"none", "no_one", "unoccupied", "clear", "absent"}
# FP1 `presence_event`: only enter and leave speak about the whole room.
_EVENTS = {"enter": True, "leave": False}
# Timeout settings devices report in their state (s): PIR occupancy/motion timeouts and the
# radars' fading or keep time before they report "no presence".
TIMEOUT_KEYS = ("occupancy_timeout", "motion_timeout", "presence_timeout", "fading_time",
                "keep_time")
_HINTS = ("presence", "occupancy", "occupied", "motion")
_SETTINGS = ("sensitivity", "timeout", "distance", "interval", "time", "delay", "range",
             "indicator", "mode", "count", "duration", "region")


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
    if rest == "bridge/info":
        return unchanged(replace(state, timeouts=_configured_timeouts(msg.payload)))
    if rest == "bridge/state":
        return unchanged(replace(state, upstream_online=parse_online(msg.payload)))
    if rest.startswith("bridge/") or not rest or "/set/" in rest or rest.endswith(_IGNORED):
        return unchanged(state)
    if rest.endswith("/availability"):
        device_id, _model, _native = _resolve(state, rest.removesuffix("/availability"))
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


def _configured_timeouts(payload: bytes) -> dict[str, float]:
    """Per-device `occupancy_timeout` options from bridge/info's config.devices (by IEEE)."""
    data = load_object(payload)
    config = data.get("config")
    devices = config.get("devices") if isinstance(config, dict) else None
    out: dict[str, float] = {}
    for ieee, options in (devices or {}).items() if isinstance(devices, dict) else ():
        value = options.get("occupancy_timeout") if isinstance(options, dict) else None
        seconds = _seconds(value)
        if seconds is not None and isinstance(ieee, str):
            out[ieee] = seconds
    return out


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0 < value <= 86_400 else None


def _resolve(state: SourceState, friendly_name: str) -> tuple[str, str | None, str]:
    """Device id from the IEEE address; the friendly name only for an unlisted device."""
    info = state.registry.get(friendly_name)
    if info is not None:
        return device_id_for(PREFIX, info.native_id), info.model, info.native_id
    return device_id_for(PREFIX, friendly_name), None, friendly_name


def _observed(data: dict[str, Any], msg: VendorMessage) -> tuple[Any, Any]:
    seen = data.get("last_seen")  # ISO_8601 or epoch ms, depending on z2m's last_seen option
    device_time = parse_instant(seen) if isinstance(seen, str) else from_epoch(seen, millis=True)
    return pick_time(device_time, msg.received_at)


def presence_of(data: dict[str, Any]) -> tuple[bool, str] | None:
    """(occupied, sensor type) from the first presence-like key the message carries."""
    for key, sensor in PRESENCE_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if key in ("presence", "occupancy"):
            if not isinstance(value, bool):
                raise AdapterError(f"{key} must be true or false")
            return value, sensor
        if not isinstance(value, str):
            raise AdapterError(f"{key} must be a text state")
        lowered = value.strip().lower()
        if key == "presence_event":
            if lowered in _EVENTS:
                return _EVENTS[lowered], sensor
            continue  # left_enter, approach...: about a region, not the room
        return lowered not in _ABSENT, sensor
    return None


def _looks_like_presence(data: dict[str, Any]) -> bool:
    """A state key that sounds like presence but is none we know: worth counting."""
    known = {key for key, _sensor in PRESENCE_KEYS}
    return any(key not in known and any(h in key for h in _HINTS)
               and not any(s in key for s in _SETTINGS) and isinstance(value, bool | str)
               for key, value in data.items())


def _timeout(data: dict[str, Any], state: SourceState, native: str) -> float | None:
    for key in TIMEOUT_KEYS:
        seconds = _seconds(data.get(key))
        if seconds is not None:
            return seconds
    return state.timeouts.get(native)


def _device_message(msg: VendorMessage, state: SourceState, name: str) -> Outcome:
    data = load_object(msg.payload)
    found = presence_of(data)
    if found is None:
        if _looks_like_presence(data) and state.device(_resolve(state, name)[0]).occupied is None:
            return unusable(state, "unsupported_model")
        return unchanged(state)  # a lux, battery or link-quality report
    occupied, sensor = found
    device_id, model, native = _resolve(state, name)
    observed_at, time_source = _observed(data, msg)
    event = CanonicalEvent(
        device_id=device_id, kind="presence", occupied=occupied, people_count=None,
        observed_at=observed_at, observed_at_source=time_source, adapter=NAME,
        battery_pct=battery(data.get("battery")), model=model, raw=raw_of(msg),
        vendor_topic=msg.topic, sensor_type=sensor,
        vendor_timeout_s=_timeout(data, state, native),
    )
    # cache_state repeats the last occupancy in every report: only a change is an event.
    return on_change(state, event)


ADAPTER = Adapter(
    name=NAME, adapt=adapt, transport="mqtt", subscriptions=subscriptions, prime_first=True
)
