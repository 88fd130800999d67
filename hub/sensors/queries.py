"""Read side of the sensors, for the board, state_now, check-in, auto-release and insights.

Booking and insights read sensor state only through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from hub.building.models import Resource
from hub.extensions import db
from hub.sensors import rules
from hub.sensors.models import (
    Device,
    DeviceAssignment,
    Gateway,
    GatewayOutage,
    ModelTimeout,
    SensorEventRecord,
)
from hub.sensors.rules import Reading, Session


@dataclass(frozen=True, slots=True)
class Unknown:
    resource_id: int
    start: datetime
    end: datetime


def _assignments(resource_ids: Iterable[int], start: datetime,
                 end: datetime) -> list[DeviceAssignment]:
    return list(db.session.scalars(select(DeviceAssignment).where(
        DeviceAssignment.resource_id.in_(list(resource_ids)),
        DeviceAssignment.valid_from < end,
        or_(DeviceAssignment.valid_to.is_(None), DeviceAssignment.valid_to > start))))


def _gateways_online(now: datetime) -> dict[str, bool]:
    return {g.gateway_id: rules.gateway_online(state=g.state, last_heartbeat=g.last_heartbeat,
                                               since=g.since, now=now)
            for g in db.session.scalars(select(Gateway))}


def model_timeouts() -> dict[str, int]:
    return dict(db.session.execute(select(ModelTimeout.model, ModelTimeout.timeout_s)).all())


def timeout_of(device: Device, models: dict[str, int]) -> tuple[timedelta, str]:
    """The device's own vendor timeout (rules.device_timeout) and its source."""
    return rules.device_timeout(device.sensor_type, reported_s=device.vendor_timeout_s,
                                set_s=device.timeout_set_s,
                                model_s=models.get(device.model or ""))


def device_state(device: Device, resource_kind: str, online: bool, now: datetime,
                 models: dict[str, int]) -> str:
    """occupied / vacant / unknown of one device now."""
    return rules.state_now(
        last_state=device.last_state, last_occupied_at=device.last_occupied_at,
        last_seen=device.last_seen,
        hold=rules.hold_for(device.sensor_type, resource_kind, device.hold_s),
        online=online, now=now, last_state_at=device.last_state_at,
        timeout=timeout_of(device, models)[0])


def presence_now(resource_ids: list[int], now: datetime) -> dict[int, str]:
    """Per resource with a sensor: occupied, vacant or unknown (resources without none)."""
    live = _assignments(resource_ids, now, now + timedelta(microseconds=1))
    if not live:
        return {}
    devices = {d.device_id: d for d in db.session.scalars(
        select(Device).where(Device.device_id.in_([a.device_id for a in live])))}
    kinds = dict(db.session.execute(select(Resource.id, Resource.kind).where(
        Resource.id.in_([a.resource_id for a in live]))).all())
    online = _gateways_online(now)
    models = model_timeouts()
    order = {"vacant": 0, "unknown": 1, "occupied": 2}
    out: dict[int, str] = {}
    for a in live:
        d = devices[a.device_id]
        state = device_state(d, kinds.get(a.resource_id, "room"),
                             online.get(d.gateway_id or "", False), now, models)
        # Two sensors in one room: anyone seen by either means occupied.
        previous = out.get(a.resource_id)
        if previous is None or order[state] > order[previous]:
            out[a.resource_id] = state
    return out


def state_provider(resource_ids: list[int], now: datetime) -> dict[int, str]:
    """For hub.building.queries.state_providers: only what sensors add to free/booked."""
    return {rid: s for rid, s in presence_now(resource_ids, now).items() if s != "vacant"}


def _readings(device_id: str, start: datetime, end: datetime) -> list[Reading]:
    # One reading before the window tells whether someone was already there at its start.
    before = db.session.execute(
        select(SensorEventRecord.observed_at, SensorEventRecord.occupied,
               SensorEventRecord.people_count)
        .where(SensorEventRecord.device_id == device_id, SensorEventRecord.observed_at < start)
        .order_by(SensorEventRecord.observed_at.desc()).limit(1)).all()
    rows = db.session.execute(
        select(SensorEventRecord.observed_at, SensorEventRecord.occupied,
               SensorEventRecord.people_count)
        .where(SensorEventRecord.device_id == device_id,
               SensorEventRecord.observed_at >= start, SensorEventRecord.observed_at < end)
        .order_by(SensorEventRecord.observed_at)).all()
    return [Reading(at, occ, people) for at, occ, people in [*before, *rows]]


def sessions(resource_ids: list[int], start: datetime, end: datetime,
             *, include_walk_throughs: bool = False) -> list[Session]:
    """Presence sessions overlapping [start, end), cut to it; walk-throughs only if asked."""
    kinds = dict(db.session.execute(select(Resource.id, Resource.kind).where(
        Resource.id.in_(resource_ids))).all())
    out: list[Session] = []
    models = model_timeouts()
    for a in _assignments(resource_ids, start, end):
        device = db.session.get(Device, a.device_id)
        if device is None:
            continue
        hold = rules.hold_for(device.sensor_type, kinds.get(a.resource_id, "room"), device.hold_s)
        lo, hi = max(start, a.valid_from), min(end, a.valid_to or end)
        found = rules.sessions_from(a.resource_id, _readings(a.device_id, lo - hold, hi), hold,
                                    until=min(hi, device.last_seen or hi),
                                    timeout=timeout_of(device, models)[0])
        out.extend(s for s in rules.clip(found, lo, hi)
                   if include_walk_throughs or not s.walk_through)
    return sorted(out, key=lambda s: (s.resource_id, s.start))


def presence_between(resource_id: int, start: datetime, end: datetime) -> bool:
    """Was anyone seen in [start, end)? (no-show rule, auto-release); walk-throughs count."""
    return bool(sessions([resource_id], start, end, include_walk_throughs=True))


def unknown_intervals(resource_ids: list[int], start: datetime, end: datetime) -> list[Unknown]:
    """Times a resource's sensor or gateway was offline: neither occupied nor vacant."""
    out: list[Unknown] = []
    for a in _assignments(resource_ids, start, end):
        device = db.session.get(Device, a.device_id)
        lo, hi = max(start, a.valid_from), min(end, a.valid_to or end)
        if device is None or device.gateway_id is None:
            out.append(Unknown(a.resource_id, lo, hi))
            continue
        outages = db.session.scalars(select(GatewayOutage).where(
            GatewayOutage.gateway_id == device.gateway_id, GatewayOutage.start < hi,
            or_(GatewayOutage.end.is_(None), GatewayOutage.end > lo)))
        # A link outage the outbox delivered shrinks to nothing: that time is known.
        out.extend(Unknown(a.resource_id, max(o.start, lo), min(o.end or hi, hi))
                   for o in outages if o.end is None or o.end > o.start)
        if device.last_seen is None or device.last_seen + rules.DEVICE_STALE_AFTER < hi:
            stale_from = (device.last_seen + rules.DEVICE_STALE_AFTER) if device.last_seen else lo
            if stale_from < hi:
                out.append(Unknown(a.resource_id, max(stale_from, lo), hi))
    return sorted(out, key=lambda u: (u.resource_id, u.start))


def device_rows(now: datetime) -> list[dict[str, object]]:
    """Every device with the resource it is assigned to now (None: unassigned), its state
    now (occupied, free or unknown), its vendor timeout and health."""
    online = _gateways_online(now)
    current = {a.device_id: r for a, r in db.session.execute(
        select(DeviceAssignment, Resource).join(
            Resource, and_(Resource.id == DeviceAssignment.resource_id))
        .where(DeviceAssignment.valid_from <= now,
               or_(DeviceAssignment.valid_to.is_(None), DeviceAssignment.valid_to > now))
    ).all()}
    models = model_timeouts()
    rows: list[dict[str, object]] = []
    for d in db.session.scalars(select(Device).order_by(Device.device_id)):
        fresh = d.last_seen is not None and now - d.last_seen <= rules.DEVICE_STALE_AFTER
        gateway_up = online.get(d.gateway_id or "", False)
        resource = current.get(d.device_id)
        state = device_state(d, resource.kind if resource else "room", gateway_up, now, models)
        timeout, timeout_source = timeout_of(d, models)
        rows.append({"device": d, "resource": resource.slug if resource else None,
                     "resource_obj": resource, "online": bool(fresh and gateway_up),
                     "state": "free" if state == "vacant" else state,
                     "timeout_s": int(timeout.total_seconds()),
                     "timeout_source": timeout_source})
    return rows


def gateway_rows(now: datetime) -> list[dict[str, object]]:
    rows = []
    for g in db.session.scalars(select(Gateway).order_by(Gateway.gateway_id)):
        online = rules.gateway_online(state=g.state, last_heartbeat=g.last_heartbeat,
                                      since=g.since, now=now)
        state = "online" if online else ("stale" if g.state == "online" else g.state)
        rows.append({"gateway": g, "state": state})
    return rows
