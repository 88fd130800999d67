"""Canonical occupancy events (CONTRACT.md section 6) and their encoding to MQTT messages."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

EVENT_SCHEMA = "hub.occupancy.v1"
STATUS_SCHEMA = "hub.status.v1"
HEARTBEAT_SCHEMA = "hub.heartbeat.v1"
DEFAULT_PREFIX = "hub/v1"
NAME_RE = re.compile(r"^[a-z0-9_-]{1,64}$")
RAW_CAP = 1024
Kind = Literal["presence", "motion", "count"]
TimeSource = Literal["device", "lns", "bridge"]
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True, slots=True)
class CanonicalEvent:
    """One occupancy observation, before the bridge gives it an event_id and a seq."""

    device_id: str
    kind: Kind
    occupied: bool | None
    people_count: int | None
    observed_at: datetime
    adapter: str
    observed_at_source: TimeSource = "bridge"
    battery_pct: int | None = None
    model: str | None = None
    raw: str = ""
    vendor_topic: str | None = None
    # pir | radar | counter when the adapter knows the technology (radars hold differently).
    sensor_type: str | None = None
    # The device's own timeout before it reports "vacant", when the vendor reports it.
    vendor_timeout_s: float | None = None


def new_event_id() -> str:
    """A ULID: 48-bit millisecond time plus 80 random bits, Crockford base32 (26 chars)."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def cap_raw(payload: bytes, limit: int = RAW_CAP) -> str:
    """The vendor payload as text, cut to at most `limit` characters for `source.raw`."""
    return payload[: limit * 4].decode("utf-8", errors="replace")[:limit]


def rfc3339(moment: datetime) -> str:
    """An aware datetime as RFC 3339 UTC with a Z, to the millisecond."""
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sanitize_name(text: str, max_len: int = 64) -> str:
    """Lower-case `text` and replace anything outside [a-z0-9_-] so it fits a topic level."""
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", text.strip().lower()).strip("-") or "unnamed"
    if len(cleaned) <= max_len:
        return cleaned
    # Keep long names distinct: a cut name gets a short digest of the whole one.
    digest = hashlib.sha1(cleaned.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{cleaned[: max_len - 9].rstrip('-')}-{digest}"


def device_id_for(prefix: str, native: str) -> str:
    """`{prefix}-{native id}` as a valid contract name (at most 64 characters)."""
    return sanitize_name(f"{prefix}-{native}")


def event_topic(gateway_id: str, device_id: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}/gw/{gateway_id}/dev/{device_id}/event"


def status_topic(gateway_id: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}/gw/{gateway_id}/status"


def heartbeat_topic(gateway_id: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}/gw/{gateway_id}/heartbeat"


def event_payload(event: CanonicalEvent, *, event_id: str, seq: int) -> dict[str, Any]:
    """The JSON object of a sensor event as CONTRACT.md section 6 describes it."""
    source: dict[str, Any] = {"adapter": event.adapter, "model": event.model, "raw": event.raw}
    if event.vendor_topic:
        source["topic"] = event.vendor_topic[:256]
    extra: dict[str, Any] = {}
    if event.sensor_type:
        extra["sensor_type"] = event.sensor_type
    if event.vendor_timeout_s is not None:
        extra["vendor_timeout_s"] = event.vendor_timeout_s
    return {
        "schema": EVENT_SCHEMA,
        "event_id": event_id,
        "device_id": event.device_id,
        "kind": event.kind,
        "occupied": event.occupied if event.kind != "count" else None,
        "people_count": event.people_count if event.kind == "count" else None,
        "observed_at": rfc3339(event.observed_at),
        "observed_at_source": event.observed_at_source,
        "seq": seq,
        "battery_pct": event.battery_pct,
        "source": source,
        **extra,  # extra fields: the contract lets a hub ignore what it does not know
    }


def encode(
    event: CanonicalEvent, *, gateway_id: str, event_id: str, seq: int,
    prefix: str = DEFAULT_PREFIX,
) -> tuple[str, bytes]:
    """The (topic, payload) pair to publish for one event."""
    body = event_payload(event, event_id=event_id, seq=seq)
    payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return event_topic(gateway_id, event.device_id, prefix), payload


def status_payload(state: str, session: str, since: datetime | None, version: str,
                   reason: str | None = None) -> bytes:
    """A retained birth, Last Will or shutdown status message."""
    body: dict[str, Any] = {"schema": STATUS_SCHEMA, "state": state, "session": session,
                            "since": rfc3339(since) if since else None, "version": version}
    if reason:
        body["reason"] = reason
    return json.dumps(body, separators=(",", ":")).encode()


def heartbeat_payload(session: str, seq: int, sent_at: datetime, queue_depth: int,
                      extra: dict[str, Any] | None = None) -> bytes:
    """A heartbeat message with the outbox depth."""
    body: dict[str, Any] = {"schema": HEARTBEAT_SCHEMA, "session": session, "seq": seq,
                            "sent_at": rfc3339(sent_at), "queue_depth": queue_depth}
    body.update(extra or {})
    return json.dumps(body, separators=(",", ":")).encode()
