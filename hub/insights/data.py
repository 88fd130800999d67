"""Loads the facts of a period through the booking and sensor read side, a few weeks at a
time (memory holds one block, whatever the length of the period)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hub.accounts.models import Organisation
from hub.booking.models import Booking, RefusedDemand
from hub.building.models import Floor, Resource, Site
from hub.extensions import db
from hub.insights.facts import BookingFact, Facts, Known, OpenDay, Presence, Refusal, Space
from hub.insights.report import Names
from hub.insights.window import weeks
from hub.sensors import coverage
from hub.sensors import queries as sensors

BLOCK_WEEKS = 13  # a quarter: few enough queries, memory bounded by one block
Progress = Callable[[int, int], None]


def spaces(*, kind: str | None = None, site: str | None = None) -> list[Space]:
    """Active resources (optionally of one kind, on one site) with what the figures need."""
    query = (select(Resource).join(Floor).join(Site).where(Resource.active.is_(True))
             .options(selectinload(Resource.restricted_to), selectinload(Resource.floor))
             .order_by(Resource.kind, Resource.name))
    if kind:
        query = query.where(Resource.kind == kind)
    if site:
        query = query.where(Site.slug == site)
    resources = list(db.session.scalars(query))
    counting = coverage.counting_resources([r.id for r in resources])
    return [Space(r.id, r.kind, r.capacity, r.slug, r.name, r.floor_id, r.floor.name,
                  r.floor.site.slug, r.is_private, frozenset(o.id for o in r.restricted_to),
                  r.id in counting, r.bookable) for r in resources]


def names(all_spaces: list[Space], private_label: str) -> Names:
    orgs = {o.id: (o.slug, o.name) for o in db.session.scalars(select(Organisation))}
    return Names({s.id: (s.slug, s.name) for s in all_spaces}, orgs,
                 {s.floor_id: s.floor_name for s in all_spaces}, private_label)


def _bookings(ids: list[int], lo: datetime, hi: datetime) -> list[BookingFact]:
    rows = db.session.execute(select(
        Booking.id, Booking.resource_id, Booking.organisation_id, Booking.start, Booking.end,
        Booking.status, Booking.created_at, Booking.checked_in_at, Booking.released_at,
        Booking.cancelled_at, Booking.attendees).where(
        Booking.resource_id.in_(ids), Booking.start < hi, Booking.end > lo)
        .order_by(Booking.start)).all()
    return [BookingFact(*row) for row in rows]


def _refusals(kinds: set[str], lo: datetime, hi: datetime,
              organisation_id: int | None = None) -> list[Refusal]:
    query = select(RefusedDemand.at, RefusedDemand.kind, RefusedDemand.start,
                   RefusedDemand.end, RefusedDemand.organisation_id, RefusedDemand.people).where(
        RefusedDemand.kind.in_(kinds), RefusedDemand.start >= lo, RefusedDemand.start < hi,
        RefusedDemand.resolved_at.is_(None))  # resolved: served after all, left out
    if organisation_id is not None:
        query = query.where(RefusedDemand.organisation_id == organisation_id)
    return [Refusal(*row) for row in db.session.execute(query)]


def _sensor_facts(ids: list[int], lo: datetime, hi: datetime) -> tuple[list[Presence],
                                                                       list[Known]]:
    presence = [Presence(s.resource_id, s.start, s.end, s.people_max, s.walk_through)
                for s in sensors.sessions(ids, lo, hi, include_walk_throughs=True)]
    known = [Known(rid, start, end) for rid, start, end in coverage.known_intervals(ids, lo, hi)]
    return presence, known


def blocks(all_spaces: list[Space], days: list[OpenDay], *,
           progress: Progress | None = None) -> Iterator[Facts]:
    """The facts week by week, loaded BLOCK_WEEKS weeks at a time."""
    ids = [s.id for s in all_spaces]
    kinds = {s.kind for s in all_spaces}
    chunks = list(weeks(days))
    for first in range(0, len(chunks), BLOCK_WEEKS):
        block = chunks[first:first + BLOCK_WEEKS]
        lo, hi = block[0][0].start, block[-1][-1].end
        bookings = _bookings(ids, lo, hi) if ids else []
        refusals = _refusals(kinds, lo - timedelta(hours=12), hi + timedelta(hours=12))
        presence, known = _sensor_facts(ids, lo, hi) if ids else ([], [])
        for week in block:
            wlo, whi = week[0].start, week[-1].end
            yield Facts(week, [b for b in bookings if b.start < whi and b.end > wlo],
                        [p for p in presence if p.start < whi and p.end > wlo],
                        [k for k in known if k.start < whi and k.end > wlo],
                        [r for r in refusals if wlo - timedelta(hours=12) <= r.start < whi])
        if progress:
            progress(min(first + BLOCK_WEEKS, len(chunks)), len(chunks))


def searches(all_spaces: list[Space], since: datetime, until: datetime
             ) -> tuple[list[BookingFact], list[Refusal]]:
    """For the waiting times: the bookings that could be in the way of a search made in the
    period (up to the 8-week horizon beyond it) and the empty searches."""
    ids = [s.id for s in all_spaces]
    horizon = until + timedelta(days=57)
    rows = _bookings(ids, since - timedelta(days=1), horizon) if ids else []
    refusals = db.session.execute(select(
        RefusedDemand.at, RefusedDemand.kind, RefusedDemand.start, RefusedDemand.end,
        RefusedDemand.organisation_id, RefusedDemand.people).where(
        RefusedDemand.at >= since, RefusedDemand.at < until)).all()
    return rows, [Refusal(*r) for r in refusals]


def today(now: datetime, tz: str) -> date:
    from zoneinfo import ZoneInfo

    return now.astimezone(ZoneInfo(tz)).date()
