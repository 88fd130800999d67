"""`serial`: a line protocol for simple sensor firmware on a USB serial port.

One reading per line, ASCII, at most 256 bytes, ending in LF (CR LF accepted)::

    <device> <kind> <value> [bat=<0..100>] [t=<RFC 3339 time with offset>]

`device` is 1..48 of ``[A-Za-z0-9_-]``; `kind` is presence, motion or count; `value` is
0/1 (also ON/OFF) for presence and motion, a whole number of people for count. Lines that
start with ``#`` (firmware log output) and empty lines are ignored. Example::

    desk-12 presence 1 bat=87
    room_214 count 4 t=2026-03-30T07:02:11Z
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import cast

from firmware_bridge.adapters.base import (
    Adapter,
    AdapterError,
    AdapterOptions,
    Outcome,
    SourceState,
    VendorMessage,
    as_bool,
    battery,
    on_change,
    parse_instant,
    pick_time,
    raw_of,
    unchanged,
)
from firmware_bridge.events import CanonicalEvent, Kind, device_id_for

NAME = "serial"
PREFIX = "serial"
MAX_LINE = 256
_DEVICE = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
_KINDS: tuple[Kind, ...] = ("presence", "motion", "count")


def subscriptions(options: AdapterOptions) -> list[str]:
    """A serial source subscribes to nothing; it reads lines."""
    return []


def adapt(msg: VendorMessage, state: SourceState, options: AdapterOptions) -> Outcome:
    """One line of the protocol to at most one event; repeated states are dropped."""
    if len(msg.payload) > MAX_LINE:
        raise AdapterError(f"line longer than {MAX_LINE} bytes")
    try:
        line = msg.payload.decode("ascii").strip()
    except UnicodeDecodeError:
        raise AdapterError("line is not ASCII") from None
    if not line or line.startswith("#"):
        return unchanged(state)
    fields = line.split()
    if len(fields) < 3:
        raise AdapterError("expected `<device> <kind> <value> [key=value ...]`")
    name, kind, value = fields[0], fields[1].lower(), fields[2]
    if not _DEVICE.match(name):
        raise AdapterError("device must be 1..48 letters, digits, '-' or '_'")
    if kind not in _KINDS:
        raise AdapterError("kind must be presence, motion or count")
    options_map = _options(fields[3:])
    device_id = device_id_for(PREFIX, name)
    observed_at, source = pick_time(parse_instant(options_map.get("t")), msg.received_at)
    pct = battery(int(options_map["bat"])) if options_map.get("bat", "").isdigit() else None

    def make(occupied: bool | None = None, people: int | None = None) -> CanonicalEvent:
        return CanonicalEvent(
            device_id=device_id, kind=cast(Kind, kind), occupied=occupied,
            people_count=people, observed_at=observed_at, observed_at_source=source,
            adapter=NAME, battery_pct=pct, raw=raw_of(msg), vendor_topic=msg.topic,
        )

    if kind == "count":
        return _count(state, device_id, value, make)
    occupied = as_bool(value)
    if occupied is None:
        raise AdapterError("value must be 0 or 1 (or ON/OFF)")
    if kind == "motion" and occupied:  # every detection is news
        last = state.device(device_id)
        return Outcome((make(True),), state.with_device(device_id, replace(last, occupied=True)))
    return on_change(state, make(occupied))


def _options(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep or not key:
            raise AdapterError(f"expected key=value, got {pair[:20]!r}")
        out[key] = val
    return out


def _count(
    state: SourceState, device_id: str, value: str, make: Callable[..., CanonicalEvent]
) -> Outcome:
    if not value.isdigit() or int(value) > 100_000:
        raise AdapterError("count must be a whole number 0..100000")
    people = int(value)
    last = state.device(device_id)
    if last.people_count == people:
        return unchanged(state)
    event = make(people=people)
    return Outcome((event,), state.with_device(device_id, replace(last, people_count=people)))


ADAPTER = Adapter(name=NAME, adapt=adapt, transport="serial", subscriptions=subscriptions)
