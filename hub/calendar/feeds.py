"""Calendar feeds (CONTRACT.md section 4): a person's bookings, one resource, the plaza.

Authentication is the secret feed token in the URL (calendar apps cannot log in); every
event goes through the privacy layer with the token's owner as the viewer.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from hub.accounts.models import User
from hub.booking.models import Booking
from hub.booking.queries import BUSY, booking_view
from hub.booking.rules import ACTIVE
from hub.building.models import Resource
from hub.calendar import tokens
from hub.calendar.ical import FeedEvent, render_feed
from hub.extensions import db
from hub.links import booking_uid, feed_uid
from hub.timeutil import utcnow

bp = Blueprint("feeds", __name__, url_prefix="/ical")
PAST, AHEAD = timedelta(days=31), timedelta(weeks=26)
SHOWN = (*ACTIVE, "completed", "cancelled", "released")


def _summary(view: dict[str, Any], *, with_resource: bool) -> str:
    if view["visibility"] == BUSY:
        label = _("Busy")
    elif view.get("subject"):
        label = view["subject"]
    else:
        label = _("Booked by %(org)s", org=view["organisation"]["name"])
    return f"{view['resource']['name']}: {label}" if with_resource else label


def _events(rows: list[Booking], viewer: User, *, with_resource: bool) -> list[FeedEvent]:
    events = []
    for booking in rows:
        view = booking_view(booking, viewer)
        events.append(FeedEvent(
            uid=booking_uid(booking.id), start=booking.start, end=booking.end,
            summary=_summary(view, with_resource=with_resource),
            location=booking.resource.name, sequence=booking.sequence,
            last_modified=booking.updated_at,
            cancelled=booking.status in ("cancelled", "released")))
    return events


def _rows(*conditions: Any, now: datetime) -> list[Booking]:
    query = (select(Booking).where(Booking.end > now - PAST, Booking.start < now + AHEAD,
                                   Booking.status.in_(SHOWN), *conditions)
             .order_by(Booking.start, Booking.id))
    return list(db.session.scalars(query))


def _answer(name: str, uid: str, events: list[FeedEvent], now: datetime) -> Response:
    body = render_feed(name=name, uid=uid, events=events, now=now)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=300"
    # DTSTAMP changes every call, so the ETag hashes the events, not the whole body.
    response.set_etag(hashlib.sha256(repr(events).encode()).hexdigest()[:32])
    if events:
        response.last_modified = max(e.last_modified for e in events)
    return response.make_conditional(request)


def _viewer(token: str | None, scope: str, resource_id: int | None = None) -> User:
    # Each feed has its own token: a shared plaza link never opens the personal feed.
    user = tokens.owner(token, scope, resource_id=resource_id)
    if user is None:
        abort(404)
    return user


@bp.get("/<token>.ics")
def person(token: str) -> Response:
    """The bookings of the feed token's owner (made by them or for them)."""
    viewer, now = _viewer(token, "personal"), utcnow()
    rows = _rows((Booking.user_id == viewer.id) | (Booking.created_by_id == viewer.id), now=now)
    with force_locale(viewer.language):
        return _answer(_("My bookings"), feed_uid(f"user-{viewer.id}"),
                       _events(rows, viewer, with_resource=True), now)


@bp.get("/resource/<slug>.ics")
def resource(slug: str) -> Response:
    """One resource's bookings, as the token's owner may see them."""
    res = db.session.scalar(select(Resource).filter_by(slug=slug[:64]))
    if res is None:
        abort(404)
    viewer, now = _viewer(request.args.get("token"), "resource", res.id), utcnow()
    rows = _rows(Booking.resource_id == res.id, now=now)
    with force_locale(viewer.language):
        return _answer(res.name, feed_uid(f"resource-{res.id}"),
                       _events(rows, viewer, with_resource=False), now)


@bp.get("/plaza.ics")
def plaza() -> Response:
    """Who is on the service plaza when (landing spots)."""
    viewer, now = _viewer(request.args.get("token"), "plaza"), utcnow()
    spots = select(Resource.id).where(Resource.kind == "landing_spot")
    rows = _rows(Booking.resource_id.in_(spots), now=now)
    with force_locale(viewer.language):
        return _answer(_("Service plaza"), feed_uid("plaza"),
                       _events(rows, viewer, with_resource=True), now)
