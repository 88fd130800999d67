"""What every adapter shares: the message it gets, the state it keeps, the error it raises."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from firmware_bridge.events import CanonicalEvent, Kind, TimeSource, cap_raw

# A device clock further than this from the bridge's clock is not believed.
MAX_CLOCK_SKEW = timedelta(minutes=10)


class AdapterError(ValueError):
    """A vendor message on a topic the adapter handles, but malformed; log it and go on."""


@dataclass(frozen=True, slots=True)
class VendorMessage:
    """One message as it arrived from a vendor system (MQTT or a serial line)."""

    topic: str
    payload: bytes
    received_at: datetime
    retained: bool = False


@dataclass(frozen=True, slots=True)
class AdapterOptions:
    """Per-source settings an adapter needs (from the `[[sources]]` table)."""

    base_topic: str = ""
    timezone: str = "Europe/Amsterdam"
    discovery_prefix: str = "homeassistant"


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """What a vendor's registry says about a device (z2m device list, HA discovery)."""

    native_id: str
    model: str | None = None
    kind: Kind = "presence"
    payload_on: str = "ON"
    payload_off: str = "OFF"
    json_key: str | None = None  # from a `{{ value_json.KEY }}` value_template
    config_topic: str | None = None  # the HA discovery config that announced it
    # A discovery config of another class (door, smoke...): its state topic is no presence.
    ignored_class: str | None = None


@dataclass(frozen=True, slots=True)
class DeviceState:
    """The last state the bridge saw for one device, for transition detection."""

    occupied: bool | None = None
    people_count: int | None = None
    online: bool | None = None
    last_frame: str | None = None  # a LoRaWAN (session, f_cnt) key against duplicate uplinks


@dataclass(frozen=True, slots=True)
class SourceState:
    """Everything an adapter remembers between messages; replaced, never mutated."""

    devices: Mapping[str, DeviceState] = field(default_factory=dict)
    registry: Mapping[str, DeviceInfo] = field(default_factory=dict)
    upstream_online: bool | None = None
    # The vendor's own "no more presence" timeout per native id, where its registry says so
    # (zigbee2mqtt's bridge/info carries per-device `occupancy_timeout` options).
    timeouts: Mapping[str, float] = field(default_factory=dict)

    def device(self, device_id: str) -> DeviceState:
        return self.devices.get(device_id, DeviceState())

    def with_device(self, device_id: str, state: DeviceState) -> SourceState:
        return replace(self, devices={**self.devices, device_id: state})


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an adapter returns: events to publish and the state to keep."""

    events: tuple[CanonicalEvent, ...]
    state: SourceState
    # Why a message on a topic the adapter handles gave nothing it can use (counted per
    # source and reason in the heartbeat): unsupported_model, non_occupancy_class, ...
    unsupported: str | None = None


AdaptFn = Callable[[VendorMessage, SourceState, AdapterOptions], Outcome]


@dataclass(frozen=True, slots=True)
class Adapter:
    """A registered adapter: its pure function and where its messages come from."""

    name: str
    adapt: AdaptFn
    transport: Literal["mqtt", "serial"]
    subscriptions: Callable[[AdapterOptions], list[str]]
    dynamic_subscriptions: Callable[[SourceState], set[str]] = lambda _state: set()
    # Wait (briefly) for a retained message on the first subscription before the others,
    # so that a registry such as zigbee2mqtt's device list is known before device messages.
    prime_first: bool = False


def unchanged(state: SourceState) -> Outcome:
    return Outcome((), state)


def unusable(state: SourceState, reason: str) -> Outcome:
    """Nothing to publish, and the message is counted as unsupported for `reason`."""
    return Outcome((), state, reason)


def load_json(payload: bytes) -> Any:
    """Parse a JSON payload or raise AdapterError."""
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise AdapterError(f"payload is not UTF-8 JSON: {exc}") from None


def load_object(payload: bytes) -> dict[str, Any]:
    """Parse a JSON object payload or raise AdapterError."""
    data = load_json(payload)
    if not isinstance(data, dict):
        raise AdapterError("payload is not a JSON object")
    return data


def text(payload: bytes) -> str:
    """A short text payload, stripped, or AdapterError."""
    try:
        return payload.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise AdapterError("payload is not UTF-8") from None


def parse_online(payload: bytes) -> bool:
    """`online`/`offline` in plain text or as `{"state": ...}` JSON (zigbee2mqtt 2.x)."""
    value: Any = text(payload)
    if value.startswith("{"):
        value = load_object(payload).get("state")
    lowered = str(value).lower()
    if lowered in ("online", "true"):
        return True
    if lowered in ("offline", "false"):
        return False
    raise AdapterError(f"unknown availability payload: {str(value)[:40]!r}")


def parse_instant(value: Any) -> datetime | None:
    """An RFC 3339 string with an offset in UTC, or None when absent or naive."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    cleaned = value.strip().replace("z", "Z")
    if "." in cleaned:  # LoRaWAN servers give nanoseconds; Python takes at most micro.
        head, _, tail = cleaned.partition(".")
        digits = "".join(c for c in tail if c.isdigit())
        cleaned = f"{head}.{digits[:6]}{tail[len(digits):]}"
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def from_epoch(value: Any, *, millis: bool = False) -> datetime | None:
    """Unix seconds (or milliseconds) as a UTC datetime, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000 if millis else value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def pick_time(
    device_time: datetime | None, received_at: datetime, source: TimeSource = "device"
) -> tuple[datetime, TimeSource]:
    """The device's time when it is plausible, else the bridge's receive time."""
    if device_time is not None and abs(device_time - received_at) <= MAX_CLOCK_SKEW:
        return device_time, source
    return received_at, "bridge"


def battery(value: Any) -> int | None:
    """A battery percentage 0..100 or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value or not 0 <= value <= 100:  # NaN or out of range
        return None
    return round(value)


def as_bool(value: Any, on: tuple[str, ...] = ("on", "true", "1")) -> bool | None:
    """True/False from bools, 0/1 and ON/OFF style strings; None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in on:
            return True
        if lowered in ("off", "false", "0"):
            return False
    return None


def on_change(state: SourceState, event: CanonicalEvent) -> Outcome:
    """Emit `event` only when its `occupied` differs from the device's last known state."""
    last = state.device(event.device_id)
    if last.occupied is event.occupied:
        return unchanged(state)
    new_state = state.with_device(event.device_id, replace(last, occupied=event.occupied))
    return Outcome((event,), new_state)


def raw_of(msg: VendorMessage) -> str:
    return cap_raw(msg.payload)
