"""Shelly Gen1 motion status and Gen2+ RPC notifications (sensors.md 1.5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from firmware_bridge.adapters.base import (
    Adapter,
    AdapterError,
    AdapterOptions,
    Outcome,
    SourceState,
    VendorMessage,
    battery,
    from_epoch,
    load_object,
    on_change,
    pick_time,
    raw_of,
    unchanged,
    unusable,
)
from firmware_bridge.events import CanonicalEvent, Kind, TimeSource, device_id_for

NAME = "shelly"
PREFIX = "shelly"
# Gen2+ components that carry a boolean occupancy-like state, and the key that holds it.
_GEN2_COMPONENTS: dict[str, tuple[str, Kind]] = {"input": ("state", "presence"),
                                                 "bthomesensor": ("value", "motion")}


def subscriptions(options: AdapterOptions) -> list[str]:
    """Gen1 status topics and Gen2+ notification and status topics."""
    return ["shellies/+/status", "+/events/rpc", "+/status/+"]


def adapt(msg: VendorMessage, state: SourceState, options: AdapterOptions) -> Outcome:
    """Motion (Gen1) or boolean inputs (Gen2+) to events, on transitions only."""
    parts = msg.topic.split("/")
    if len(parts) == 3 and parts[0] == "shellies" and parts[2] == "status":
        return _gen1(msg, state, parts[1])
    if len(parts) == 3 and parts[1:] == ["events", "rpc"]:
        return _gen2_rpc(msg, state)
    if len(parts) == 3 and parts[1] == "status" and ":" in parts[2]:
        component = load_object(msg.payload)
        return _gen2_component(msg, state, parts[0], parts[2], component, None)
    return unchanged(state)


def _model_of(native: str) -> str | None:
    head, sep, _tail = native.rpartition("-")
    return head if sep else None


def _gen1(msg: VendorMessage, state: SourceState, native: str) -> Outcome:
    data = load_object(msg.payload)
    motion = data.get("motion")
    if motion is None:
        return unchanged(state)
    if not isinstance(motion, bool):
        raise AdapterError("motion must be true or false")
    device_id = device_id_for(PREFIX, native)
    observed_at, source = pick_time(from_epoch(data.get("timestamp")), msg.received_at)
    event = _event(msg, device_id, "presence", motion, observed_at, source,
                   battery(data.get("bat")), _model_of(native))
    return on_change(state, event)


def _gen2_rpc(msg: VendorMessage, state: SourceState) -> Outcome:
    frame = load_object(msg.payload)
    method = frame.get("method")
    if method not in ("NotifyStatus", "NotifyFullStatus", "NotifyEvent"):
        return unchanged(state)
    src, params = frame.get("src"), frame.get("params")
    if not isinstance(src, str) or not src or not isinstance(params, dict):
        raise AdapterError("a notification needs src and params")
    if method == "NotifyEvent":
        return _gen2_events(msg, state, src, params)
    ts = from_epoch(params.get("ts"))
    events: list[CanonicalEvent] = []
    for key, component in params.items():
        if isinstance(component, dict) and ":" in key:
            outcome = _gen2_component(msg, state, src, key, component, ts)
            events.extend(outcome.events)
            state = outcome.state
    return Outcome(tuple(events), state)


def _gen2_events(msg: VendorMessage, state: SourceState, src: str,
                 params: dict[str, Any]) -> Outcome:
    """Script events carrying a BLU Motion's BTHome reading (`Shelly.emitEvent(name,
    {address, motion, battery, ...})`, as the BLE scanner example scripts send them) are
    motion reports of that BLU device; other events (buttons, inputs) are counted."""
    events: list[CanonicalEvent] = []
    used, items = False, params.get("events") or []
    if not isinstance(items, list):
        raise AdapterError("NotifyEvent params.events must be a list")
    # Input and BTHome events repeat what their NotifyStatus already said: not news.
    if all(isinstance(i, dict) and str(i.get("component", "")).split(":")[0]
           in _GEN2_COMPONENTS for i in items):
        return unchanged(state)
    for item in items:
        reading = _blu_reading(item)
        if reading is None:
            continue
        used = True
        address, data, at = reading
        observed_at, source = pick_time(from_epoch(at if at is not None else params.get("ts")),
                                        msg.received_at)
        device_id = device_id_for(PREFIX, f"blu-{address.replace(':', '')}")
        event = _event(msg, device_id, "presence", data["motion"] == 1, observed_at, source,
                       battery(data.get("battery")), "SBMO-003Z")
        outcome = on_change(state, replace(event, sensor_type="pir"))
        events.extend(outcome.events)
        state = outcome.state
    if not used:
        return unusable(state, "unsupported_event")
    return Outcome(tuple(events), state)


def _blu_reading(item: Any) -> tuple[str, dict[str, Any], Any] | None:
    """(address, BTHome data, ts) of a script event carrying a BLU Motion reading."""
    if not isinstance(item, dict) or not str(item.get("component", "")).startswith("script:"):
        return None
    data = item.get("data")
    if not isinstance(data, dict):
        return None
    motion, address = data.get("motion"), data.get("address")
    if isinstance(motion, bool) or motion not in (0, 1) or not isinstance(address, str) \
            or not address:
        return None
    return address, data, item.get("ts")


def _gen2_component(msg: VendorMessage, state: SourceState, src: str, key: str,
                    component: dict[str, Any], ts: datetime | None) -> Outcome:
    name, _, index = key.partition(":")
    wanted = _GEN2_COMPONENTS.get(name)
    if wanted is None:
        return unchanged(state)
    value = component.get(wanted[0])
    if not isinstance(value, bool):
        return unchanged(state)  # an analog input or a partial update without the state
    device_id = device_id_for(PREFIX, f"{src}-{name}{index}")
    observed_at, source = pick_time(ts, msg.received_at)
    event = _event(msg, device_id, wanted[1], value, observed_at, source, None, _model_of(src))
    return on_change(state, event)


def _event(msg: VendorMessage, device_id: str, kind: Kind, occupied: bool,
           observed_at: datetime, source: TimeSource, battery_pct: int | None,
           model: str | None) -> CanonicalEvent:
    return CanonicalEvent(
        device_id=device_id, kind=kind, occupied=occupied, people_count=None,
        observed_at=observed_at, observed_at_source=source, adapter=NAME,
        battery_pct=battery_pct, model=model, raw=raw_of(msg), vendor_topic=msg.topic,
    )


ADAPTER = Adapter(name=NAME, adapt=adapt, transport="mqtt", subscriptions=subscriptions)
