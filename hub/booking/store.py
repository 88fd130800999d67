"""The race-proof part: check-and-insert under a write lock (SQLite) or the exclusion
constraint (PostgreSQL), and the helpers every booking use case shares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from hub.accounts.models import User
from hub.booking.models import Booking, RefusedDemand
from hub.booking.rules import ACTIVE, overlaps
from hub.errors import InvalidInput, NotAuthenticated, NotFound
from hub.extensions import db
from hub.timeutil import day_bounds, local

SUBJECT_MAX = 200
QUOTA_LOCK_SPACE = 42004  # advisory-lock namespace of booking quotas
RESOLVE_WITHIN = timedelta(minutes=30)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def lock_person(user_id: int) -> None:
    """Serialise one person's concurrent bookings so the quota count stays true.

    SQLite is serialised already by the unit of work's write lock; PostgreSQL takes a
    transaction-scoped advisory lock keyed on the person (released at commit or rollback)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:space, :uid)"),
                           {"space": QUOTA_LOCK_SPACE, "uid": user_id})


@contextmanager
def constraint_guard() -> Iterator[None]:
    """Add and flush new or moved bookings inside this block: a lost race on PostgreSQL (the
    exclusion constraint, or a deadlock between two such inserts) rolls back to a savepoint
    and becomes OverlapLost, so the unit of work can still record the refusal."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except (IntegrityError, OperationalError) as exc:
        message = str(exc.orig)
        if "ex_bookings_no_overlap" in message or "deadlock detected" in message:
            raise OverlapLost from None
        raise


class OverlapLost(Exception):
    """Another transaction took the slot between our check and our insert (PostgreSQL)."""


def user(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not person.active:
        raise NotAuthenticated(_("Log in, or send a personal API token as a Bearer token."))
    return person


def booking(booking_id: int) -> Booking:
    found = db.session.get(Booking, booking_id)
    if found is None:
        raise NotFound(_("No such booking."))
    return found


def clean_subject(subject: str | None) -> str | None:
    """Strip control and direction characters; empty becomes None; too long is refused."""
    if subject is None:
        return None
    if not isinstance(subject, str):
        raise InvalidInput(_("The subject must be text."), {"field": "subject"})
    cleaned = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", subject)).split())
    if len(cleaned) > SUBJECT_MAX:
        raise InvalidInput(_("Keep the subject under %(n)s characters.", n=SUBJECT_MAX),
                           {"field": "subject"})
    return cleaned or None


def clean_attendees(attendees: int | None) -> int | None:
    if attendees is None:
        return None
    if isinstance(attendees, bool) or not isinstance(attendees, int) or not 1 <= attendees <= 500:
        raise InvalidInput(_("The number of people must be a whole number from 1 to 500."),
                           {"field": "attendees"})
    return attendees


def conflicts(resource_id: int, start: datetime, end: datetime,
              exclude: tuple[int, ...] = ()) -> list[Booking]:
    """Active bookings of a resource that overlap [start, end), earliest first."""
    query = select(Booking).where(Booking.resource_id == resource_id,
                                  Booking.overlapping(start, end)).order_by(Booking.start)
    if exclude:
        query = query.where(Booking.id.notin_(exclude))
    return list(db.session.scalars(query))


def open_on_day(user_id: int, kind: str, when: datetime, tz: str,
                exclude: tuple[int, ...] = ()) -> int:
    """Active bookings a person holds of one kind on the local day of `when` (quota)."""
    from hub.building.models import Resource

    day_start, day_end = day_bounds(local(when, tz).date(), tz)
    query = (select(func.count(Booking.id)).join(Resource, Resource.id == Booking.resource_id)
             .where(Booking.user_id == user_id, Resource.kind == kind,
                    Booking.status.in_(ACTIVE), Booking.start >= day_start,
                    Booking.start < day_end))
    if exclude:
        query = query.where(Booking.id.notin_(exclude))
    return int(db.session.scalar(query) or 0)


def record_refusal(*, kind: str, start: datetime, end: datetime, person: User | None,
                   people: int | None, reason: str, now: datetime) -> None:
    """Add a refused-demand row (the caller commits)."""
    db.session.add(RefusedDemand(
        at=now, kind=kind, start=start, end=end, people=people, reason=reason,
        user_id=person.id if person else None,
        organisation_id=person.organisation_id if person else None))


def resolve_refusals(*, user_id: int, kind: str, start: datetime, end: datetime,
                     now: datetime) -> None:
    """A booking soon after a refusal for an overlapping time means the demand was served."""
    rows = db.session.scalars(select(RefusedDemand).where(
        RefusedDemand.user_id == user_id, RefusedDemand.kind == kind,
        RefusedDemand.resolved_at.is_(None), RefusedDemand.at >= now - RESOLVE_WITHIN,
        overlaps(RefusedDemand.start, RefusedDemand.end, start, end)))
    for row in rows:
        row.resolved_at = now
