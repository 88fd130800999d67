"""The MQTT contract, version 1 (CONTRACT.md section 6): topics and payloads, parsed purely.

No Flask, no database: the ingest worker, the tests and the contract test call these.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

DEFAULT_PREFIX = "hub/v1"
EVENT_SCHEMA = "hub.occupancy.v1"
STATUS_SCHEMA = "hub.status.v1"
HEARTBEAT_SCHEMA = "hub.heartbeat.v1"
NAME_RE = re.compile(r"^[a-z0-9_-]{1,64}$")
MAX_EVENT_ID = 128
KINDS = ("presence", "motion", "count")
EXCERPT_BYTES = 256
# A device clock further ahead than this is wrong; its time is replaced by the receive time.
MAX_CLOCK_AHEAD = timedelta(minutes=2)


class InvalidMessage(ValueError):
    """A message that breaks the contract; `reason` is a short snake_case counter key."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class SensorEvent:
    event_id: str
    gateway_id: str
    device_id: str
    kind: Literal["presence", "motion", "count"]
    occupied: bool | None
    people_count: int | None
    observed_at: datetime
    observed_at_trusted: bool
    seq: int | None
    battery_pct: int | None
    adapter: str | None
    model: str | None
    link_quality: int | None = None
    # Extra fields a bridge may send (never a reason to refuse): the technology (radars hold
    # differently) and the device's own timeout before it reports vacant.
    sensor_type: str | None = None
    vendor_timeout_s: int | None = None


@dataclass(frozen=True, slots=True)
class GatewayStatus:
    gateway_id: str
    state: Literal["online", "offline"]
    session: str | None
    since: datetime | None
    version: str | None


@dataclass(frozen=True, slots=True)
class Heartbeat:
    gateway_id: str
    session: str | None
    seq: int | None
    sent_at: datetime | None
    queue_depth: int | None
    # {(source, reason): (count, last_topic, last_excerpt)}: what the bridge could not use.
    unsupported: dict[tuple[str, str], tuple[int, str, str]] | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    kind: Literal["status", "heartbeat", "event"]
    gateway_id: str
    device_id: str | None = None


def excerpt(payload: bytes) -> str:
    """At most 256 bytes of a payload, safe to log."""
    return payload[:EXCERPT_BYTES].decode("utf-8", errors="replace")


def event_topic(gateway_id: str, device_id: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}/gw/{gateway_id}/dev/{device_id}/event"


def status_topic(gateway_id: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}/gw/{gateway_id}/status"


def heartbeat_topic(gateway_id: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}/gw/{gateway_id}/heartbeat"


def parse_topic(topic: str, prefix: str = DEFAULT_PREFIX) -> Topic:
    """Split a contract topic into its parts, or raise InvalidMessage."""
    if not topic.startswith(prefix + "/"):
        raise InvalidMessage("bad_topic", f"topic outside {prefix}: {topic[:200]}")
    parts = topic[len(prefix) + 1 :].split("/")
    if len(parts) < 3 or parts[0] != "gw" or not NAME_RE.match(parts[1]):
        raise InvalidMessage("bad_topic", f"not a gateway topic: {topic[:200]}")
    gateway = parts[1]
    if len(parts) == 3 and parts[2] in ("status", "heartbeat"):
        return Topic(parts[2], gateway)  # type: ignore[arg-type]
    if len(parts) == 5 and parts[2] == "dev" and parts[4] == "event":
        if not NAME_RE.match(parts[3]):
            raise InvalidMessage("bad_device_id", f"bad device id in: {topic[:200]}")
        return Topic("event", gateway, parts[3])
    raise InvalidMessage("bad_topic", f"unknown topic: {topic[:200]}")


def _load(payload: bytes) -> dict[str, Any]:
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InvalidMessage("bad_json", f"payload is not UTF-8 JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidMessage("bad_json", "payload is not a JSON object")
    return data


def parse_time(value: Any, field: str) -> datetime:
    """An RFC 3339 instant with an offset (or Z), returned in UTC."""
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidMessage(f"bad_{field}", f"{field} must be an RFC 3339 string")
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise InvalidMessage(f"bad_{field}", f"{field} is not an RFC 3339 instant") from None
    if parsed.tzinfo is None:
        raise InvalidMessage(f"bad_{field}", f"{field} has no offset")
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InvalidMessage(f"bad_{field}", f"{field} is out of range") from None


def _opt_int(data: dict[str, Any], field: str, lo: int, hi: int) -> int | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InvalidMessage(f"bad_{field}", f"{field} must be a whole number {lo}..{hi}")
    return value


def _opt_str(data: dict[str, Any], *path: str) -> str | None:
    value: Any = data
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value[:100] if isinstance(value, str) else None


def _link_quality(data: dict[str, Any]) -> int | None:
    # Not part of the contract: read when a bridge sends it, never a reason to refuse.
    link = data.get("link")
    value = link.get("lqi") if isinstance(link, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 255:
        return None
    return value


SENSOR_TYPES = ("pir", "radar", "counter")
MAX_UNSUPPORTED = 50  # (source, reason) pairs read from one heartbeat


def _sensor_type(data: dict[str, Any]) -> str | None:
    value = data.get("sensor_type")
    return value if value in SENSOR_TYPES else None


def _vendor_timeout(data: dict[str, Any]) -> int | None:
    value = data.get("vendor_timeout_s")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 86_400:
        return None
    return round(value)


def _unsupported(data: dict[str, Any]) -> dict[tuple[str, str], tuple[int, str, str]] | None:
    """The bridge's unsupported counts, read leniently: anything odd is left out."""
    sources = data.get("unsupported")
    if not isinstance(sources, dict):
        return None
    out: dict[tuple[str, str], tuple[int, str, str]] = {}
    for source, reasons in sources.items():
        for reason, entry in (reasons.items() if isinstance(reasons, dict) else ()):
            count = entry.get("count") if isinstance(entry, dict) else None
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                continue
            if len(out) >= MAX_UNSUPPORTED:
                return out
            topic, text = entry.get("last_topic"), entry.get("last_excerpt")
            out[(str(source)[:64], str(reason)[:64])] = (
                min(count, 2**62), topic[:300] if isinstance(topic, str) else "",
                text[:EXCERPT_BYTES] if isinstance(text, str) else "")
    return out


def _observed_at(value: Any, received_at: datetime) -> tuple[datetime, bool]:
    """The device's time when it has one and it is not ahead of ours; else the receive time."""
    received = received_at.astimezone(UTC)
    if value is None:
        return received, False
    observed = parse_time(value, "observed_at")
    if observed > received + MAX_CLOCK_AHEAD:
        # A clock in the future would pin the device's state: no later report is "newer".
        return received, False
    return observed, True


def parse_event(topic: str, payload: bytes, received_at: datetime,
                prefix: str = DEFAULT_PREFIX) -> SensorEvent:
    """Validate a sensor event message against the contract, or raise InvalidMessage."""
    where = parse_topic(topic, prefix)
    if where.kind != "event" or where.device_id is None:
        raise InvalidMessage("bad_topic", "not an event topic")
    data = _load(payload)
    if data.get("schema") != EVENT_SCHEMA:
        raise InvalidMessage("bad_schema", f"schema must be {EVENT_SCHEMA}")
    event_id = data.get("event_id")
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= MAX_EVENT_ID:
        raise InvalidMessage("bad_event_id", "event_id must be a string of 1..128 characters")
    device_id = data.get("device_id")
    if device_id != where.device_id:
        raise InvalidMessage("device_mismatch", "device_id differs from the topic's device")
    kind = data.get("kind")
    if kind not in KINDS:
        raise InvalidMessage("bad_kind", "kind must be presence, motion or count")
    occupied = data.get("occupied")
    people = _opt_int(data, "people_count", 0, 100_000)
    if kind == "count":
        if people is None:
            raise InvalidMessage("missing_people_count", "a count event needs people_count")
        occupied = people > 0
    elif not isinstance(occupied, bool):
        raise InvalidMessage("missing_occupied", f"a {kind} event needs occupied true/false")
    observed_at, trusted = _observed_at(data.get("observed_at"), received_at)
    return SensorEvent(
        event_id=event_id,
        gateway_id=where.gateway_id,
        device_id=where.device_id,
        kind=kind,
        occupied=occupied,
        people_count=people,
        observed_at=observed_at,
        observed_at_trusted=trusted,
        seq=_opt_int(data, "seq", 0, 2**63 - 1),
        battery_pct=_opt_int(data, "battery_pct", 0, 100),
        adapter=_opt_str(data, "source", "adapter"),
        model=_opt_str(data, "source", "model"),
        link_quality=_link_quality(data),
        sensor_type=_sensor_type(data),
        vendor_timeout_s=_vendor_timeout(data),
    )


def _gateway_message(topic: str, payload: bytes, prefix: str, kind: str,
                     schema: str) -> tuple[Topic, dict[str, Any]]:
    where = parse_topic(topic, prefix)
    if where.kind != kind:
        raise InvalidMessage("bad_topic", f"not a {kind} topic")
    data = _load(payload)
    if data.get("schema") != schema:
        raise InvalidMessage("bad_schema", f"schema must be {schema}")
    return where, data


def parse_status(topic: str, payload: bytes, prefix: str = DEFAULT_PREFIX) -> GatewayStatus:
    """A gateway's retained birth / Last Will message."""
    where, data = _gateway_message(topic, payload, prefix, "status", STATUS_SCHEMA)
    state = data.get("state")
    if state not in ("online", "offline"):
        raise InvalidMessage("bad_state", "state must be online or offline")
    since = data.get("since")
    return GatewayStatus(
        gateway_id=where.gateway_id,
        state=state,
        session=_opt_str(data, "session"),
        since=parse_time(since, "since") if since is not None else None,
        version=_opt_str(data, "version"),
    )


def parse_heartbeat(topic: str, payload: bytes, prefix: str = DEFAULT_PREFIX) -> Heartbeat:
    """A gateway's periodic heartbeat."""
    where, data = _gateway_message(topic, payload, prefix, "heartbeat", HEARTBEAT_SCHEMA)
    sent = data.get("sent_at")
    return Heartbeat(
        gateway_id=where.gateway_id,
        session=_opt_str(data, "session"),
        seq=_opt_int(data, "seq", 0, 2**63 - 1),
        sent_at=parse_time(sent, "sent_at") if sent is not None else None,
        queue_depth=_opt_int(data, "queue_depth", 0, 2**31),
        unsupported=_unsupported(data),
    )
