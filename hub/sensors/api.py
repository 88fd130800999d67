"""API: sensor devices and gateways with their health (facility and admin)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from hub.accounts.roles import FACILITY_ROLES
from hub.accounts.services import actor_label
from hub.apiauth import api_user, roles_required
from hub.apiutil import Moment
from hub.building.models import Resource
from hub.errors import InvalidInput
from hub.extensions import db
from hub.sensors import queries
from hub.sensors.assignments import Actor, assign_device
from hub.sensors.timeparse import parse_from
from hub.timeutil import rfc3339, utcnow

blp = Blueprint("sensors_api", __name__, description="Occupancy sensors and gateways")


class DeviceSchema(Schema):
    device_id = fields.Str()
    gateway_id = fields.Str(allow_none=True)
    resource = fields.Str(allow_none=True, metadata={"description": "slug; null: unassigned"})
    kind = fields.Str()
    sensor_type = fields.Str()
    last_seen = fields.Str(allow_none=True)
    battery_pct = fields.Int(allow_none=True)
    link_quality = fields.Int(allow_none=True)
    online = fields.Bool()
    model = fields.Str(allow_none=True)
    state = fields.Str(metadata={"enum": ["occupied", "free", "unknown"]})
    vendor_timeout_s = fields.Int(metadata={"description": "the device's own timeout"})
    vendor_timeout_source = fields.Str(
        metadata={"enum": ["reported", "device", "model", "default"]})


class GatewaySchema(Schema):
    gateway_id = fields.Str()
    state = fields.Str(metadata={"enum": ["online", "offline", "stale", "unknown"]})
    last_heartbeat = fields.Str(allow_none=True)
    queue_depth = fields.Int(allow_none=True)


class SensorsSchema(Schema):
    devices = fields.List(fields.Nested(DeviceSchema))
    gateways = fields.List(fields.Nested(GatewaySchema))


@blp.route("/sensors")
class Sensors(MethodView):
    @roles_required(*FACILITY_ROLES)
    @blp.response(200, SensorsSchema)
    def get(self) -> dict[str, Any]:
        """Every device (unassigned ones with resource null) and every gateway."""
        now = utcnow()
        devices = [_device(r) for r in queries.device_rows(now)]
        gateways = [{"gateway_id": r["gateway"].gateway_id, "state": r["state"],
                     "last_heartbeat": rfc3339(r["gateway"].last_heartbeat),
                     "queue_depth": r["gateway"].queue_depth}
                    for r in queries.gateway_rows(now)]
        return {"devices": devices, "gateways": gateways}


def _device(r: dict[str, Any]) -> dict[str, Any]:
    d = r["device"]
    return {"device_id": d.device_id, "gateway_id": d.gateway_id, "resource": r["resource"],
            "kind": d.kind, "sensor_type": d.sensor_type, "last_seen": rfc3339(d.last_seen),
            "battery_pct": d.battery_pct, "link_quality": d.link_quality,
            "online": r["online"], "model": d.model, "state": r["state"],
            "vendor_timeout_s": r["timeout_s"], "vendor_timeout_source": r["timeout_source"]}


class AssignmentSchema(Schema):
    resource = fields.Str(required=True, allow_none=True,
                          metadata={"description": "slug or id; null: assigned to nothing"})
    from_ = Moment(data_key="from", load_default=None, allow_none=True, metadata={
        "description": "a local date (midnight) or an RFC 3339 instant; default now"})


class AssignmentOutSchema(Schema):
    device_id = fields.Str()
    resource = fields.Str(allow_none=True)
    valid_from = fields.Str()


@blp.route("/sensors/<device_id>/assignment")
class Assignment(MethodView):
    @roles_required(*FACILITY_ROLES)
    @blp.arguments(AssignmentSchema)
    @blp.response(200, AssignmentOutSchema)
    def post(self, body: dict[str, Any], device_id: str) -> dict[str, Any]:
        """Assign the device to a resource from a moment on (the earlier period ends then)."""
        now = utcnow()
        valid_from = parse_from(body.get("from_"), now,
                                current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam"))
        if valid_from is None:
            raise InvalidInput(_("Give a date YYYY-MM-DD or a time with its offset."),
                               details={"field": "from"})
        user = api_user()
        made = assign_device(device_id, body["resource"], valid_from=valid_from,
                             actor=Actor(user.id, actor_label(user.id), "api"), now=now)
        resource = db.session.get(Resource, made.resource_id) if made else None
        return {"device_id": device_id[:64], "resource": resource.slug if resource else None,
                "valid_from": rfc3339(made.valid_from if made else valid_from)}
