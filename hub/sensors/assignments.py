"""Use cases of the device registry: assign a device to a resource for a validity period,
and set a vendor timeout per device or model. Audited; plain values in (`actor_id`, `now`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from hub.audit.services import record
from hub.building.models import Resource
from hub.building.services import resource_by_ref
from hub.db import transactional
from hub.errors import MAX_ID, InvalidInput, NotFound, RuleViolation
from hub.extensions import db
from hub.sensors.models import Device, DeviceAssignment, ModelTimeout
from hub.sensors.rules import SENSOR_TYPES

MAX_TIMEOUT_S = 4 * 3600
MAX_HOLD_S = 4 * 3600


@dataclass(frozen=True)
class Actor:
    """Who changes the registry, for the audit trail."""

    id: int | None
    label: str
    channel: str  # web | api | cli


def _device(device_id: str) -> Device:
    device = db.session.get(Device, device_id[:64])
    if device is None:
        raise NotFound(_("There is no sensor %(device)s.", device=device_id[:64]))
    return device


def _resource(ref: str) -> Resource:
    # An id beyond PostgreSQL's integer names nothing (and must not reach the database).
    if ref.isdigit() and int(ref) > MAX_ID:
        raise NotFound(_("No such resource."))
    return resource_by_ref(ref)


def _latest(device_id: str) -> DeviceAssignment | None:
    return db.session.scalar(select(DeviceAssignment).where(
        DeviceAssignment.device_id == device_id)
        .order_by(DeviceAssignment.valid_from.desc()).limit(1))


def _as_dict(a: DeviceAssignment | None) -> dict[str, object] | None:
    if a is None:
        return None
    return {"resource_id": a.resource_id, "valid_from": a.valid_from.isoformat(),
            "valid_to": a.valid_to.isoformat() if a.valid_to else None}


@transactional
def assign_device(device_id: str, resource_ref: str | None, *, valid_from: datetime,
                  actor: Actor, now: datetime) -> DeviceAssignment | None:
    """The device belongs to `resource_ref` (None: to nothing) from `valid_from` on.

    The registry keeps validity periods: the period before ends at `valid_from`, so events
    stored earlier keep their old place. A start before the latest period's start would
    rewrite history and is refused.
    """
    device = _device(device_id)
    resource = _resource(resource_ref) if resource_ref else None
    latest = _latest(device.device_id)
    if latest is not None and valid_from < latest.valid_from:
        raise RuleViolation(_("The sensor has an assignment from %(start)s on; a new one "
                              "cannot start before it.", start=latest.valid_from.date()),
                            details={"rule": "assignment_order"})
    if latest is not None and latest.valid_to is None and resource is not None \
            and latest.resource_id == resource.id:
        return latest  # already there: nothing to change or record
    if resource is None and (latest is None or (latest.valid_to is not None
                                                and latest.valid_to <= valid_from)):
        return None  # unassigned already
    before = _as_dict(latest)
    if latest is not None and (latest.valid_to is None or latest.valid_to > valid_from):
        latest.valid_to = valid_from
    made = None
    if resource is not None:
        made = DeviceAssignment(device_id=device.device_id, resource_id=resource.id,
                                valid_from=valid_from)
        db.session.add(made)
    record(actor_id=actor.id, actor_label=actor.label, channel=actor.channel,
           action="sensor.assign", entity_type="sensor", entity_id=device.device_id, now=now,
           before={"assignment": before},
           after={"resource": resource.slug if resource else None,
                  "valid_from": valid_from.isoformat()})
    return made


def _seconds(value: int | None, limit: int, what: str) -> int | None:
    if value is not None and not 0 < value <= limit:
        raise InvalidInput(_("%(what)s: give seconds between 1 and %(limit)d, or none.",
                             what=what, limit=limit))
    return value


@transactional
def set_device_settings(device_id: str, *, sensor_type: str | None, hold_s: int | None,
                        timeout_s: int | None, actor: Actor, now: datetime) -> Device:
    """Sensor type, hold time and vendor timeout (used when the vendor reports none)."""
    device = _device(device_id)
    if sensor_type is not None and sensor_type not in SENSOR_TYPES:
        raise InvalidInput(_("Choose a sensor type: %(types)s.", types=", ".join(SENSOR_TYPES)))
    before = {"sensor_type": device.sensor_type, "hold_s": device.hold_s,
              "timeout_set_s": device.timeout_set_s}
    device.sensor_type = sensor_type or device.sensor_type
    device.hold_s = _seconds(hold_s, MAX_HOLD_S, _("Hold time"))
    device.timeout_set_s = _seconds(timeout_s, MAX_TIMEOUT_S, _("Vendor timeout"))
    after = {"sensor_type": device.sensor_type, "hold_s": device.hold_s,
             "timeout_set_s": device.timeout_set_s}
    if after != before:
        record(actor_id=actor.id, actor_label=actor.label, channel=actor.channel,
               action="sensor.settings", entity_type="sensor", entity_id=device.device_id,
               now=now, before=before, after=after)
    return device


@transactional
def set_device_timeout(device_id: str, timeout_s: int | None, *, actor: Actor,
                       now: datetime) -> Device:
    """Only the device's vendor timeout (used when the vendor reports none)."""
    device = _device(device_id)
    return set_device_settings(device.device_id, sensor_type=None, hold_s=device.hold_s,
                               timeout_s=timeout_s, actor=actor, now=now)


@transactional
def set_model_timeout(model: str, timeout_s: int | None, *, actor: Actor,
                      now: datetime) -> None:
    """The vendor timeout of every device of `model` that does not report its own."""
    model = model.strip()[:100]
    if not model:
        raise InvalidInput(_("Name the model."))
    _seconds(timeout_s, MAX_TIMEOUT_S, _("Vendor timeout"))
    row = db.session.get(ModelTimeout, model)
    before = {"timeout_s": row.timeout_s} if row else None
    if timeout_s is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(ModelTimeout(model=model, timeout_s=timeout_s))
    else:
        row.timeout_s = timeout_s
    record(actor_id=actor.id, actor_label=actor.label, channel=actor.channel,
           action="sensor.model_timeout", entity_type="sensor_model", entity_id=model,
           now=now, before=before, after={"timeout_s": timeout_s})


@transactional
def save_device(device_id: str, resource_ref: str | None, *, valid_from: datetime,
                sensor_type: str | None, hold_s: int | None, timeout_s: int | None,
                actor: Actor, now: datetime) -> DeviceAssignment | None:
    """The facility page's one form: settings and assignment in one unit of work."""
    set_device_settings(device_id, sensor_type=sensor_type, hold_s=hold_s,
                        timeout_s=timeout_s, actor=actor, now=now)
    return assign_device(device_id, resource_ref, valid_from=valid_from, actor=actor, now=now)
