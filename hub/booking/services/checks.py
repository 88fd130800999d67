"""Checks shared by the booking use cases, in the order of the contract: 403, 400, 422, 409."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from hub.accounts.models import User
from hub.accounts.roles import ON_BEHALF_ROLES
from hub.audit.services import record
from hub.booking import store
from hub.booking.messages import conflict, interval_details, violation
from hub.booking.models import Booking
from hub.booking.rules import Policy, RuleError, check, check_access
from hub.building.models import Resource
from hub.building.services import may_book, permitted_pairs, resource_by_ref
from hub.db import commit_then_raise
from hub.errors import InvalidInput, NotAllowed, NotFound, SeriesConflict
from hub.extensions import db

Interval = tuple[datetime, datetime]


def check_times(start: Any, end: Any) -> None:
    """400 for times that are no instants: naive, missing, or end not after start."""
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        raise InvalidInput(_("Give a start and an end time."), {"field": "start"})
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput(_("Give times with a UTC offset, e.g. 2026-03-30T09:00:00+02:00."),
                           {"field": "start"})
    if end <= start:
        raise InvalidInput(_("The end must be after the start."), {"field": "end"})


def person_for(actor: User, on_behalf_of: str | None) -> User:
    """The person a booking is for: the actor, or a colleague when allowed (403 otherwise)."""
    if not on_behalf_of:
        return actor
    from hub.accounts.services import normalise_email

    if actor.role not in ON_BEHALF_ROLES:
        raise NotAllowed(_("Only reception and coordinators may book for someone else."))
    try:
        person = db.session.query(User).filter_by(
            email=normalise_email(str(on_behalf_of)[:254])).one_or_none()
    except (ValueError, InvalidInput):
        person = None
    if person is None or not person.active:
        raise NotFound(_("There is no active colleague with that e-mail address."))
    if actor.role == "coordinator" and person.organisation_id != actor.organisation_id:
        raise NotAllowed(_("A coordinator may book only for members of their own organisation."))
    return person


def bookable_resource(ref: Resource | int | str) -> Resource:
    resource = ref if isinstance(ref, Resource) else resource_by_ref(ref)
    if not resource.active:
        raise NotFound(_("No such resource."))
    return resource


def check_permission(resource: Resource, person: User) -> None:
    """403 before anything else is looked at: a restricted place of another organisation is
    a permission (CONTRACT section 2), not a booking rule."""
    if resource.restricted and not resource.owned_by(person.organisation_id):
        raise NotAllowed(_("This place is reserved for its own organisation."),
                         {"rule": "restricted"})


def check_rules(policy: Policy, resource: Resource, person: User, intervals: list[Interval],
                now: datetime, attendees: int | None, exclude: tuple[int, ...] = (),
                quota: bool = True) -> None:
    """422 naming the first broken rule (and the occurrence, for a series)."""
    try:
        check_access(restricted_ok=not resource.restricted or resource.owned_by(
            person.organisation_id), kind_ok=resource.bookable and may_book(
            person.organisation, resource, permitted_pairs()))
    except RuleError as error:
        raise violation(error) from None
    per_day: dict[Any, int] = {}
    for start, end in intervals:
        try:
            # Time rules first: only a sane time may reach the quota count in the database.
            check(policy, start, end, now, attendees=attendees, capacity=resource.capacity)
            day = start.astimezone(policy.zone).date()
            if day not in per_day:
                # Only a policy with a quota needs the count (rooms have none by default).
                counted = quota and policy.quota_per_day is not None
                per_day[day] = store.open_on_day(person.id, resource.kind, start, policy.tz,
                                                 exclude) if counted else 0
            check(policy, start, end, now, open_same_day=per_day[day])
        except RuleError as error:
            details = interval_details(start, end, policy.tz) if len(intervals) > 1 else {}
            raise violation(error, **({"occurrence": details} if details else {})) from None
        per_day[day] += 1


def split(resource_id: int, intervals: list[Interval], exclude: tuple[int, ...] = (),
          found: list[Booking] | None = None) -> tuple[list[Interval], list[Interval]]:
    """(free, taken) intervals; the conflicting bookings go into `found` for the refusal."""
    free, taken = [], []
    for start, end in intervals:
        clashes = store.conflicts(resource_id, start, end, exclude)
        (taken if clashes else free).append((start, end))
        if found is not None:
            found.extend(clashes)
    return free, taken


def refuse(resource: Resource, person: User, start: datetime, end: datetime, now: datetime,
           attendees: int | None, tz: str, taken: list[Booking] | None = None) -> Exception:
    """Record the refused demand in this unit of work and build the 409; raise the result:
    the unit of work keeps the refusal row and then answers with the conflict. `taken`: the
    conflicts found already (split), so they are not looked up twice."""
    if taken is None:
        taken = store.conflicts(resource.id, start, end)
    store.record_refusal(kind=resource.kind, start=start, end=end, person=person,
                         people=attendees, reason="conflict", now=now)
    first = taken[0] if taken else None
    return commit_then_raise(conflict(first.start if first else start,
                                      first.end if first else end, tz))


def skipped_details(skipped: list[Any], tz: str) -> list[dict[str, Any]]:
    """Occurrences not booked, each with its reason: conflict, horizon or closed_day."""
    return [{**interval_details(k.start, k.end, tz), "reason": k.reason} for k in skipped]


def series_conflict(taken: list[Interval], tz: str, skipped: list[Any]) -> SeriesConflict:
    return SeriesConflict(
        ngettext("%(num)s of the dates is already taken. Book the others, or choose another "
                 "time.", "%(num)s of the dates are already taken. Book the others, or choose "
                 "another time.", len(taken)), {"conflicts": skipped_details(skipped, tz)})


def audit(actor: User | None, booking: Booking, action: str, now: datetime, channel: str, *,
          before: dict[str, Any] | None, label: str | None = None) -> None:
    """One audit entry per booking change: who (a person, or a kiosk's label), when, which
    channel, before and after."""
    record(actor_id=actor.id if actor else None,
           actor_label=label or (actor.email if actor else "system"), channel=channel,
           action=action,
           entity_type="booking", entity_id=booking.id, now=now, before=before,
           after=booking.audit_view())
