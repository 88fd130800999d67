"""Read side of the booking pages. Every booking shown goes through hub.booking.queries (the
privacy layer); this module only reshapes its views for templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from hub.booking import queries
from hub.booking.policies import kind_policy
from hub.booking.rules import ACTIVE, checkin_window, is_closed
from hub.booking.web.support import (  # noqa: F401  (re-exported for the views)
    fit_duration,
    floors_with,
    local_time,
    nav_items,
    parse_instant,
    pick_floor,
    places_in_building,
    refusal,
    safe_back,
    search_args_for,
    send_plan,
    status_labels,
)
from hub.booking.web.timeline import Busy, Segment, hour_marks, layout  # noqa: F401
from hub.booking.web.times import to_utc
from hub.building.models import Floor, Resource
from hub.building.queries import resource_infos, resources_on
from hub.building.services import may_book, permitted_pairs
from hub.errors import NotFound
from hub.extensions import db

PAST_DAYS = 30
AHEAD_DAYS = 56


@dataclass
class BookingRow:
    """A booking as a page shows it, built only from a privacy-filtered view."""

    start: datetime
    end: datetime
    resource_id: int
    resource_name: str
    id: int | None = None
    status: str | None = None
    subject: str | None = None
    checkin_code: str | None = None
    organisation: str | None = None
    booked_by: str | None = None
    booked_for: str | None = None
    floor_name: str = ""
    series: bool = False
    mine: bool = False
    can_check_in: bool = False
    can_check_out: bool = False
    can_change: bool = False


def row_from_view(view: dict[str, Any], viewer: Any, now: datetime) -> BookingRow:
    start, end = parse_instant(view["start"]), parse_instant(view["end"])
    row = BookingRow(start=start, end=end, resource_id=view["resource"]["id"],
                     resource_name=view["resource"]["name"], id=view.get("id"),
                     status=view.get("status"), subject=view.get("subject"),
                     checkin_code=view.get("checkin_code"),
                     organisation=(view.get("organisation") or {}).get("name"),
                     series=bool(view.get("series_id")))
    user, creator = view.get("user"), view.get("created_by")
    if creator:
        row.booked_by = creator["name"]
    if view.get("on_behalf") and user:
        row.booked_for = user["name"]
    row.mine = viewer.id in {p["id"] for p in (user, creator) if p}
    if row.mine and row.status in ACTIVE and end > now:
        opens, closes = checkin_window(start)
        row.can_check_in = row.status == "booked" and opens <= now <= closes
        row.can_check_out = row.status == "checked_in"
        row.can_change = row.status == "booked"
    return row


def my_booking(booking_id: int, viewer: Any, now: datetime) -> BookingRow:
    """One booking the viewer booked or is booked for (404 for anything else)."""
    view = queries.visible_booking(viewer, booking_id)
    if view is None or "id" not in view:
        raise NotFound(_("No such booking."))
    row = row_from_view(view, viewer, now)
    if not row.mine:
        raise NotFound(_("No such booking."))
    resource = db.session.get(Resource, row.resource_id)
    row.floor_name = f"{resource.floor.site.name} · {resource.floor.name}" if resource else ""
    return row


def my_bookings(viewer: Any, now: datetime) -> tuple[list[BookingRow], list[BookingRow]]:
    """(upcoming active bookings, earliest first; past and cancelled ones, latest first)."""
    views = queries.bookings_for(viewer, viewer.id, now - timedelta(days=PAST_DAYS),
                                 now + timedelta(days=AHEAD_DAYS))
    # A private room booked for someone of another organisation is no longer the booker's
    # to see (only busy/free): it is not listed as theirs.
    rows = [row_from_view(v, viewer, now) for v in views if "id" in v]
    upcoming = [r for r in rows if r.status in ACTIVE and r.end > now]
    past = [r for r in reversed(rows) if r not in upcoming]
    return upcoming, past


def today_rows(viewer: Any, now: datetime, day: date | None = None) -> list[BookingRow]:
    """Every booking in the building today (or on `day`), as reception may see it."""
    return [row_from_view(v, viewer, now)
            for v in queries.today_in_building(viewer, now, day)]


def opening_window(kind: str, day: date, tz: str) -> tuple[datetime, datetime]:
    policy = kind_policy(kind)
    return to_utc(day, policy.opens, tz), to_utc(day, policy.closes, tz)


def _busy_block(view: dict[str, Any], viewer: Any, now: datetime) -> Busy:
    row = row_from_view(view, viewer, now)
    if row.mine:
        return Busy(row.start, row.end, row.subject or _("Yours"), "mine")
    # A busy-only view (private room) has no organisation: it stays "Busy".
    return Busy(row.start, row.end, row.organisation or _("Busy"))


def _bookable_ids(viewer: Any, kind: str, floor_id: int | None = None) -> set[int]:
    """The resources of a kind (on a floor) this person may book (restrictions loaded with
    them: no query per resource)."""
    pairs = permitted_pairs()
    return {r.id for r in resource_infos(kind=kind, floor_id=floor_id)
            if r.bookable and may_book(viewer.organisation, r, pairs)}


def timeline_rows(viewer: Any, day: date, floor: Floor | None, tz: str, *,
                  now: datetime) -> tuple[list[dict[str, Any]], tuple[datetime, datetime] | None]:
    """Per room on the floor: busy blocks (privacy-filtered) and free gaps of the day."""
    if floor is None:
        return [], None
    window = opening_window("room", day, tz)
    closed = is_closed(kind_policy("room"), day)
    views = queries.day_view(viewer, day, kind="room", floor_id=floor.id)
    bookable = _bookable_ids(viewer, "room", floor.id)
    rows = []
    for entry in views:
        resource = entry["resource"]
        busy = [_busy_block(v, viewer, now) for v in entry["bookings"]]
        past_until = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
        if window[0] < past_until:  # the past of today cannot be booked (the current quarter can)
            busy.append(Busy(window[0], min(past_until, window[1]), _("Past"), "closed"))
        if closed:
            busy = [Busy(window[0], window[1], _("Closed"), "closed")]
        rows.append({"resource": resource, "segments": layout(window, busy),
                     "bookable": resource["id"] in bookable})
    return rows, window


def desk_parts(viewer: Any, day: date, floor: Floor | None, tz: str, *,
               now: datetime) -> list[dict[str, Any]]:
    """Per desk on the floor: morning, afternoon and whole day, free or who has it."""
    if floor is None:
        return []
    views = {v["resource"]["id"]: v["bookings"]
             for v in queries.day_view(viewer, day, kind="desk", floor_id=floor.id)}
    desks = resources_on(floor, "desk")
    bookable = _bookable_ids(viewer, "desk", floor.id)
    closed = is_closed(kind_policy("desk"), day)
    labels = {"morning": _("Morning"), "afternoon": _("Afternoon"), "day": _("Whole day")}
    result = []
    for desk in desks:
        blocks = [_busy_block(v, viewer, now) for v in views.get(desk.id, [])]
        parts = []
        for slot in kind_policy("desk").slots:
            part = slot.name
            start, end = to_utc(day, slot.start, tz), to_utc(day, slot.end, tz)
            taken = [b for b in blocks if b.start < end and start < b.end]
            free = (not taken and not closed and end > now and desk.id in bookable)
            who = taken[0].label if taken else (_("Closed") if closed else None)
            if not taken and not closed:
                who = _("Past") if end <= now else (
                    None if desk.id in bookable else _("Not for your organisation"))
            parts.append({"part": part, "label": labels.get(part, part), "free": free, "who": who,
                          "taken": bool(taken)})
        result.append({"resource": desk, "parts": parts,
                       "any_free": any(p["free"] for p in parts)})
    return result


def alternatives(viewer: Any, *, kind: str, day: date, minutes: int, people: int,
                 amenities: set[str], tz: str, now: datetime, around: datetime,
                 limit: int = 6) -> list[tuple[datetime, datetime]]:
    """Other start times that day, nearest to the wanted one first, when some fitting place
    is free for the whole duration.

    Built from the privacy-filtered day view instead of new searches: a suggestion is not a
    request, so it must not be counted as refused demand."""
    window = opening_window(kind, day, tz)
    if is_closed(kind_policy(kind), day):
        return []
    length = timedelta(minutes=minutes)
    views = queries.day_view(viewer, day, kind=kind)
    bookable = _bookable_ids(viewer, kind)
    starts: set[datetime] = set()
    for entry in views:
        resource = entry["resource"]
        if (resource["id"] not in bookable or resource["capacity"] < people
                or not amenities <= set(resource["amenities"])):
            continue
        busy = [_busy_block(v, viewer, now) for v in entry["bookings"]]
        for seg in layout(window, busy):
            moment = max(seg.start, _next_step(now))
            while seg.kind == "free" and moment + length <= seg.end:
                starts.add(moment)
                moment += timedelta(minutes=30)
    nearest = sorted(starts, key=lambda s: abs(s - around))[:limit]
    return [(s, s + length) for s in sorted(nearest)]


def _next_step(now: datetime) -> datetime:
    rest = now.minute % 15
    base = now.replace(second=0, microsecond=0)
    return base if rest == 0 and now == base else base + timedelta(minutes=15 - rest)
