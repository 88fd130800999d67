"""The live board: every resource free / booked / in use / unknown, until when, per floor,
and which organisations are on the plaza today.

The board hangs on a wall that anyone passing can read, so it shows the same to every viewer:
the organisation of a booking on a normal resource, never a person, never a subject, and for
a private resource only busy or free (PRODUCT.md: private means busy/free to outsiders in
every channel)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hub.booking.models import Booking
from hub.booking.rules import ACTIVE
from hub.building.models import Floor, Resource, Site
from hub.building.queries import states_now
from hub.extensions import db
from hub.sensors.queries import presence_now
from hub.timeutil import day_bounds, local, local_iso, rfc3339

PLAZA_KIND = "landing_spot"


def _tz() -> str:
    return str(current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam"))


def _resources() -> list[Resource]:
    return list(db.session.scalars(
        select(Resource).join(Floor).join(Site).where(Resource.active.is_(True))
        .options(selectinload(Resource.restricted_to), selectinload(Resource.floor))
        .order_by(Site.name, Floor.level, Floor.name, Resource.kind, Resource.name)))


def _today(now: datetime) -> tuple[datetime, datetime]:
    return day_bounds(local(now, _tz()).date(), _tz())


def _bookings_today(now: datetime) -> list[Booking]:
    start, end = _today(now)
    return list(db.session.scalars(
        select(Booking).where(Booking.start < end, Booking.end > start,
                              Booking.status.in_((*ACTIVE, "completed")))
        .options(selectinload(Booking.organisation)).order_by(Booking.start)))


def _note(booking: Booking | None, sensor: str | None, now: datetime) -> str | None:
    """What a passer-by should notice: a no-show in the making, or use nobody booked."""
    if booking is None:
        return "unbooked_use" if sensor == "occupied" else None
    if booking.status != "booked" or booking.start > now or sensor == "occupied":
        return None  # checked in, not begun, or someone is there (a soft check-in)
    return "no_show" if sensor == "vacant" else "not_checked_in"


def _row(resource: Resource, state: str, sensor: str | None, current: Booking | None,
         upcoming: Booking | None, now: datetime) -> dict[str, Any]:
    tz = _tz()
    until = current.end if current else (upcoming.start if upcoming else None)
    visible = current is not None and not resource.is_private
    org = current.organisation if visible and current else None
    return {"resource": {"id": resource.id, "slug": resource.slug, "name": resource.name,
                         "kind": resource.kind, "privacy": resource.privacy,
                         "floor": {"id": resource.floor.id, "name": resource.floor.name}},
            "state_now": state, "sensor": sensor,
            "booking": (current.status if current else None),
            "until": rfc3339(until) if until else None,
            "until_local": local_iso(until, tz) if until else None,
            "organisation": {"slug": org.slug, "name": org.name} if org else None,
            "note": _note(current, sensor, now)}


def board(now: datetime) -> dict[str, Any]:
    """Everything the board shows at `now`, the same for every viewer."""
    resources = _resources()
    ids = [r.id for r in resources]
    states, sensors = states_now(ids, now=now), presence_now(ids, now)
    today = _bookings_today(now)
    current = {b.resource_id: b for b in today if b.status in ACTIVE and b.start <= now < b.end}
    upcoming: dict[int, Booking] = {}
    for b in today:
        if b.status in ACTIVE and b.start > now:
            upcoming.setdefault(b.resource_id, b)
    rows = [_row(r, states.get(r.id, "free"), sensors.get(r.id), current.get(r.id),
                 upcoming.get(r.id), now) for r in resources]
    return {"updated_at": rfc3339(now), "updated_at_local": local_iso(now, _tz()),
            "items": rows, "floors": _floors(resources, rows),
            "plaza": plaza_today(today, resources)}


def _floors(resources: list[Resource], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = {}
    for resource, row in zip(resources, rows, strict=True):
        floor = resource.floor
        group = groups.setdefault(floor.id, {"id": floor.id, "name": floor.name,
                                             "site": floor.site.name, "level": floor.level,
                                             "counts": {}, "items": []})
        group["items"].append(row)
        group["counts"][row["state_now"]] = group["counts"].get(row["state_now"], 0) + 1
    return list(groups.values())


def plaza_today(today: list[Booking], resources: list[Resource]) -> list[dict[str, str]]:
    """Organisations with a landing spot today (not people; released and cancelled left out)."""
    spots = {r.id for r in resources if r.kind == PLAZA_KIND and not r.is_private}
    orgs = {b.organisation.slug: b.organisation.name for b in today if b.resource_id in spots}
    return [{"slug": slug, "name": name}
            for slug, name in sorted(orgs.items(), key=lambda item: item[1].lower())]


def resource_row(resource: Resource, now: datetime) -> dict[str, Any]:
    """One resource as the board shows it (for its door label page)."""
    state = states_now([resource.id], now=now).get(resource.id, "free")
    sensor = presence_now([resource.id], now).get(resource.id)
    today = [b for b in _bookings_today(now) if b.resource_id == resource.id]
    current = next((b for b in today if b.status in ACTIVE and b.start <= now < b.end), None)
    upcoming = next((b for b in today if b.status in ACTIVE and b.start > now), None)
    return _row(resource, state, sensor, current, upcoming, now)


def refresh_seconds() -> int:
    """Polling interval of the board: 15 to 30 seconds (tests may configure less)."""
    return int(current_app.config.get("HUB_BOARD_REFRESH_S", 20))
