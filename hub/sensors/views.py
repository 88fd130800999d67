"""Facility pages: every sensor in one table with its state now, and a separate page to
assign one to a resource (with a start date) and set its hold and vendor timeout."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from hub.accounts.roles import FACILITY_ROLES
from hub.accounts.views import role_required
from hub.building.forms import KIND_LABELS
from hub.building.models import Resource
from hub.errors import HubError, InvalidInput
from hub.extensions import db
from hub.sensors import queries
from hub.sensors.assignments import Actor, save_device
from hub.sensors.models import BridgeUnsupported, Device, IngestReject
from hub.sensors.rules import SENSOR_TYPES
from hub.sensors.timeparse import parse_from
from hub.timeutil import local, parse_typed_date, utcnow

bp = Blueprint("sensors", __name__, url_prefix="/facility/sensors")
TYPE_LABELS = {"pir": _l("motion (PIR)"), "radar": _l("presence radar"),
               "counter": _l("people counter")}
SENSOR_KIND_LABELS = {"presence": _l("presence"), "motion": _l("motion"),
                      "count": _l("people count")}
STATE_LABELS = {"occupied": _l("occupied"), "free": _l("free"), "unknown": _l("unknown")}
TIMEOUT_SOURCES = {"reported": _l("reported by the device"), "device": _l("set for this sensor"),
                   "model": _l("set for its model"), "default": _l("default")}
UNSUPPORTED_LABELS = {
    "unsupported_model": _l("model or message not supported"),
    "non_occupancy_class": _l("not an occupancy sensor (door, window, smoke...)"),
    "undecodable_frame": _l("frame could not be decoded"),
    "unsupported_event": _l("event not supported"),
    "malformed": _l("malformed vendor message"),
    "internal_error": _l("bridge error"),
}


@bp.app_context_processor
def _links() -> dict[str, Any]:
    return {"facility_links": [{"url": url_for("sensors.index"), "label": _("Sensors")}]}


def _labels() -> dict[str, Any]:
    return {"type_labels": TYPE_LABELS, "sensor_kind_labels": SENSOR_KIND_LABELS,
            "state_labels": STATE_LABELS, "resource_kind_labels": KIND_LABELS,
            "timeout_sources": TIMEOUT_SOURCES, "unsupported_labels": UNSUPPORTED_LABELS}


@bp.get("/")
@role_required(*FACILITY_ROLES)
def index() -> str:
    now = utcnow()
    devices = queries.device_rows(now)
    rejects = db.session.scalars(select(IngestReject).order_by(IngestReject.reason)).all()
    unsupported = db.session.scalars(select(BridgeUnsupported).order_by(
        BridgeUnsupported.gateway_id, BridgeUnsupported.source, BridgeUnsupported.reason)).all()
    return render_template("sensors/index.html", devices=devices,
                           unassigned=sum(1 for d in devices if d["resource"] is None),
                           gateways=queries.gateway_rows(now), rejects=rejects,
                           unsupported=unsupported, now=now, **_labels())


def _resources() -> list[Resource]:
    return list(db.session.scalars(select(Resource).where(Resource.active.is_(True))
                                   .order_by(Resource.kind, Resource.name)))


@bp.get("/<device_id>/assign")
@role_required(*FACILITY_ROLES)
def assign_form(device_id: str) -> str:
    device = db.session.get(Device, device_id[:64]) or abort(404)
    row = next(r for r in queries.device_rows(utcnow()) if r["device"] is device)
    today = local(utcnow(), current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam")).date()
    return render_template("sensors/assign.html", row=row, device=device,
                           resources=_resources(), sensor_types=SENSOR_TYPES,
                           today=today.isoformat(), **_labels())


def _number(name: str, scale: int, low: int, high: int, advice: str) -> int | None:
    """A whole number of seconds from a form field in units of `scale` seconds."""
    raw = (request.form.get(name) or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = int(float(raw) * scale)
    except (ValueError, OverflowError):  # ValueError: "nan", "x"; OverflowError: "inf"
        raise InvalidInput(advice) from None
    if not low <= value <= high:
        raise InvalidInput(advice)
    return value


@bp.post("/<device_id>/assign")
@role_required(*FACILITY_ROLES)
def assign(device_id: str) -> Any:
    now = utcnow()
    actor = Actor(current_user.id, current_user.email, "web")
    resource = request.form.get("resource") or None
    try:
        typed = request.form.get("from")
        day = parse_typed_date(typed)  # dd-mm-jjjj as the form asks, or ISO
        valid_from = parse_from(day.isoformat() if day else typed, now,
                                current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam"))
        if valid_from is None:
            raise InvalidInput(_("Give the start as a date."))
        hold_s = _number("hold_min", 60, 60, 240 * 60,
                         _("Hold time: give minutes between 1 and 240, or leave it empty."))
        timeout_s = _number("timeout_s", 1, 1, 4 * 3600,
                            _("Vendor timeout: give seconds between 1 and 14400, or leave "
                              "it empty."))
        save_device(device_id, resource, valid_from=valid_from,
                    sensor_type=request.form.get("sensor_type") or None, hold_s=hold_s,
                    timeout_s=timeout_s, actor=actor, now=now)
    except HubError as exc:
        flash(exc.message, "error")
        return redirect(url_for("sensors.assign_form", device_id=device_id[:64]))
    flash(_("Sensor %(device)s saved.", device=device_id[:64]), "success")
    return redirect(url_for("sensors.index"))
