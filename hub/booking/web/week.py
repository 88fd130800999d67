"""The week: one room or one floor from Monday to Friday, and (for coordinators) what their
organisation has booked this week. Every booking shown went through the privacy view."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required

from hub.booking import queries
from hub.booking.web import queries as pq
from hub.booking.web.pages import bp, tz
from hub.booking.web.times import local_day
from hub.timeutil import day_bounds, utcnow

WORKDAYS = 5
COORDINATING = ("coordinator", "admin")


def week_start(value: str | None, today: date) -> date:
    """The Monday of `YYYY-Www` (ISO week) or of a date; this week for anything else."""
    day = today
    if value:
        try:
            day = (date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
                   if "-W" in value else date.fromisoformat(value))
        except ValueError:
            day = today
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _cells(viewer: Any, days: list[date], floor_id: int, room_id: int | None,
           now: Any) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for i, day in enumerate(days):
        for entry in queries.day_view(viewer, day, kind="room", floor_id=floor_id):
            resource = entry["resource"]
            if room_id is not None and resource["id"] != room_id:
                continue
            row = rows.setdefault(resource["id"], {"resource": resource,
                                                   "days": [[] for _d in days]})
            row["days"][i] = [pq._busy_block(v, viewer, now) for v in entry["bookings"]]
    return list(rows.values())


def organisation_week(viewer: Any, days: list[date], now: Any) -> list[pq.BookingRow]:
    """The bookings of the viewer's own organisation from Monday to Friday."""
    start, end = day_bounds(days[0], tz())[0], day_bounds(days[-1], tz())[1]
    own = [b for b in queries.active_between(start, end)
           if b.organisation_id == viewer.organisation_id]
    return [pq.row_from_view(queries.booking_view(b, viewer), viewer, now) for b in own]


@bp.get("/book/week")
@login_required
def week() -> str:
    now = utcnow()
    monday = week_start(request.args.get("week"), local_day(now, tz()))
    days = [monday + timedelta(days=i) for i in range(WORKDAYS)]
    floors = pq.floors_with("room")
    room_id = request.args.get("room", type=int)
    floor = pq.pick_floor(floors, request.args.get("floor", type=int))
    if room_id is not None:
        floor = next((f for f in floors if any(r.id == room_id for r in f.resources)), floor)
    rows = _cells(current_user, days, floor.id, room_id, now) if floor else []
    organisation = (organisation_week(current_user, days, now)
                    if current_user.role in COORDINATING else None)
    return render_template("booking/week.html", days=days, floors=floors, floor=floor,
                           room_id=room_id, rows=rows, organisation=organisation,
                           today=local_day(now, tz()),
                           this_week=iso_week(monday),
                           prev_week=iso_week(monday - timedelta(days=7)),
                           next_week=iso_week(monday + timedelta(days=7)))
