"""Kiosk API (CONTRACT.md section 2): scan, walk-in, the kiosk's heartbeat, the live board.

The kiosk endpoints answer only an enrolled kiosk's credential; a person's token gets 403
there, and a kiosk credential gets 403 everywhere else (hub.apiauth)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, g, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from hub import readcache
from hub.accounts.models import Organisation
from hub.apiauth import api_user
from hub.building.models import Floor
from hub.errors import NotAllowed, NotAuthenticated, NotFound
from hub.extensions import db
from hub.kiosk import answers, board, places, services
from hub.kiosk.models import Kiosk
from hub.kiosk.schemas import BoardOut
from hub.timeutil import local_iso, rfc3339, utcnow

blp = Blueprint("kiosk_api", __name__, description="The kiosk at the entrance and the board")


def current_kiosk() -> Kiosk:
    """The enrolled kiosk calling; 403 for a person, 401 for nobody."""
    kiosk = g.get("kiosk")
    if kiosk is None:
        if g.get("api_user") is not None:
            raise NotAllowed(_("Only an enrolled kiosk may use this endpoint."))
        raise NotAuthenticated(_("Send the kiosk's credential as a Bearer token."))
    return kiosk


def kiosk_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authentication and permission before the body is parsed (401, 403, then 400)."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current_kiosk()
        return view(*args, **kwargs)
    return wrapper


class ScanIn(Schema):
    code = fields.Str(required=True, validate=validate.Length(min=1, max=500),
                      metadata={"description": "the bare check-in code or the whole URL"})


class ScanOut(Schema):
    result = fields.Str(metadata={"enum": ["checked_in", "already_checked_in", "too_early",
                                           "too_late", "cancelled", "unknown_code"]})
    booking = fields.Dict()
    checked_in_at = fields.Dict()
    opens_at = fields.Str()
    opens_at_local = fields.Str()


class WalkInIn(Schema):
    first_name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    organisation = fields.Str(required=True, validate=validate.Length(min=1, max=64),
                              metadata={"description": "organisation slug"})
    resource = fields.Str(load_default=None, validate=validate.Length(max=64),
                          metadata={"description": "id or slug; default the first free"})


@blp.route("/kiosk/scan", methods=["POST"])
@kiosk_required
@blp.arguments(ScanIn)
@blp.response(200, ScanOut)
def scan(body: dict[str, Any]) -> dict[str, Any]:
    """Check in with a booking's code or scanned URL; repeating a scan is harmless. Unknown
    codes are counted per kiosk and client address: too many, and the kiosk waits (429 with
    Retry-After)."""
    answer = services.scan(kiosk_id=current_kiosk().id, text=body["code"], now=utcnow(),
                           address=request.remote_addr or "?")
    return answers.scan_answer(answer.result, answer.booking, answer.opens_at)


@blp.route("/kiosk/status", methods=["GET"])
@kiosk_required
@blp.response(200)
def status() -> dict[str, Any]:
    """The kiosk's heartbeat: who it is and the hub's time (the facility page shows it)."""
    kiosk, now = current_kiosk(), utcnow()
    services.seen(kiosk.id, now=now)
    return {"kiosk": {"name": kiosk.name, "location": kiosk.location},
            "now": rfc3339(now), "now_local": local_iso(now, board._tz()),
            "walk_in_open": places.half_day(now) is not None}


@blp.route("/kiosk/walk-in")
class WalkIn(MethodView):
    @kiosk_required
    @blp.response(200)
    def get(self) -> dict[str, Any]:
        """What a walk-in can take now: the free places and the organisations to name."""
        now = utcnow()
        window = places.half_day(now)
        orgs = db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                                  .order_by(Organisation.name))
        free = places.free_places(None, now) if window else []
        return {"open": window is not None,
                "until": rfc3339(window[1]) if window else None,
                "until_local": local_iso(window[1], board._tz()) if window else None,
                "organisations": [{"slug": o.slug, "name": o.name, "kind": o.kind}
                                  for o in orgs],
                "places": [answers.place(p.resource) for p in free]}

    @kiosk_required
    @blp.arguments(WalkInIn)
    @blp.response(201)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Take a free landing spot (or desk) now until the end of the half-day."""
        made = services.walk_in(kiosk_id=current_kiosk().id, first_name=body["first_name"],
                                organisation=body["organisation"], resource=body["resource"],
                                now=utcnow())
        return {"result": "walked_in", "booking": answers.booking_answer(made.booking)}


@blp.route("/kiosk/floors/<int:floor_id>/plan", methods=["GET"])
@kiosk_required
@blp.doc(responses={200: {"content": {"image/*": {}}}})
def floor_plan(floor_id: int) -> Response:
    """The floor plan image, for the kiosk's 'how to get there'."""
    from hub.booking.web.support import send_plan

    if db.session.get(Floor, floor_id) is None:
        raise NotFound(_("No such floor."))
    return send_plan(floor_id)  # type: ignore[no-any-return]


@blp.route("/kiosk/board", methods=["GET"])
@kiosk_required
@blp.response(200, BoardOut)
def kiosk_board() -> Response:
    """The live board for an enrolled wall screen (the same data as /api/v1/board)."""
    return readcache.json_response(board.current_json(utcnow()))


@blp.route("/board", methods=["GET"])
@blp.response(200, BoardOut)
def live_board() -> Response:
    """The live board: per resource state now, until when, the organisation where visible,
    the sensor state; grouped per floor; the organisations on the plaza today."""
    api_user()
    return readcache.json_response(board.current_json(utcnow(), next=None))
