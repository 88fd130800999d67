"""Storing a batch of MQTT messages: events once by event_id, devices, gateways, rejects.

The worker calls `store_batch` with whatever arrived in the last ~200 ms and commits once,
so a burst of thousands of events per second costs a handful of transactions.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub.db import transactional
from hub.extensions import db
from hub.sensors import contract
from hub.sensors.contract import InvalidMessage, SensorEvent
from hub.sensors.models import Device, IngestReject, SensorEventRecord
from hub.sensors.registry import apply_heartbeat, apply_status, cover_outages
from hub.sensors.rules import default_sensor_type

log = logging.getLogger("hub.sensors.ingest")


@dataclass(frozen=True, slots=True)
class Incoming:
    topic: str
    payload: bytes
    received_at: datetime


@dataclass
class BatchResult:
    events: int = 0
    rejected: Counter[str] = field(default_factory=Counter)


_INSERT = ("INSERT INTO sensor_events (event_id, gateway_id, device_id, kind, occupied, "
           "people_count, observed_at, observed_trusted, received_at, seq) VALUES "
           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING")
Row = tuple[object, ...]


def _insert(dialect: str):  # type: ignore[no-untyped-def]
    """The ORM insert (the demo history uses it; the ingest path below is leaner)."""
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(SensorEventRecord.__table__)


def _sqlite_time(moment: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores (naive UTC), so queries compare alike."""
    u = moment.astimezone(UTC)
    return (f"{u.year:04d}-{u.month:02d}-{u.day:02d} {u.hour:02d}:{u.minute:02d}:"
            f"{u.second:02d}.{u.microsecond:06d}")


def _event_row(e: SensorEvent, received_at: datetime, sqlite: bool) -> Row:
    observed: object = _sqlite_time(e.observed_at) if sqlite else e.observed_at
    received: object = _sqlite_time(received_at) if sqlite else received_at
    return (e.event_id, e.gateway_id, e.device_id, e.kind, bool(e.occupied), e.people_count,
            observed, e.observed_at_trusted, received, e.seq)


def _insert_events(events: list[tuple[SensorEvent, datetime]]) -> None:
    """One executemany on the driver: the ORM's per-row parameter and type processing cost
    more than parsing and storing together (bench/ingest.py)."""
    if not events:
        return
    sqlite = db.engine.dialect.name == "sqlite"
    sql = _INSERT if sqlite else _INSERT.replace("?", "%s")  # the drivers' paramstyles
    db.session.connection().exec_driver_sql(
        sql, [_event_row(e, received, sqlite) for e, received in events])


@dataclass
class _DeviceNews:
    """What one batch says about one device, folded so each device is touched once."""

    latest: SensorEvent
    last_seen: datetime
    last_occupied_at: datetime | None
    battery_pct: int | None = None
    link_quality: int | None = None


def _fold(events: list[tuple[SensorEvent, datetime]]) -> dict[str, _DeviceNews]:
    news: dict[str, _DeviceNews] = {}
    for e, received_at in sorted(events, key=lambda pair: pair[0].observed_at):
        n = news.get(e.device_id)
        if n is None:
            n = news[e.device_id] = _DeviceNews(e, received_at, None)
        n.latest, n.last_seen = e, max(n.last_seen, received_at)
        if e.occupied:
            n.last_occupied_at = e.observed_at
        n.battery_pct = e.battery_pct if e.battery_pct is not None else n.battery_pct
        n.link_quality = e.link_quality if e.link_quality is not None else n.link_quality
    return news


def _touch_device(device: Device, n: _DeviceNews) -> None:
    e = n.latest
    device.gateway_id, device.kind = e.gateway_id, e.kind
    device.adapter = e.adapter or device.adapter
    device.model = e.model or device.model
    device.last_seen = max(filter(None, (device.last_seen, n.last_seen)))
    device.first_seen = device.first_seen or n.last_seen
    # A repeated 'vacant' (a bridge re-announcing after a restart) is no transition: it must
    # not move the moment of vacancy, which stands for the last detection plus the timeout.
    repeat_vacant = (e.occupied is False and device.last_state is False
                     and n.last_occupied_at is None)
    # Redelivered or replayed events can arrive late: only a newer observation moves state.
    if repeat_vacant:
        pass
    elif device.last_state_at is None or e.observed_at >= device.last_state_at:
        device.last_state, device.last_state_at = e.occupied, e.observed_at
        device.people_count = e.people_count
        if n.battery_pct is not None:
            device.battery_pct = n.battery_pct
        if n.link_quality is not None:
            device.link_quality = n.link_quality
        if e.vendor_timeout_s is not None:  # the vendor's own report wins over a guess
            device.vendor_timeout_s = e.vendor_timeout_s
    if n.last_occupied_at is not None and (device.last_occupied_at is None or
                                           n.last_occupied_at > device.last_occupied_at):
        device.last_occupied_at = n.last_occupied_at


def _update_devices(events: list[tuple[SensorEvent, datetime]]) -> None:
    news = _fold(events)
    known = {d.device_id: d for d in db.session.scalars(
        select(Device).where(Device.device_id.in_(list(news))))}
    for device_id, n in news.items():
        device = known.get(device_id)
        if device is None:
            # Unknown so far: listed as "unassigned" in the facility pages, events kept.
            device = Device(device_id=device_id, kind=n.latest.kind,
                            sensor_type=n.latest.sensor_type
                            or default_sensor_type(n.latest.kind))
            db.session.add(device)
        _touch_device(device, n)


def _count_rejects(rejects: list[tuple[InvalidMessage, Incoming]], now: datetime) -> None:
    by_reason: dict[str, tuple[int, Incoming]] = {}
    for exc, item in rejects:
        n, _ = by_reason.get(exc.reason, (0, item))
        by_reason[exc.reason] = (n + 1, item)
    for reason, (n, item) in by_reason.items():
        row = db.session.get(IngestReject, reason[:64])
        if row is None:
            row = IngestReject(reason=reason[:64], count=0)
            db.session.add(row)
        row.count += n
        row.last_at, row.last_topic = now, item.topic[:300]
        row.last_excerpt = contract.excerpt(item.payload)


def _classify(items: list[Incoming], prefix: str, result: BatchResult,
              rejects: list[tuple[InvalidMessage, Incoming]]) -> list[tuple[SensorEvent, datetime]]:
    events: dict[str, tuple[SensorEvent, datetime]] = {}
    for item in items:
        try:
            # Events are nearly all the traffic: parse_event checks their topic itself.
            kind = "event" if item.topic.endswith("/event") else \
                contract.parse_topic(item.topic, prefix).kind
            if kind == "event":
                event = contract.parse_event(item.topic, item.payload, item.received_at, prefix)
                events.setdefault(event.event_id, (event, item.received_at))
            elif kind == "status":
                apply_status(contract.parse_status(item.topic, item.payload, prefix),
                             item.received_at)
            else:
                apply_heartbeat(contract.parse_heartbeat(item.topic, item.payload, prefix),
                                item.received_at)
        except InvalidMessage as exc:
            result.rejected[exc.reason] += 1
            rejects.append((exc, item))
            log.warning("invalid message (%s) on %s: %s", exc.reason, item.topic[:200],
                        contract.excerpt(item.payload))
    return list(events.values())


@transactional
def store_batch(items: list[Incoming], *, prefix: str, now: datetime) -> BatchResult:
    """Validate and store one batch in one transaction (the caller acknowledges after)."""
    result = BatchResult()
    rejects: list[tuple[InvalidMessage, Incoming]] = []
    events = _classify(items, prefix, result, rejects)
    _insert_events(events)
    if events:
        _update_devices(events)
        cover_outages(events)
    if rejects:
        _count_rejects(rejects, now)
    result.events = len(events)
    return result
