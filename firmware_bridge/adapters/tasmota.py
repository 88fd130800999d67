"""Tasmota switches wired to PIRs: tele SENSOR and stat RESULT messages (sensors.md 1.4)."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from firmware_bridge.adapters.base import (
    Adapter,
    AdapterError,
    AdapterOptions,
    Outcome,
    SourceState,
    VendorMessage,
    as_bool,
    load_object,
    on_change,
    parse_instant,
    pick_time,
    raw_of,
    text,
    unchanged,
)
from firmware_bridge.events import CanonicalEvent, TimeSource, device_id_for

NAME = "tasmota"
PREFIX = "tasmota"
_SWITCH = re.compile(r"^Switch([1-8])$")
# A PIR wired to a relay that follows it (SwitchMode 0/1): the relay's POWER is the PIR.
_POWER = re.compile(r"^POWER([1-8]?)$")


def subscriptions(options: AdapterOptions) -> list[str]:
    """Telemetry, command results (RESULT, POWER) and availability of every device."""
    return ["tele/+/SENSOR", "stat/+/+", "tele/+/LWT"]


def adapt(msg: VendorMessage, state: SourceState, options: AdapterOptions) -> Outcome:
    """`SwitchN` and `POWERn` ON/OFF to presence events, on transitions only."""
    parts = msg.topic.split("/")
    if len(parts) == 3 and parts[0] == "stat" and _POWER.match(parts[2]):
        # stat/<topic>/POWER carries the bare state: "ON" / "OFF".
        data: dict[str, Any] = {parts[2]: text(msg.payload)}
    elif len(parts) == 3 and (parts[0], parts[2]) in (("tele", "SENSOR"), ("stat", "RESULT")):
        data = load_object(msg.payload)
    else:
        if len(parts) == 3 and parts[0] == "tele" and parts[2] == "LWT":
            text(msg.payload)  # availability only; the hub learns liveness from our heartbeat
        return unchanged(state)  # STATUS answers and other command results
    observed_at, source = _observed(data.get("Time"), msg.received_at, options.timezone)
    events: list[CanonicalEvent] = []
    for key, value in data.items():
        native = _native(parts[1], key)
        if native is None:
            continue
        occupied = as_bool(value.get("Action") if isinstance(value, dict) else value)
        if occupied is None:
            raise AdapterError(f"{key} is neither ON nor OFF")
        event = CanonicalEvent(
            device_id=device_id_for(PREFIX, native), kind="presence", occupied=occupied,
            people_count=None, observed_at=observed_at, observed_at_source=source,
            adapter=NAME, raw=raw_of(msg), vendor_topic=msg.topic,
        )
        outcome = on_change(state, event)
        events.extend(outcome.events)
        state = outcome.state
    return Outcome(tuple(events), state)


def _native(topic: str, key: str) -> str | None:
    """The device a SwitchN or POWERn key speaks for (1 is the device itself)."""
    switch, power = _SWITCH.match(key), _POWER.match(key)
    if switch is not None:
        number = int(switch.group(1))
        return topic if number == 1 else f"{topic}-switch{number}"
    if power is not None:
        return f"{topic}-power{power.group(1) or '1'}"
    return None


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise AdapterError(f"unknown time zone {name!r}") from None


def local_to_utc(value: str, zone_name: str) -> datetime | None:
    """Tasmota's `Time` in UTC: with an offset as given, without one in `zone_name`.

    A local time inside the autumn fall-back hour (or the spring gap) is ambiguous: None.
    """
    with_offset = parse_instant(value)
    if with_offset is not None:
        return with_offset
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return None
    zone = _zone(zone_name)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        return None
    return parse_instant(first.isoformat())


def _observed(value: Any, received_at: datetime, zone_name: str) -> tuple[datetime, TimeSource]:
    device_time = local_to_utc(value, zone_name) if isinstance(value, str) else None
    return pick_time(device_time, received_at)


ADAPTER = Adapter(name=NAME, adapt=adapt, transport="mqtt", subscriptions=subscriptions)
