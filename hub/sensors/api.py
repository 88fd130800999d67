"""API: sensor devices and gateways with their health (facility and admin)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from hub.accounts.roles import FACILITY_ROLES
from hub.apiauth import roles_required
from hub.sensors import queries
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
        devices = [{"device_id": r["device"].device_id, "gateway_id": r["device"].gateway_id,
                    "resource": r["resource"], "kind": r["device"].kind,
                    "sensor_type": r["device"].sensor_type,
                    "last_seen": rfc3339(r["device"].last_seen),
                    "battery_pct": r["device"].battery_pct,
                    "link_quality": r["device"].link_quality, "online": r["online"]}
                   for r in queries.device_rows(now)]
        gateways = [{"gateway_id": r["gateway"].gateway_id, "state": r["state"],
                     "last_heartbeat": rfc3339(r["gateway"].last_heartbeat),
                     "queue_depth": r["gateway"].queue_depth}
                    for r in queries.gateway_rows(now)]
        return {"devices": devices, "gateways": gateways}
