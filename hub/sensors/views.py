"""Facility pages: sensor and gateway health at a glance, and assigning devices."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hub.accounts.roles import FACILITY_ROLES
from hub.accounts.views import role_required
from hub.building.models import Resource
from hub.errors import HubError
from hub.extensions import db
from hub.sensors import queries, registry
from hub.sensors.models import IngestReject
from hub.sensors.rules import SENSOR_TYPES
from hub.timeutil import utcnow

bp = Blueprint("sensors", __name__, url_prefix="/facility/sensors")
TYPE_LABELS = {"pir": _l("motion (PIR)"), "radar": _l("presence radar"),
               "counter": _l("people counter")}


@bp.app_context_processor
def _links() -> dict[str, Any]:
    return {"facility_links": [{"url": url_for("sensors.index"), "label": _("Sensors")}]}


@bp.get("/")
@role_required(*FACILITY_ROLES)
def index() -> str:
    now = utcnow()
    devices = queries.device_rows(now)
    unassigned = [d for d in devices if d["resource"] is None]
    resources = db.session.scalars(select(Resource).where(Resource.active.is_(True))
                                   .order_by(Resource.kind, Resource.name)).all()
    rejects = db.session.scalars(select(IngestReject).order_by(IngestReject.reason)).all()
    return render_template("sensors/index.html", devices=devices, unassigned=unassigned,
                           gateways=queries.gateway_rows(now), resources=resources,
                           rejects=rejects, type_labels=TYPE_LABELS,
                           sensor_types=SENSOR_TYPES, now=now)


@bp.post("/<device_id>/assign")
@role_required(*FACILITY_ROLES)
def assign(device_id: str) -> Any:
    resource = request.form.get("resource") or None
    sensor_type = request.form.get("sensor_type") or None
    hold_raw = (request.form.get("hold_min") or "").strip()
    try:
        hold_s = int(float(hold_raw) * 60) if hold_raw else None
        if hold_s is not None and not 0 < hold_s <= 4 * 3600:
            raise ValueError
    except (ValueError, OverflowError):  # OverflowError: "inf", "1e999"
        flash(_("Hold time: give minutes between 1 and 240, or leave it empty."), "error")
        return redirect(url_for("sensors.index"))
    try:
        registry.assign(device_id, resource, now=utcnow(), sensor_type=sensor_type,
                        hold_s=hold_s)
    except HubError as exc:
        flash(exc.message, "error")
        return redirect(url_for("sensors.index"))
    flash(_("Sensor %(device)s saved.", device=device_id), "success")
    return redirect(url_for("sensors.index"))
