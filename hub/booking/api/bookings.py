"""API: availability, bookings, check-in/out (CONTRACT.md section 2; the board: hub.kiosk).

Views parse and answer; services decide; every booking leaves through queries.booking_view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from hub import links, readcache
from hub.apiauth import api_user
from hub.booking import queries, services
from hub.booking.api import schemas as s
from hub.booking.services.changes import may_change
from hub.booking.services.checks import skipped_details
from hub.booking.store import booking as load_booking
from hub.errors import InvalidInput, NotAllowed
from hub.timeutil import day_bounds, local, utcnow

blp = Blueprint("booking_api", __name__, description="Availability, bookings and the board")
DEFAULT_WEEKS = 8


def _tz() -> str:
    return str(current_app.config["HUB_TIMEZONE"])


def _links(view: dict[str, Any], booking_id: int) -> dict[str, Any]:
    """Check-in, QR and calendar links for the booking's own people (those who got the code)."""
    if "checkin_code" not in view:
        return view
    return {**view, "checkin_url": links.checkin_url(view["checkin_code"]),
            "qr_png_url": links.booking_qr_png_url(booking_id),
            "ics_url": links.booking_ics_url(booking_id)}


def _view(booking: Any, user: Any) -> dict[str, Any]:
    return _links(queries.booking_view(booking, user), booking.id)


def _bound(value: str | None, *, end: bool, default: datetime) -> datetime:
    """`from`/`to`: a local date (inclusive) or an RFC 3339 instant."""
    if not value:
        return default
    try:
        if len(value) == 10:
            first, last = day_bounds(date.fromisoformat(value), _tz())
            return last if end else first
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise InvalidInput(_("Use a date (YYYY-MM-DD) or a time with offset (RFC 3339)."),
                           {"field": "to" if end else "from"})
    return instant


def changer_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """403 before the body is parsed: only people who may change the booking go on."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not may_change(api_user(), load_booking(kwargs["booking_id"])):
            raise NotAllowed(_("Only the booker, the person it is for, reception or a "
                               "coordinator may change this booking."))
        return view(*args, **kwargs)
    return wrapper


def on_behalf_permission(view: Callable[..., Any]) -> Callable[..., Any]:
    """403 before the body is parsed (permission before shape): booking for someone else is
    for reception, coordinators and admins; the service checks whom they may book for."""
    from hub.accounts.roles import ON_BEHALF_ROLES

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        body = request.get_json(silent=True)
        if (isinstance(body, dict) and body.get("on_behalf_of") is not None
                and api_user().role not in ON_BEHALF_ROLES):
            raise NotAllowed(_("Only reception, a coordinator or an admin may book for "
                               "someone else."))
        return view(*args, **kwargs)
    return wrapper


def booker_only(booking_id: int) -> Any:
    booking, user = load_booking(booking_id), api_user()
    if user.id not in (booking.user_id, booking.created_by_id):
        raise NotAllowed(_("Only the booker can fetch this."))
    return booking


@blp.route("/availability")
class Availability(MethodView):
    @blp.arguments(s.AvailabilityQuery, location="query")
    @blp.response(200, s.AvailabilityOut)
    def get(self, args: dict[str, Any]) -> Response:
        """Per resource the busy intervals of a day, as the caller may see them."""
        user, day, kind = api_user(), args["date"], args.get("kind")
        # The privacy views are JSON-ready and hold only fields AvailabilityOut declares (a
        # test holds that): sent as they are, without a second pass through marshmallow
        # over 300 resources and their bookings. The schema still documents the answer.
        # Encoded once and kept until the next committed write (hub.readcache), per what
        # decides the privacy view: the person, their organisation and their role.
        body = readcache.cached(
            ("availability", day, kind, user.id, user.organisation_id, user.role),
            lambda: readcache.json_body({"date": day.isoformat(), "next": None,
                                         "items": queries.availability(user, day, kind)}))
        return readcache.json_response(body)


@blp.route("/bookings")
class Bookings(MethodView):
    @blp.arguments(s.ListQuery, location="query")
    @blp.response(200, s.BookingList)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Bookings from `from` to `to` (default today and 8 weeks); `mine=1`: your own."""
        user, now = api_user(), utcnow()
        today = day_bounds(local(now, _tz()).date(), _tz())[0]
        start = _bound(args.get("from_"), end=False, default=today)
        end = _bound(args.get("to"), end=True, default=today + timedelta(weeks=DEFAULT_WEEKS))
        if end <= start:
            return {"items": [], "next": None}  # an empty range holds no bookings
        if args["mine"]:
            items = queries.bookings_for(user, user.id, start, end)
        else:
            items = [queries.booking_view(b, user) for b in queries.active_between(start, end)]
        return {"items": items, "next": None}

    @on_behalf_permission
    @blp.arguments(s.BookingCreate)
    @blp.response(201, s.CreatedOut)
    @blp.alt_response(409, description="booking_conflict or series_conflict")
    @blp.alt_response(422, description="rule_violation: details name the rule")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Book a resource (or a series with `rrule`); subjects never hold a resident's name."""
        user = api_user()
        result = services.create_booking(
            actor_id=user.id, resource=body["resource"], start=body["start"], end=body["end"],
            now=utcnow(), subject=body.get("subject"), attendees=body.get("attendees"),
            on_behalf_of=body.get("on_behalf_of"), rrule=body.get("rrule"),
            skip_conflicts=body["skip_conflicts"], channel="api")
        answer = _view(result.booking, user)
        if result.series is not None:
            answer["series_id"] = result.series.id
            answer["occurrences"] = [_view(b, user) for b in result.occurrences]
            answer["conflicts"] = skipped_details(result.skipped, _tz())
        return answer


@blp.route("/bookings/<int:booking_id>")
class OneBooking(MethodView):
    @blp.response(200, s.BookingOut)
    def get(self, booking_id: int) -> dict[str, Any]:
        """One booking, as the caller may see it."""
        return _view(load_booking(booking_id), api_user())

    @changer_only
    @blp.arguments(s.BookingChange)
    @blp.response(200, s.BookingOut)
    def patch(self, body: dict[str, Any], booking_id: int) -> dict[str, Any]:
        """Move or shorten (same checks as booking); `scope=following` for a series."""
        user = api_user()
        moved = services.move_booking(actor_id=user.id, booking_id=booking_id,
                                      start=body["start"], end=body["end"], now=utcnow(),
                                      channel="api", scope=body["scope"])
        return _view(moved[0], user)

    @changer_only
    @blp.arguments(s.ScopeQuery, location="query")
    @blp.response(200, s.BookingOut)
    def delete(self, args: dict[str, Any], booking_id: int) -> dict[str, Any]:
        """Cancel (status `cancelled`; the row is kept); `scope=following` for a series."""
        user = api_user()
        services.cancel_booking(actor_id=user.id, booking_id=booking_id, now=utcnow(),
                                channel="api", scope=args["scope"])
        return _view(load_booking(booking_id), user)


@blp.route("/bookings/<int:booking_id>/check-in", methods=["POST"])
@blp.response(200, s.BookingOut)
@changer_only
def check_in(booking_id: int) -> dict[str, Any]:
    """Check in, from 15 minutes before until 15 minutes after the start."""
    user = api_user()
    booking = services.check_in(actor_id=user.id, booking_id=booking_id, now=utcnow(),
                                channel="api")
    return _view(booking, user)


@blp.route("/bookings/<int:booking_id>/check-out", methods=["POST"])
@blp.response(200, s.BookingOut)
@changer_only
def check_out(booking_id: int) -> dict[str, Any]:
    """Leave early: the booking ends now and the place is free again."""
    user = api_user()
    booking = services.check_out(actor_id=user.id, booking_id=booking_id, now=utcnow(),
                                 channel="api")
    return _view(booking, user)


@blp.route("/bookings/<int:booking_id>/qr.png", methods=["GET"])
@blp.doc(responses={200: {"content": {"image/png": {}}}})
def qr_png(booking_id: int) -> Response:
    """The check-in QR code (booker only): encodes HUB_BASE_URL/k/<code>."""
    from hub.calendar.qr import qr_png_bytes

    booking = booker_only(booking_id)
    url = links.checkin_url(booking.checkin_code)
    return Response(qr_png_bytes(url), mimetype="image/png",
                    headers={"Cache-Control": "private, no-store"})


@blp.route("/bookings/<int:booking_id>/qr.svg", methods=["GET"])
@blp.doc(responses={200: {"content": {"image/svg+xml": {}}}})
def qr_svg(booking_id: int) -> Response:
    """The check-in QR code as SVG (booker only), sharp in print and mail."""
    from hub.calendar.qr import qr_svg_document

    booking = booker_only(booking_id)
    url = links.checkin_url(booking.checkin_code)
    return Response(qr_svg_document(url, _("Check-in code")), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})


@blp.route("/bookings/<int:booking_id>.ics", methods=["GET"])
@blp.doc(responses={200: {"content": {"text/calendar": {}}}})
def ics(booking_id: int) -> Response:
    """The booking as an iCalendar invitation (METHOD:REQUEST; CANCEL once cancelled)."""
    from hub.calendar.documents import booking_ics

    booking = booker_only(booking_id)
    body = booking_ics(booking, now=utcnow())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="booking-{booking_id}.ics"'})
