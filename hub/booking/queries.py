"""The read side of booking. Every page, API answer, feed and board builds its booking data
through `booking_view` (or the lists below), which applies the one privacy rule of
hub.booking.visibility."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, selectinload

from hub import readcache
from hub.accounts.models import Organisation, User
from hub.booking.models import Booking
from hub.booking.rules import ACTIVE, overlaps
from hub.booking.visibility import Visibility, view_of
from hub.building.models import Resource
from hub.building.queries import ResourceInfo, resource_infos
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


def day_view(viewer: User, day: date, kind: str | None = None,
             floor_id: int | None = None, *,
             with_resource: bool = True) -> list[dict[str, Any]]:
    """Per resource (of a kind / on a floor) its active bookings of a local day, viewer-filtered:
    `[{"resource": {...}, "bookings": [booking_view, ...]}]`. Resources and bookings come
    from two Core queries each (no ORM objects, no query per resource); `with_resource=False`
    leaves out each booking's own `resource` (the entry names it already)."""
    tz = _tz()

    def rows() -> tuple[list[ResourceInfo], list[BookingRow]]:
        start, end = day_bounds(day, tz)
        resources = resource_infos(kind=kind, floor_id=floor_id)
        return resources, day_rows(start, end, {r.id: r for r in resources})

    # The rows are the same for every viewer: kept until the next write (hub.readcache),
    # and each viewer's privacy view is made from them.
    resources, bookings = readcache.cached(("day rows", day, kind, floor_id, tz), rows)
    by_resource: dict[int, list[dict[str, Any]]] = {}
    for booking in bookings:
        view = view_of(booking, viewer, tz).as_dict()
        if not with_resource:
            del view["resource"]
        by_resource.setdefault(booking.resource_id, []).append(view)
    return [{"resource": dict(r.as_dict()), "bookings": by_resource.get(r.id, [])}
            for r in resources]


SPAN_LIMIT = timedelta(days=1)


class Named(NamedTuple):
    """An organisation or a person as the privacy view shows it."""

    id: int
    name: str
    slug: str = ""
    email: str = ""


class BookingRow(NamedTuple):
    """The columns of a booking the privacy view reads, from one Core query (a day of a
    busy building is a thousand rows: ORM objects for them and their people cost more than
    the rest of the answer; a tuple is the cheapest row Python builds)."""

    id: int
    resource_id: int
    user_id: int
    created_by_id: int
    organisation_id: int
    start: datetime
    end: datetime
    status: str
    subject: str | None
    attendees: int | None
    checkin_code: str
    series_id: int | None
    sequence: int
    checked_in_at: datetime | None
    resource: ResourceInfo
    organisation: Named
    user: Named
    created_by: Named

    @property
    def on_behalf(self) -> bool:
        return self.user_id != self.created_by_id


def day_rows(start: datetime, end: datetime,
             resources: dict[int, ResourceInfo]) -> list[BookingRow]:
    """Active bookings of these resources overlapping [start, end), with organisation and
    people, in ONE query (the privacy view then needs no other)."""
    if not resources:
        return []
    person, maker = aliased(User), aliased(User)
    query = (select(Booking.id, Booking.resource_id, Booking.user_id, Booking.created_by_id,
                    Booking.organisation_id, Booking.start, Booking.end, Booking.status,
                    Booking.subject, Booking.attendees, Booking.checkin_code, Booking.series_id,
                    Booking.sequence, Booking.checked_in_at, Organisation.slug,
                    Organisation.name, person.name, person.email, maker.name, maker.email)
             .join(Organisation, Organisation.id == Booking.organisation_id)
             .join(person, person.id == Booking.user_id)
             .join(maker, maker.id == Booking.created_by_id)
             .where(Booking.overlapping(start, end), Booking.resource_id.in_(list(resources)),
                    # The rules keep every booking inside one local day (opening_hours), so
                    # none that starts a day earlier reaches into [start, end): a range on
                    # ix_bookings_start instead of reading a year of history before `end`.
                    Booking.start > start - SPAN_LIMIT)
             .order_by(Booking.start))
    # A day has a few dozen organisations and people for a thousand bookings: each once.
    orgs: dict[int, Named] = {}
    people: dict[int, Named] = {}
    rows = []
    for (b_id, res_id, user_id, maker_id, org_id, b_start, b_end, status, subject, attendees,
         code, series_id, sequence, checked_in_at, org_slug, org_name, user_name, user_email,
         maker_name, maker_email) in db.session.execute(query):
        org = orgs.get(org_id) or orgs.setdefault(org_id, Named(org_id, org_name, org_slug))
        user = people.get(user_id) or people.setdefault(
            user_id, Named(user_id, user_name, email=user_email))
        maker_named = people.get(maker_id) or people.setdefault(
            maker_id, Named(maker_id, maker_name, email=maker_email))
        rows.append(BookingRow(
            b_id, res_id, user_id, maker_id, org_id, b_start, b_end, status, subject,
            attendees, code, series_id, sequence, checked_in_at, resources[res_id],
            org, user, maker_named))
    return rows


def availability(viewer: User, day: date, kind: str | None = None) -> list[dict[str, Any]]:
    """GET /availability: per resource the busy intervals of a day, viewer-filtered."""
    return [{"resource": row["resource"], "busy": row["bookings"]}
            for row in day_view(viewer, day, kind, with_resource=False)]


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
    # The lower bound on start (no booking is longer than SPAN_LIMIT) makes this a short
    # range of ix_bookings_resource_start instead of each resource's whole history.
    rows = db.session.scalars(select(Booking.resource_id).where(
        Booking.resource_id.in_(resource_ids), Booking.status.in_(ACTIVE),
        Booking.start <= now, Booking.start > now - SPAN_LIMIT, Booking.end > now))
    return dict.fromkeys(rows, "booked")
