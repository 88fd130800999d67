"""The auto-release sweep: no check-in and no sensor presence by the release moment frees
the place (status `released`, row kept); finished bookings become `completed`."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from hub.audit.services import record
from hub.booking import events
from hub.booking.models import Booking
from hub.booking.policies import policy_of
from hub.booking.rules import Policy, release_moment
from hub.db import transactional
from hub.extensions import db

# Presence a little before the start counts too (METRICS.md: [start-5min, start+15min]).
PRESENCE_BEFORE = timedelta(minutes=5)


def _seen(booking: Booking, until: datetime) -> bool:
    """A sensor saw someone in the room within the window: a soft check-in."""
    from hub.sensors import queries as sensor_queries

    return bool(sensor_queries.presence_between(booking.resource_id,
                                                booking.start - PRESENCE_BEFORE, until))


@transactional
def release_no_shows(*, now: datetime) -> int:
    """Release booked places nobody checked in to or was seen in; returns how many."""
    due = db.session.scalars(select(Booking).where(
        Booking.status == "booked", Booking.start <= now).order_by(Booking.start))
    policies: dict[int, Policy] = {}
    released: list[Booking] = []
    for booking in due:
        policy = policies.setdefault(booking.resource_id, policy_of(booking.resource))
        moment = release_moment(policy, booking.start, booking.end)
        if moment > now or _seen(booking, min(moment, booking.end)):
            continue
        before = booking.audit_view()
        booking.status, booking.released_at = "released", now
        booking.sequence += 1
        booking.updated_at = now
        record(actor_id=None, actor_label="auto-release", channel="worker",
               action="booking.release", entity_type="booking", entity_id=booking.id, now=now,
               before=before, after=booking.audit_view())
        released.append(booking)
    events.publish("released", released, now=now)
    return len(released)


@transactional
def complete_finished(*, now: datetime) -> int:
    """Active bookings whose end has passed become `completed`; returns how many."""
    done = list(db.session.scalars(select(Booking).where(
        Booking.status.in_(("booked", "checked_in")), Booking.end <= now)))
    for booking in done:
        booking.status = "completed"
        booking.updated_at = now
    return len(done)


def sweep(now: datetime) -> dict[str, int]:
    """One pass of the periodic job: release no-shows, then complete finished bookings."""
    return {"released": release_no_shows(now=now), "completed": complete_finished(now=now)}
