"""Gateways and devices: liveness from status and heartbeats, and device assignments."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub.building.models import Resource
from hub.db import transactional
from hub.errors import InvalidInput, NotFound
from hub.extensions import db
from hub.sensors.contract import GatewayStatus, Heartbeat, SensorEvent
from hub.sensors.models import (
    BridgeUnsupported,
    Device,
    DeviceAssignment,
    Gateway,
    GatewayOutage,
)
from hub.sensors.rules import HEARTBEAT_INTERVAL, MISSED_HEARTBEATS, SENSOR_TYPES, gateway_online


def _gateway(gateway_id: str) -> Gateway:
    """The gateway's row, locked until the batch commits. Every worker of a shared
    subscription receives every status and heartbeat (only events are split), so two
    workers apply the same message: the lock makes them take turns, and the checks in
    apply_status/apply_heartbeat make the second one a no-op. (SQLite: the write lock of
    the unit of work already serialises them; FOR UPDATE is left out there.)"""
    if db.session.get(Gateway, gateway_id) is None:
        insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        db.session.execute(insert(Gateway.__table__).values(
            gateway_id=gateway_id, state="unknown").on_conflict_do_nothing())
    gw = db.session.scalar(select(Gateway).where(Gateway.gateway_id == gateway_id)
                           .with_for_update().execution_options(populate_existing=True))
    assert gw is not None
    return gw


def _open_outage(gateway_id: str, start: datetime, reason: str,
                 session: str | None = None) -> None:
    open_one = db.session.scalar(select(GatewayOutage).where(
        GatewayOutage.gateway_id == gateway_id, GatewayOutage.end.is_(None)))
    if open_one is None:
        db.session.add(GatewayOutage(gateway_id=gateway_id, start=start, reason=reason,
                                     session=session))


def _close_outage(gateway_id: str, end: datetime, session: str | None = None) -> None:
    """Close the open outage. Back with the session it went away with, the bridge process
    never stopped: it lost the hub broker only, and its outbox kept every event (a link
    outage, which the outbox's delivery then turns into known time)."""
    for outage in db.session.scalars(select(GatewayOutage).where(
            GatewayOutage.gateway_id == gateway_id, GatewayOutage.end.is_(None))):
        outage.end = max(end, outage.start)
        if session is not None and outage.session == session:
            outage.reason = "link"


def _outbox_delivered(gateway_id: str, session: str | None, received_at: datetime) -> None:
    """A heartbeat of the same session with an empty outbox: every event of the link
    outages before it has reached the hub broker, so their time is known, not unknown."""
    if session is None:
        return
    for outage in db.session.scalars(select(GatewayOutage).where(
            GatewayOutage.gateway_id == gateway_id, GatewayOutage.reason == "link",
            GatewayOutage.session == session, GatewayOutage.end.is_not(None),
            GatewayOutage.end <= received_at, GatewayOutage.start < GatewayOutage.end)):
        outage.start = outage.end  # kept, zero long: the record that it happened


def cover_outages(events: list[tuple[SensorEvent, datetime]]) -> None:
    """Shrink outages by what the outbox delivered: an event a gateway observed inside its
    outage shows the bridge was capturing until then (its outbox replays in order)."""
    latest: dict[str, datetime] = {}
    for e, received_at in events:
        if e.observed_at_trusted and e.observed_at <= received_at:
            latest[e.gateway_id] = max(e.observed_at, latest.get(e.gateway_id, e.observed_at))
    for gateway_id, seen in latest.items():
        for outage in db.session.scalars(select(GatewayOutage).where(
                GatewayOutage.gateway_id == gateway_id, GatewayOutage.start < seen,
                or_(GatewayOutage.end.is_(None), GatewayOutage.end > GatewayOutage.start))):
            outage.start = min(seen, outage.end) if outage.end is not None else seen


def _offline_since(gw: Gateway, received_at: datetime) -> datetime:
    """A retained will read after the hub itself was down can be hours old: the gateway
    was gone no later than three missed heartbeats after its last sign of life."""
    last = max((t for t in (gw.last_heartbeat, gw.since) if t is not None), default=None)
    if last is None:
        return received_at
    return min(received_at, last + HEARTBEAT_INTERVAL * MISSED_HEARTBEATS)


def apply_status(status: GatewayStatus, received_at: datetime) -> None:
    """A birth starts a session; a will or shutdown counts only for the current session."""
    gw = _gateway(status.gateway_id)
    if status.state == "offline":
        if gw.session is not None and status.session != gw.session:
            return  # the Last Will of an older connection, fired after the new birth
        if gw.state != "offline":
            _open_outage(gw.gateway_id, _offline_since(gw, received_at), "offline",
                         status.session)
        gw.state = "offline"
    else:
        if gw.state == "online" and gw.session == status.session:
            return  # the retained birth again, after our own reconnect: a snapshot
        gw.state, gw.session = "online", status.session
        gw.since = status.since or received_at
        gw.version = status.version
        _close_outage(gw.gateway_id, received_at, status.session)
    gw.updated_at = received_at


def apply_heartbeat(beat: Heartbeat, received_at: datetime) -> None:
    gw = _gateway(beat.gateway_id)
    if (gw.session == beat.session and gw.heartbeat_seq is not None and beat.seq is not None
            and beat.seq <= gw.heartbeat_seq):
        return  # applied already by another worker, or an older beat arriving late
    gw.last_heartbeat, gw.heartbeat_seq = received_at, beat.seq
    gw.queue_depth = beat.queue_depth
    if gw.state == "unknown" or (gw.state == "online" and beat.session != gw.session):
        # Heartbeats before (or without) a birth we saw: the gateway is evidently up.
        gw.state, gw.session = "online", beat.session
    if gw.state == "online":
        _close_outage(gw.gateway_id, received_at, beat.session)
        if beat.queue_depth == 0:
            _outbox_delivered(gw.gateway_id, beat.session, received_at)
    if beat.unsupported is not None:
        _store_unsupported(gw.gateway_id, beat.unsupported, received_at)
    gw.updated_at = received_at


def _store_unsupported(gateway_id: str, counts: dict[tuple[str, str], tuple[int, str, str]],
                       received_at: datetime) -> None:
    """The heartbeat's counts (since the bridge started) replace the gateway's earlier ones."""
    rows = {(r.source, r.reason): r for r in db.session.scalars(
        select(BridgeUnsupported).where(BridgeUnsupported.gateway_id == gateway_id))}
    for (source, reason), (count, topic, text) in counts.items():
        row = rows.get((source, reason))
        if row is None:
            row = BridgeUnsupported(gateway_id=gateway_id, source=source, reason=reason)
            db.session.add(row)
        row.count, row.last_topic, row.last_excerpt = count, topic, text
        row.updated_at = received_at


@transactional
def sweep_stale_gateways(now: datetime) -> int:
    """Open an outage for each gateway silent for three heartbeats; returns how many."""
    count = 0
    for gw in db.session.scalars(select(Gateway).where(Gateway.state == "online")):
        if not gateway_online(state=gw.state, last_heartbeat=gw.last_heartbeat,
                              since=gw.since, now=now):
            last = max(t for t in (gw.last_heartbeat, gw.since, now) if t is not None)
            start = min(last, now) if gw.last_heartbeat is None else (
                gw.last_heartbeat + HEARTBEAT_INTERVAL * MISSED_HEARTBEATS)
            _open_outage(gw.gateway_id, start, "stale", gw.session)
            count += 1
    return count


@transactional
def assign(device_id: str, resource_ref: str | None, *, now: datetime,
           sensor_type: str | None = None, hold_s: int | None = None) -> Device:
    """Map a device to a resource from now on (or to none); earlier events keep their place."""
    device = db.session.get(Device, device_id)
    if device is None:
        raise NotFound(_("There is no sensor %(device)s.", device=device_id))
    if sensor_type is not None:
        if sensor_type not in SENSOR_TYPES:
            raise InvalidInput(_("Choose a sensor type: %(types)s.",
                                 types=", ".join(SENSOR_TYPES)))
        device.sensor_type = sensor_type
    device.hold_s = hold_s
    resource = None
    if resource_ref:
        resource = db.session.scalar(select(Resource).where(Resource.slug == resource_ref))
        if resource is None:
            raise NotFound(_("There is no resource %(ref)s.", ref=resource_ref))
    current = current_assignment(device_id)
    if current is not None and resource is not None and current.resource_id == resource.id:
        return device
    if current is not None:
        current.valid_to = now
    if resource is not None:
        db.session.add(DeviceAssignment(device_id=device_id, resource_id=resource.id,
                                        valid_from=now))
    return device


def current_assignment(device_id: str) -> DeviceAssignment | None:
    return db.session.scalar(select(DeviceAssignment).where(
        DeviceAssignment.device_id == device_id, DeviceAssignment.valid_to.is_(None)))


def register_device(device_id: str, *, kind: str, sensor_type: str, now: datetime,
                    gateway_id: str | None = None) -> Device:
    """A device known before it first reports (the demo, or a planned installation)."""
    device = db.session.get(Device, device_id)
    if device is None:
        device = Device(device_id=device_id, kind=kind, sensor_type=sensor_type,
                        gateway_id=gateway_id)
        db.session.add(device)
    return device
