"""Finding a free place, and recording the search as refused demand when nothing is free."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from hub.accounts.models import User
from hub.booking import store
from hub.booking.messages import violation
from hub.booking.models import Booking, RefusedDemand
from hub.booking.policies import kind_policy, policy_of
from hub.booking.rules import RuleError, check
from hub.booking.services.checks import Interval, check_times, person_for
from hub.building.models import RESOURCE_KINDS, Floor, Resource, Site
from hub.building.services import may_book, permitted_pairs
from hub.db import write
from hub.errors import InvalidInput
from hub.extensions import db


def _candidates(kind: str, site: str | None, floor: int | None) -> list[Resource]:
    query = (select(Resource).join(Floor).join(Site)
             .where(Resource.kind == kind, Resource.active.is_(True),
                    Resource.bookable.is_(True)).order_by(Resource.capacity, Resource.name))
    if site:
        query = query.where(Site.slug == site)
    if floor:
        query = query.where(Resource.floor_id == floor)
    return list(db.session.scalars(query))


def _busy_ids(ids: list[int], start: datetime, end: datetime) -> set[int]:
    if not ids:
        return set()
    return set(db.session.scalars(select(Booking.resource_id).where(
        Booking.resource_id.in_(ids), Booking.overlapping(start, end))))


def _fits(resource: Resource, start: datetime, end: datetime, now: datetime) -> bool:
    try:
        check(policy_of(resource), start, end, now)
    except RuleError:
        return False
    return True


@dataclass(frozen=True)
class SeriesMatch:
    """A place for a series: the dates it is taken (empty: free on every date)."""

    resource: Resource
    taken: tuple[Interval, ...]


def _fitting(person: User, kind: str, start: datetime, end: datetime, now: datetime,
             people: int | None, amenities: Iterable[str], site: str | None,
             floor: int | None) -> tuple[list[Resource], list[Resource]]:
    """(places the person's organisation may book, those of them that fit the request)."""
    if kind not in RESOURCE_KINDS:
        raise InvalidInput(_("Kind must be desk, room or landing_spot."), {"field": "kind"})
    check_times(start, end)
    people = store.clean_attendees(people)
    if kind != "room":
        people = None  # capacity applies to rooms; a desk or a landing spot seats one
    try:
        check(kind_policy(kind), start, end, now)
    except RuleError as error:
        raise violation(error) from None
    pairs, wanted = permitted_pairs(), set(amenities)
    allowed = [r for r in _candidates(kind, site, floor)
               if may_book(person.organisation, r, pairs)]
    fitting = [r for r in allowed if (people is None or r.capacity >= people)
               and wanted <= set(r.amenities or []) and _fits(r, start, end, now)]
    return allowed, fitting


def find_free(*, actor_id: int, kind: str, start: datetime, end: datetime, now: datetime,
              people: int | None = None, amenities: Iterable[str] = (), site: str | None = None,
              floor: int | None = None, on_behalf_of: str | None = None) -> list[Resource]:
    """Free resources the actor (or, on behalf, the colleague) may book for [start, end),
    smallest fitting first; an empty answer is stored as refused demand."""
    actor = store.user(actor_id)
    person = person_for(actor, on_behalf_of)
    allowed, fitting = _fitting(person, kind, start, end, now, people, amenities, site, floor)
    busy = _busy_ids([r.id for r in fitting], start, end)
    free = [r for r in fitting if r.id not in busy]
    if not free and allowed:
        _record_empty_search(person, kind, start, end, people, now)
    return free


def find_free_series(*, actor_id: int, kind: str, dates: list[Interval], now: datetime,
                     people: int | None = None, amenities: Iterable[str] = (),
                     on_behalf_of: str | None = None) -> list[SeriesMatch]:
    """Places for every date of a series: free on all dates first, then those free on most
    dates (each with the dates it is taken); places free on no date are left out."""
    actor = store.user(actor_id)
    person = person_for(actor, on_behalf_of)
    start, end = dates[0]
    allowed, fitting = _fitting(person, kind, start, end, now, people, amenities, None, None)
    ids = [r.id for r in fitting]
    busy_on = [(d, _busy_ids(ids, d[0], d[1])) for d in dates]
    matches = [SeriesMatch(r, tuple(d for d, busy in busy_on if r.id in busy))
               for r in fitting]
    matches = [m for m in matches if len(m.taken) < len(dates)]
    if not any(not m.taken for m in matches) and allowed:
        _record_empty_search(person, kind, start, end, people, now)
    return sorted(matches, key=lambda m: len(m.taken))


def _record_empty_search(actor: object, kind: str, start: datetime, end: datetime,
                         people: int | None, now: datetime) -> None:
    # The same person repeating the same search is one unmet request, not many.
    with write():
        _record_unmet(actor, kind, start, end, people, now)


def _record_unmet(actor: object, kind: str, start: datetime, end: datetime,
                  people: int | None, now: datetime) -> None:
    user_id = getattr(actor, "id", None)
    repeated = db.session.scalar(select(RefusedDemand.id).where(
        RefusedDemand.user_id == user_id, RefusedDemand.kind == kind,
        RefusedDemand.start == start, RefusedDemand.end == end,
        RefusedDemand.resolved_at.is_(None)).limit(1))
    if repeated is None:
        store.record_refusal(kind=kind, start=start, end=end, person=actor,  # type: ignore[arg-type]
                             people=people, reason="no_free_resource", now=now)
