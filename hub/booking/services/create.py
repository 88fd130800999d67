"""Create a booking: one, or a recurring series from an RRULE, for the actor or on behalf."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _

from hub.accounts.models import User
from hub.booking import events, store
from hub.booking.messages import violation
from hub.booking.models import Booking, BookingSeries
from hub.booking.policies import policy_of
from hub.booking.recurrence import Skipped, occurrences, sort_out
from hub.booking.rules import Policy, RuleError
from hub.booking.services.checks import (
    Interval,
    audit,
    bookable_resource,
    check_permission,
    check_rules,
    check_times,
    person_for,
    refuse,
    series_conflict,
    split,
)
from hub.building.models import Resource
from hub.db import transactional
from hub.errors import InvalidInput
from hub.extensions import db
from hub.timeutil import day_bounds

COUNTS_AS_CHECKED_IN = timedelta(minutes=15)


@dataclass
class CreateResult:
    """What create_booking made: the first booking, all occurrences, skipped conflicts."""

    booking: Booking
    occurrences: list[Booking] = field(default_factory=list)
    conflicts: list[Interval] = field(default_factory=list)
    series: BookingSeries | None = None
    # Every occurrence of a series that was not booked, with its reason (conflict, horizon,
    # closed_day), in time order: nothing is dropped without a word.
    skipped: list[Skipped] = field(default_factory=list)


def _new(resource: Resource, person: User, actor: User, interval: Interval, now: datetime,
         subject: str | None, attendees: int | None, series: BookingSeries | None,
         walk_in: WalkIn | None = None) -> Booking:
    start, end = interval
    if walk_in is not None and walk_in.held_from is not None:
        start = max(start, walk_in.held_from.replace(second=0, microsecond=0))
    # Booked less than 15 minutes before the start: the person is (almost) there already.
    arrived = start - now < COUNTS_AS_CHECKED_IN
    booking = Booking(resource=resource, user_id=person.id, created_by_id=actor.id,
                      organisation_id=person.organisation_id, start=start, end=end,
                      status="checked_in" if arrived else "booked",
                      checked_in_at=now if arrived else None, subject=subject,
                      attendees=attendees, series=series, sequence=0, created_at=now,
                      updated_at=now, visitor_name=walk_in.name if walk_in else None)
    db.session.add(booking)
    return booking


@dataclass(frozen=True)
class WalkIn:
    """A walk-in at the kiosk: the visitor's first name, who took it (the kiosk's label) and
    from when it is held (the rules judge the whole half-day; the booking starts now)."""

    name: str
    label: str
    held_from: datetime | None = None


@transactional
def create_booking(*, actor_id: int, resource: Resource | int | str, start: datetime,
                   end: datetime, now: datetime, subject: str | None = None,
                   attendees: int | None = None, on_behalf_of: str | None = None,
                   rrule: str | None = None, skip_conflicts: bool = False,
                   channel: str = "web", walk_in: WalkIn | None = None) -> CreateResult:
    """Book a resource (or a series from an RRULE) for the actor or, on behalf, a colleague;
    or, with `walk_in`, for a visitor at the kiosk."""
    actor = store.user(actor_id)
    person = person_for(actor, on_behalf_of)
    place = bookable_resource(resource)
    check_permission(place, person)
    subject, attendees = store.clean_subject(subject), store.clean_attendees(attendees)
    check_times(start, end)
    policy = policy_of(place)
    if policy.quota_per_day is not None and walk_in is None:
        store.lock_person(person.id)  # before the quota count: it must stay true
    intervals, left_out = _intervals(policy, start, end, rrule, now)
    # Each walk-in is another visitor: the placeholder's bookings are no one person's quota.
    check_rules(policy, place, person, intervals, now, attendees, quota=walk_in is None)
    found: list[Booking] = []
    free, taken = split(place.id, intervals, found=found)
    if taken and rrule is None:
        raise refuse(place, person, start, end, now, attendees, policy.tz, found)
    skipped = sorted([Skipped(s, e, "conflict") for s, e in taken] + left_out,
                     key=lambda k: k.start)
    if taken and (not skip_conflicts or not free):
        raise series_conflict(taken, policy.tz, skipped)
    series = None
    if rrule is not None:
        series = BookingSeries(rrule=rrule.strip(), dtstart=start, created_by_id=actor.id,
                               created_at=now)
    try:
        with store.constraint_guard():
            made = [_new(place, person, actor, i, now, subject, attendees, series, walk_in)
                    for i in free]
    except store.OverlapLost:
        raise refuse(place, person, start, end, now, attendees, policy.tz) from None
    for t_start, t_end in taken:
        store.record_refusal(kind=place.kind, start=t_start, end=t_end, person=person,
                             people=attendees, reason="conflict", now=now)
    for booking in made:
        store.resolve_refusals(user_id=person.id, kind=place.kind, start=booking.start,
                               end=booking.end, now=now)
        audit(actor, booking, "booking.create", now, channel, before=None,
              label=walk_in.label if walk_in else None)
    events.publish("created", made, now=now)
    return CreateResult(booking=made[0], occurrences=made if series else [], conflicts=taken,
                        series=series, skipped=skipped)


def horizon_end(policy: Policy, now: datetime) -> datetime:
    """The end of the last local day that may be booked."""
    last = now.astimezone(policy.zone).date() + timedelta(days=policy.horizon_days)
    return day_bounds(last, policy.tz)[1]


def _intervals(policy: Policy, start: datetime, end: datetime, rrule: str | None,
               now: datetime) -> tuple[list[Interval], list[Skipped]]:
    """The occurrences to book and those left out (past the horizon, on a closing day)."""
    if rrule is None:
        return [(start, end)], []
    if not isinstance(rrule, str):
        raise InvalidInput(_("The repeat rule must be text."), {"field": "rrule"})
    try:
        found = occurrences(rrule, start, end, tz=policy.tz, horizon_end=horizon_end(policy, now))
        bookable, left_out = sort_out(policy, found, now)
    except RuleError as error:
        raise violation(error) from None
    if not bookable:
        # Nothing of the series can be booked: refuse with the first reason.
        first = left_out[0]
        raise violation(RuleError(first.reason, days=policy.horizon_days, day=first.start))
    return bookable, left_out


