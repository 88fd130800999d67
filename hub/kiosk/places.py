"""Where a walk-in may sit now: free landing spots (and desks where the policy allows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hub.accounts.models import Organisation
from hub.booking.models import Booking
from hub.booking.policies import kind_policy, policy_of
from hub.booking.rules import Policy, is_closed
from hub.building.models import Floor, Resource
from hub.building.queries import states_now
from hub.building.services import may_book, permitted_pairs
from hub.extensions import db
from hub.kiosk import rules
from hub.timeutil import day_bounds

WALK_IN_KINDS = ("landing_spot", "desk")


@dataclass(frozen=True)
class Place:
    resource: Resource
    start: datetime  # the half-day the walk-in is judged as
    end: datetime


def windows(now: datetime) -> dict[str, tuple[datetime, datetime]]:
    """Per resource kind that takes walk-ins now: the half-day a walk-in gets."""
    found = {}
    for kind in WALK_IN_KINDS:
        policy = kind_policy(kind)
        if not policy.walk_in:
            continue
        window = rules.half_day(policy, now)
        if window is not None:
            found[kind] = window
    return found


def half_day(now: datetime) -> tuple[datetime, datetime] | None:
    """The landing spots' half-day now (or any walk-in kind's); None when closed."""
    found = windows(now)
    return found.get("landing_spot") or next(iter(found.values()), None)


def free_places(org: Organisation | None, now: datetime) -> list[Place]:
    """Walk-in places free from now to the end of their half-day, for this organisation
    (None: for anyone who may use walk-ins at all), landing spots first."""
    spans = windows(now)
    if not spans:
        return []
    query = (select(Resource).join(Floor).where(
        Resource.kind.in_(list(spans)), Resource.active.is_(True), Resource.bookable.is_(True))
        .order_by(Resource.kind.desc(), Floor.level, Resource.name))
    candidates = list(db.session.scalars(query))
    pairs = permitted_pairs()
    candidates = [r for r in candidates if (org is None and not r.restricted)
                  or (org is not None and may_book(org, r, pairs))]
    busy = _busy({r.id: (now, spans[r.kind][1]) for r in candidates})
    states = states_now([r.id for r in candidates], now=now)
    return [Place(r, *spans[r.kind]) for r in candidates
            if r.id not in busy and states.get(r.id) not in ("occupied", "booked")]


def _busy(intervals: dict[int, tuple[datetime, datetime]]) -> set[int]:
    if not intervals:
        return set()
    latest = max(end for _start, end in intervals.values())
    earliest = min(start for start, _end in intervals.values())
    rows = db.session.execute(select(Booking.resource_id, Booking.start, Booking.end).where(
        Booking.resource_id.in_(list(intervals)), Booking.overlapping(earliest, latest)))
    return {rid for rid, start, end in rows
            if start < intervals[rid][1] and intervals[rid][0] < end}


def pick(places: list[Place], wanted: str | int | None) -> Place | None:
    """The place the visitor chose (id or slug), or the first free one."""
    if wanted in (None, ""):
        return places[0] if places else None
    for place in places:
        if str(wanted) in (str(place.resource.id), place.resource.slug):
            return place
    return None


BOOK_NOW = timedelta(minutes=60)  # a room booked with one tap on its door label


def next_free(resource: Resource, now: datetime) -> tuple[datetime, datetime] | None:
    """The next free slot of today on this resource: for a desk or landing spot the first
    half-day (or day) not over and not taken; for a room up to an hour from now (or from the
    end of the booking in the way), cut short by the next booking or closing time."""
    policy = policy_of(resource)
    here = now.astimezone(policy.zone)
    if is_closed(policy, here.date()):
        return None
    day_start, day_end = day_bounds(here.date(), policy.tz)
    taken = sorted((b.start, b.end) for b in db.session.scalars(select(Booking).where(
        Booking.resource_id == resource.id, Booking.overlapping(day_start, day_end))))
    if policy.slots:
        for slot in sorted(policy.slots, key=lambda s: (s.start, s.end)):
            start = datetime.combine(here.date(), slot.start, policy.zone).astimezone(UTC)
            end = datetime.combine(here.date(), slot.end, policy.zone).astimezone(UTC)
            if end > now and not any(s < end and start < e for s, e in taken):
                return start, end
        return None
    return _room_gap(policy, here, taken, now)


def _room_gap(policy: Policy, here: datetime, taken: list[tuple[datetime, datetime]],
              now: datetime) -> tuple[datetime, datetime] | None:
    step = max(policy.step_minutes, 1)
    start = here.replace(minute=here.minute - here.minute % step, second=0,
                         microsecond=0).astimezone(UTC)
    opens = datetime.combine(here.date(), policy.opens, policy.zone).astimezone(UTC)
    closes = datetime.combine(here.date(), policy.closes, policy.zone).astimezone(UTC)
    start = max(start, opens)
    minimum = timedelta(minutes=policy.min_minutes)
    for busy_start, busy_end in [*taken, (closes, closes)]:
        if busy_end <= start:
            continue
        end = min(start + BOOK_NOW, busy_start, closes)
        if end - start >= minimum:
            return start, end
        start = max(start, busy_end)
        if start >= closes:
            return None
    return None
