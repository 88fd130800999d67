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


def subscriptions(options: AdapterOptions) -> list[str]:
    """Telemetry, command results and availability of every Tasmota device."""
    return ["tele/+/SENSOR", "stat/+/RESULT", "tele/+/LWT"]


def adapt(msg: VendorMessage, state: SourceState, options: AdapterOptions) -> Outcome:
    """`SwitchN` ON/OFF to presence events, on transitions only."""
    parts = msg.topic.split("/")
    if len(parts) != 3 or (parts[0], parts[2]) not in (("tele", "SENSOR"), ("stat", "RESULT")):
        if len(parts) == 3 and parts[0] == "tele" and parts[2] == "LWT":
            text(msg.payload)  # availability only; the hub learns liveness from our heartbeat
        return unchanged(state)
    data = load_object(msg.payload)
    observed_at, source = _observed(data.get("Time"), msg.received_at, options.timezone)
    events: list[CanonicalEvent] = []
    for key, value in data.items():
        match = _SWITCH.match(key)
        if match is None:
            continue
        occupied = as_bool(value.get("Action") if isinstance(value, dict) else value)
        if occupied is None:
            raise AdapterError(f"{key} is neither ON nor OFF")
        number = int(match.group(1))
        native = parts[1] if number == 1 else f"{parts[1]}-switch{number}"
        event = CanonicalEvent(
            device_id=device_id_for(PREFIX, native), kind="presence", occupied=occupied,
            people_count=None, observed_at=observed_at, observed_at_source=source,
            adapter=NAME, raw=raw_of(msg), vendor_topic=msg.topic,
        )
        outcome = on_change(state, event)
        events.extend(outcome.events)
        state = outcome.state
    return Outcome(tuple(events), state)


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
