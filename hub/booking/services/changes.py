"""Changing a booking: move, cancel (this one or this and the following), check in and out.

Each use case commits once; the audit entry carries the booking before and after."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from hub.accounts.models import User
from hub.accounts.roles import FACILITY_ROLES
from hub.booking import events, store
from hub.booking.messages import violation
from hub.booking.models import Booking
from hub.booking.policies import policy_of
from hub.booking.rules import ACTIVE, RuleError
from hub.booking.rules import checkin_window_of as window_rule
from hub.booking.services.checks import (
    Interval,
    audit,
    check_rules,
    check_times,
    refuse,
    series_conflict,
    split,
)
from hub.db import transactional
from hub.errors import Conflict, InvalidInput, NotAllowed
from hub.extensions import db

SCOPES = ("this", "following")


def may_change(actor: User, booking: Booking) -> bool:
    """The booker and the person it is for; reception; facility/admin; the coordinator of the
    booking's organisation. Reception may not touch what it may not see (private rooms)."""
    if actor.id in (booking.user_id, booking.created_by_id) or actor.role in FACILITY_ROLES:
        return True
    if actor.role == "coordinator":
        return actor.organisation_id == booking.organisation_id
    if actor.role == "reception":
        resource = booking.resource
        return not resource.is_private or resource.owned_by(actor.organisation_id)
    return False


def _changeable(actor_id: int, booking_id: int) -> tuple[User, Booking]:
    actor, booking = store.user(actor_id), store.booking(booking_id)
    if not may_change(actor, booking):
        raise NotAllowed(_("Only the booker, the person it is for, reception or a coordinator "
                           "may change this booking."))
    return actor, booking


def _targets(booking: Booking, scope: str) -> list[Booking]:
    """This booking, or this and the following active occurrences of its series."""
    if scope not in SCOPES:
        raise InvalidInput(_("Choose this booking or this and the following."),
                           {"field": "scope"})
    if scope == "this" or booking.series_id is None:
        return [booking]
    return list(db.session.scalars(select(Booking).where(
        Booking.series_id == booking.series_id, Booking.start >= booking.start,
        Booking.status.in_(ACTIVE)).order_by(Booking.start)))


def _shifted(targets: list[Booking], booking: Booking, start: datetime, end: datetime,
             tz: Any) -> list[Interval]:
    # Shift in local wall time so a 09:00 series stays at the new hour across DST.
    offset = start.astimezone(tz).replace(tzinfo=None) - booking.start.astimezone(tz).replace(
        tzinfo=None)
    length = end.astimezone(tz).replace(tzinfo=None) - start.astimezone(tz).replace(tzinfo=None)
    shifted = []
    for target in targets:
        wall = target.start.astimezone(tz).replace(tzinfo=None) + offset
        shifted.append((wall.replace(tzinfo=tz).astimezone(start.tzinfo),
                        (wall + length).replace(tzinfo=tz).astimezone(start.tzinfo)))
    return shifted


def _touch(booking: Booking, now: datetime) -> dict[str, Any]:
    before = booking.audit_view()
    booking.sequence += 1
    booking.updated_at = now
    return before


@transactional
def move_booking(*, actor_id: int, booking_id: int, start: datetime, end: datetime,
                 now: datetime, channel: str = "web", scope: str = "this") -> list[Booking]:
    """Move or shorten a booking (or it and the following occurrences); same checks as create."""
    actor, booking = _changeable(actor_id, booking_id)
    check_times(start, end)
    if not booking.active:
        raise Conflict(_("This booking has ended or was cancelled; it cannot be moved."))
    policy = policy_of(booking.resource)
    targets = _targets(booking, scope)
    intervals = _shifted(targets, booking, start, end, policy.zone)
    ids = tuple(t.id for t in targets)
    # Shortening a running booking keeps its start: judge the start as of when it began.
    rule_now = min(now, booking.start) if start == booking.start else now
    check_rules(policy, booking.resource, booking.user, intervals, rule_now, booking.attendees,
                exclude=ids)
    _free, taken = split(booking.resource_id, intervals, exclude=ids)
    if taken and len(targets) == 1:
        raise refuse(booking.resource, booking.user, start, end, now, booking.attendees,
                     policy.tz)
    if taken:
        raise series_conflict(taken, policy.tz)
    befores = []
    try:
        with store.constraint_guard():
            for target, (new_start, new_end) in zip(targets, intervals, strict=True):
                befores.append(_touch(target, now))
                target.start, target.end = new_start, new_end
    except store.OverlapLost:
        raise refuse(booking.resource, booking.user, start, end, now, booking.attendees,
                     policy.tz) from None
    for target, before in zip(targets, befores, strict=True):
        audit(actor, target, "booking.move", now, channel, before=before)
    events.publish("changed", targets, now=now)
    return targets


@transactional
def cancel_booking(*, actor_id: int, booking_id: int, now: datetime, channel: str = "web",
                   scope: str = "this") -> list[Booking]:
    """Cancel a booking (or it and the following occurrences); the rows are kept."""
    actor, booking = _changeable(actor_id, booking_id)
    targets = [t for t in _targets(booking, scope) if t.active]
    if not targets and booking.status == "cancelled":
        return []  # cancelling twice is harmless
    if not targets:
        raise Conflict(_("This booking has already ended; it cannot be cancelled."))
    for target in targets:
        before = _touch(target, now)
        target.status, target.cancelled_at = "cancelled", now
        audit(actor, target, "booking.cancel", now, channel, before=before)
    events.publish("cancelled", targets, now=now)
    return targets


def checkin_window_of(booking: Booking) -> tuple[datetime, datetime]:
    """When this booking can be checked in: from 15 minutes before its start until it would
    be released (15 minutes after the start; a morning desk until 10:00)."""
    return window_rule(policy_of(booking.resource), booking.start, booking.end)


@transactional
def check_in(*, actor_id: int | None, booking_id: int, now: datetime, channel: str = "web",
             kiosk_label: str | None = None) -> Booking:
    """Check in inside the window; repeating is harmless. At the kiosk (`actor_id` None and
    the kiosk's label) holding the booking's code is the permission."""
    if actor_id is None and kiosk_label:
        actor, booking = None, store.booking(booking_id)
    else:
        actor, booking = _changeable(int(actor_id or 0), booking_id)
    if booking.status == "checked_in":
        return booking
    if booking.status != "booked":
        raise Conflict(_("This booking was cancelled or released; book again."))
    opens, closes = checkin_window_of(booking)
    if not opens <= now <= closes:
        error = RuleError("checkin_window", when="early" if now < opens else "late")
        raise violation(error, when=error.params["when"])
    before = _touch(booking, now)
    booking.status, booking.checked_in_at = "checked_in", now
    audit(actor, booking, "booking.check_in", now, channel, before=before, label=kiosk_label)
    return booking


@transactional
def check_out(*, actor_id: int, booking_id: int, now: datetime,
              channel: str = "web") -> Booking:
    """Leave early: the booking ends now (status completed) and the place is free again."""
    actor, booking = _changeable(actor_id, booking_id)
    if booking.status != "checked_in":
        raise Conflict(_("Only a booking you are checked in to can be checked out."))
    before = _touch(booking, now)
    if now < booking.end:
        # The end must stay after the start (CHECK constraint), even for a very early leave.
        floor = booking.start + timedelta(minutes=1)
        booking.end = min(booking.end, max(now.replace(microsecond=0), floor))
    booking.status = "completed"
    audit(actor, booking, "booking.check_out", now, channel, before=before)
    return booking
