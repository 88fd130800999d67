"""Gateways and devices: liveness from status and heartbeats, and device assignments."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from hub.building.models import Resource
from hub.db import transactional
from hub.errors import InvalidInput, NotFound
from hub.extensions import db
from hub.sensors.contract import GatewayStatus, Heartbeat
from hub.sensors.models import Device, DeviceAssignment, Gateway, GatewayOutage
from hub.sensors.rules import HEARTBEAT_INTERVAL, MISSED_HEARTBEATS, SENSOR_TYPES, gateway_online


def _gateway(gateway_id: str) -> Gateway:
    gw = db.session.get(Gateway, gateway_id)
    if gw is None:
        gw = Gateway(gateway_id=gateway_id, state="unknown")
        db.session.add(gw)
    return gw


def _open_outage(gateway_id: str, start: datetime, reason: str) -> None:
    open_one = db.session.scalar(select(GatewayOutage).where(
        GatewayOutage.gateway_id == gateway_id, GatewayOutage.end.is_(None)))
    if open_one is None:
        db.session.add(GatewayOutage(gateway_id=gateway_id, start=start, reason=reason))


def _close_outage(gateway_id: str, end: datetime) -> None:
    for outage in db.session.scalars(select(GatewayOutage).where(
            GatewayOutage.gateway_id == gateway_id, GatewayOutage.end.is_(None))):
        outage.end = max(end, outage.start)


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
            _open_outage(gw.gateway_id, _offline_since(gw, received_at), "offline")
        gw.state = "offline"
    else:
        if gw.state == "online" and gw.session == status.session:
            return  # the retained birth again, after our own reconnect: a snapshot
        gw.state, gw.session = "online", status.session
        gw.since = status.since or received_at
        gw.version = status.version
        _close_outage(gw.gateway_id, received_at)
    gw.updated_at = received_at


def apply_heartbeat(beat: Heartbeat, received_at: datetime) -> None:
    gw = _gateway(beat.gateway_id)
    gw.last_heartbeat, gw.heartbeat_seq = received_at, beat.seq
    gw.queue_depth = beat.queue_depth
    if gw.state == "unknown" or (gw.state == "online" and beat.session != gw.session):
        # Heartbeats before (or without) a birth we saw: the gateway is evidently up.
        gw.state, gw.session = "online", beat.session
    if gw.state == "online":
        _close_outage(gw.gateway_id, received_at)
    gw.updated_at = received_at


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
            _open_outage(gw.gateway_id, start, "stale")
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
