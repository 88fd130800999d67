"""The live board: every resource free / booked / in use / unknown, until when, per floor,
and which organisations are on the plaza today.

The board hangs on a wall that anyone passing can read, so it shows the same to every viewer:
the organisation of a booking on a normal resource, never a person, never a subject, and for
a private resource only busy or free (PRODUCT.md: private means busy/free to outsiders in
every channel)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import select

from hub import readcache
from hub.accounts.models import Organisation
from hub.booking.models import Booking
from hub.booking.queries import SPAN_LIMIT
from hub.booking.rules import ACTIVE
from hub.building.models import Resource
from hub.building.queries import ResourceInfo, resource_infos, states_now
from hub.extensions import db
from hub.sensors.queries import presence_now
from hub.timeutil import day_bounds, local, local_iso, rfc3339

PLAZA_KIND = "landing_spot"


class Today(NamedTuple):
    """The columns of one of today's bookings the board reads (no person, no subject)."""

    resource_id: int
    start: datetime
    end: datetime
    status: str
    org_slug: str
    org_name: str


def _tz() -> str:
    return str(current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam"))


def _today(now: datetime) -> tuple[datetime, datetime]:
    return day_bounds(local(now, _tz()).date(), _tz())


def _bookings_today(now: datetime, resource_id: int | None = None) -> list[Today]:
    """Today's bookings (active or completed) with their organisation, in one Core query on a
    range of ix_bookings_start (a booking never leaves its local day: SPAN_LIMIT)."""
    start, end = _today(now)
    query = (select(Booking.resource_id, Booking.start, Booking.end, Booking.status,
                    Organisation.slug, Organisation.name)
             .join(Organisation, Organisation.id == Booking.organisation_id)
             .where(Booking.start < end, Booking.end > start,
                    Booking.start > start - SPAN_LIMIT,
                    Booking.status.in_((*ACTIVE, "completed")))
             .order_by(Booking.start))
    if resource_id is not None:
        query = query.where(Booking.resource_id == resource_id)
    return [Today(*row) for row in db.session.execute(query)]


def _note(booking: Today | None, sensor: str | None, now: datetime) -> str | None:
    """What a passer-by should notice: a no-show in the making, or use nobody booked."""
    if booking is None:
        return "unbooked_use" if sensor == "occupied" else None
    if booking.status != "booked" or booking.start > now or sensor == "occupied":
        return None  # checked in, not begun, or someone is there (a soft check-in)
    return "no_show" if sensor == "vacant" else "not_checked_in"


def _described(resource: ResourceInfo | Resource) -> dict[str, Any]:
    floor = resource.floor
    floor_ref = ({"id": floor["id"], "name": floor["name"]} if isinstance(floor, dict)
                 else {"id": floor.id, "name": floor.name})
    return {"id": resource.id, "slug": resource.slug, "name": resource.name,
            "kind": resource.kind, "privacy": resource.privacy, "floor": floor_ref}


def _row(resource: ResourceInfo | Resource, state: str, sensor: str | None,
         current: Today | None, upcoming: Today | None, now: datetime, tz: str,
         times: dict[datetime, tuple[str, str]]) -> dict[str, Any]:
    until = current.end if current else (upcoming.start if upcoming else None)
    visible = current is not None
    if until is not None and until not in times:
        times[until] = (rfc3339(until), local_iso(until, tz))  # type: ignore[assignment]
    until_text, until_local = times[until] if until is not None else (None, None)
    if resource.is_private:
        # Busy or free, and until when: not whether someone checked in, what a sensor saw,
        # or a no-show in the making (the wall board, the API and the kiosk alike).
        busy = current is not None or state in ("booked", "occupied")
        return {"resource": _described(resource),
                "state_now": "booked" if busy else state, "sensor": None, "booking": None,
                "until": until_text, "until_local": until_local, "organisation": None,
                "note": None}
    return {"resource": _described(resource),
            "state_now": state, "sensor": sensor,
            "booking": (current.status if current else None),
            "until": until_text, "until_local": until_local,
            "organisation": ({"slug": current.org_slug, "name": current.org_name}
                             if visible and current else None),
            "note": _note(current, sensor, now)}


def _current_and_next(today: list[Today], now: datetime) -> tuple[dict[int, Today],
                                                                  dict[int, Today]]:
    current = {b.resource_id: b for b in today if b.status in ACTIVE and b.start <= now < b.end}
    upcoming: dict[int, Today] = {}
    for b in today:
        if b.status in ACTIVE and b.start > now:
            upcoming.setdefault(b.resource_id, b)
    return current, upcoming


def board(now: datetime) -> dict[str, Any]:
    """Everything the board shows at `now`, the same for every viewer: `items` (one row per
    resource, floor after floor) and `floors` (name, site, level, counts and the number of
    resources of each floor; its rows are the items with that `resource.floor.id`)."""
    tz = _tz()
    # What does not depend on the moment (the resources, today's bookings) is kept until
    # the next write; states and sensors are asked at `now`.
    resources, today = readcache.cached(
        ("board.data", local(now, tz).date()),
        lambda: (resource_infos(by_site=True), _bookings_today(now)))
    ids = [r.id for r in resources]
    states, sensors = states_now(ids, now=now), presence_now(ids, now)
    current, upcoming = _current_and_next(today, now)
    times: dict[datetime, tuple[str, str]] = {}
    rows = [_row(r, states.get(r.id, "free"), sensors.get(r.id), current.get(r.id),
                 upcoming.get(r.id), now, tz, times) for r in resources]
    return {"updated_at": rfc3339(now), "updated_at_local": local_iso(now, tz),
            "items": rows, "floors": _floors(resources, rows),
            "plaza": plaza_today(today, resources)}


def current(now: datetime) -> dict[str, Any]:
    """The board of this second (`updated_at` has seconds), built once per second and kept
    until the next committed write (hub.readcache): the same for every viewer, so a wall
    of screens and a hall of phones cost one build. Not to be changed by the caller."""
    second = now.replace(microsecond=0)
    return readcache.cached(("board",), lambda: board(second),
                            still=lambda data: data["updated_at"] == rfc3339(second))


def current_json(now: datetime, **extra: Any) -> bytes:
    """`current(now)` with `extra` keys, as the JSON text the API sends (encoded once)."""
    second = rfc3339(now.replace(microsecond=0))
    _second, body = readcache.cached(
        ("board.json", *sorted(extra)),
        lambda: (second, readcache.json_body({**current(now), **extra})),
        still=lambda kept: kept[0] == second)
    return body


def _floors(resources: list[ResourceInfo], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per floor its name, site, level, counts per state and number of resources (the rows
    themselves are sent once, in `items`)."""
    groups: dict[int, dict[str, Any]] = {}
    for resource, row in zip(resources, rows, strict=True):
        floor = resource.floor
        group = groups.setdefault(floor["id"], {"id": floor["id"], "name": floor["name"],
                                                "site": floor["site"], "level": floor["level"],
                                                "counts": {}, "total": 0})
        group["total"] += 1
        group["counts"][row["state_now"]] = group["counts"].get(row["state_now"], 0) + 1
    return list(groups.values())


def plaza_today(today: list[Today], resources: list[ResourceInfo]) -> list[dict[str, str]]:
    """Organisations with a landing spot today (not people; released and cancelled left out)."""
    spots = {r.id for r in resources if r.kind == PLAZA_KIND and not r.is_private}
    orgs = {b.org_slug: b.org_name for b in today if b.resource_id in spots}
    return [{"slug": slug, "name": name}
            for slug, name in sorted(orgs.items(), key=lambda item: item[1].lower())]


def resource_row(resource: Resource, now: datetime) -> dict[str, Any]:
    """One resource as the board shows it (for its door label page)."""
    state = states_now([resource.id], now=now).get(resource.id, "free")
    sensor = presence_now([resource.id], now).get(resource.id)
    current, upcoming = _current_and_next(_bookings_today(now, resource.id), now)
    return _row(resource, state, sensor, current.get(resource.id), upcoming.get(resource.id),
                now, _tz(), {})


def refresh_seconds() -> int:
    """Polling interval of the board: 15 to 30 seconds (tests may configure less)."""
    return int(current_app.config.get("HUB_BOARD_REFRESH_S", 20))
