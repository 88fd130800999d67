"""The read side of booking. Every page, API answer, feed and board builds its booking data
through `booking_view` (or the lists below), which applies the one privacy rule of
hub.booking.visibility."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from hub.accounts.models import User
from hub.booking.models import Booking
from hub.booking.rules import ACTIVE, overlaps
from hub.booking.visibility import Visibility, view_of, visibility  # noqa: F401
from hub.building.models import Floor, Resource
from hub.extensions import db
from hub.timeutil import day_bounds, local

# The levels, for callers that compare a view's "visibility" (a StrEnum equals its text).
FULL, DESK, ORGANISATION, BUSY = (Visibility.FULL, Visibility.DESK, Visibility.ORGANISATION,
                                  Visibility.BUSY)


def _tz() -> str:
    return str(current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam"))


def booking_view(booking: Booking, viewer: User) -> dict[str, Any]:
    """A booking as this viewer may see it (plain JSON-ready values)."""
    return view_of(booking, viewer, _tz()).as_dict()


def _loaded(query: Select[Any]) -> list[Booking]:
    return list(db.session.scalars(query.options(
        selectinload(Booking.resource).selectinload(Resource.restricted_to),
        selectinload(Booking.organisation), selectinload(Booking.user),
        selectinload(Booking.created_by))))


def bookings_for(viewer: User, user_id: int, start: datetime, end: datetime, *,
                 include_inactive: bool = True) -> list[dict[str, Any]]:
    """Bookings for (or made by) one person overlapping [start, end), as the viewer sees them."""
    query = (select(Booking).where((Booking.user_id == user_id)
                                   | (Booking.created_by_id == user_id),
                                   overlaps(Booking.start, Booking.end, start, end))
             .order_by(Booking.start, Booking.id))
    if not include_inactive:
        query = query.where(Booking.status.in_(ACTIVE))
    return [booking_view(b, viewer) for b in _loaded(query)]


def active_between(start: datetime, end: datetime, *, kind: str | None = None,
                   floor_id: int | None = None) -> list[Booking]:
    """Active bookings overlapping [start, end) (raw rows: pass them through booking_view)."""
    query = (select(Booking).join(Resource, Resource.id == Booking.resource_id)
             .where(Booking.overlapping(start, end)).order_by(Booking.start))
    if kind:
        query = query.where(Resource.kind == kind)
    if floor_id:
        query = query.where(Resource.floor_id == floor_id)
    return _loaded(query)


def _resources(kind: str | None, floor_id: int | None) -> list[Resource]:
    query = (select(Resource).join(Floor).where(Resource.active.is_(True))
             .order_by(Floor.level, Resource.kind, Resource.name))
    if kind:
        query = query.where(Resource.kind == kind)
    if floor_id:
        query = query.where(Resource.floor_id == floor_id)
    return list(db.session.scalars(query))


def day_view(viewer: User, day: date, kind: str | None = None,
             floor_id: int | None = None) -> list[dict[str, Any]]:
    """Per resource (of a kind / on a floor) its active bookings of a local day, viewer-filtered:
    `[{"resource": {...}, "bookings": [booking_view, ...]}]`."""
    start, end = day_bounds(day, _tz())
    by_resource: dict[int, list[dict[str, Any]]] = {}
    for booking in active_between(start, end, kind=kind, floor_id=floor_id):
        by_resource.setdefault(booking.resource_id, []).append(booking_view(booking, viewer))
    return [{"resource": r.as_dict(), "bookings": by_resource.get(r.id, [])}
            for r in _resources(kind, floor_id)]


def availability(viewer: User, day: date, kind: str | None = None) -> list[dict[str, Any]]:
    """GET /availability: per resource the busy intervals of a day, viewer-filtered."""
    return [{"resource": row["resource"], "busy": row["bookings"]}
            for row in day_view(viewer, day, kind)]


def today_in_building(viewer: User, now: datetime,
                      day: date | None = None) -> list[dict[str, Any]]:
    """Every booking of today (or of `day`) in the building (reception's board), earliest
    first."""
    start, end = day_bounds(day or local(now, _tz()).date(), _tz())
    query = (select(Booking).where(overlaps(Booking.start, Booking.end, start, end),
                                   Booking.status != "cancelled")
             .order_by(Booking.start, Booking.id))
    return [booking_view(b, viewer) for b in _loaded(query)]


def visible_booking(viewer: User, booking_id: int) -> dict[str, Any] | None:
    """One booking as the viewer may see it, or None when it does not exist."""
    booking = db.session.get(Booking, booking_id)
    return booking_view(booking, viewer) if booking is not None else None


def booked_now(resource_ids: list[int], now: datetime) -> dict[int, str]:
    """State provider for hub.building.queries: `booked` where an active booking covers now."""
    if not resource_ids:
        return {}
    rows = db.session.scalars(select(Booking.resource_id).where(
        Booking.resource_id.in_(resource_ids), Booking.status.in_(ACTIVE),
        Booking.start <= now, Booking.end > now))
    return dict.fromkeys(rows, "booked")
