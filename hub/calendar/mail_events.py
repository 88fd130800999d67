"""Booking events -> booking mail in the outbox, inside the booking's own unit of work (as a
draft: `hub worker` renders the message, see hub.calendar.mail_drafts).

A single booking's invitation carries the booking's UID (the same as its feed event and its
.ics download) and its SEQUENCE. A series is ONE invitation under the series UID; every
change re-sends its whole state (see hub.calendar.invitations) with a higher SEQUENCE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from hub import links
from hub.accounts.models import User
from hub.booking.models import Booking, BookingSeries
from hub.booking.rules import RuleError, expand
from hub.calendar.documents import GONE, booking_event, organizer
from hub.calendar.invitations import (
    Override,
    Party,
    SeriesEvent,
    series_invitation,
)
from hub.calendar.mail_content import Occurrence
from hub.calendar.mail_drafts import enqueue_booking_mail
from hub.calendar.models import MAIL_KINDS, MailOptOut, SeriesInvitation
from hub.db import write
from hub.extensions import db

MAIL_KIND = {"created": "confirmation", "changed": "change", "cancelled": "cancellation",
             "released": "release"}


def wants(user: User, kind: str) -> bool:
    """Active people get every booking mail unless they turned this kind off."""
    if not user.is_active or not user.email:
        return False
    return db.session.scalar(select(MailOptOut.id).filter_by(user_id=user.id, kind=kind)) is None


def mail_choices(user_id: int) -> dict[str, bool]:
    off = set(db.session.scalars(select(MailOptOut.kind).filter_by(user_id=user_id)))
    return {kind: kind not in off for kind in MAIL_KINDS}


def set_mail_choices(user_id: int, enabled: set[str]) -> None:
    """Keep the kinds in `enabled` on and turn the others off."""
    with write():
        for row in db.session.scalars(select(MailOptOut).filter_by(user_id=user_id)):
            if row.kind in enabled:
                db.session.delete(row)
        off = set(db.session.scalars(select(MailOptOut.kind).filter_by(user_id=user_id)))
        for kind in MAIL_KINDS:
            if kind not in enabled and kind not in off:
                db.session.add(MailOptOut(user_id=user_id, kind=kind))


def _parties(person: User) -> tuple[Party, Party]:
    return organizer(), Party(person.email, person.name)


def _summary(booking: Booking) -> str:
    name = booking.resource.name
    return f"{name}: {booking.subject}" if booking.subject else name


def on_booking_event(event: str, bookings: Sequence[Booking], now: datetime) -> None:
    """The listener hub.booking.events calls; writes one mail per booking or per series."""
    kind = MAIL_KIND[event]
    db.session.flush()  # new bookings need their ids for UIDs and links
    series_groups: dict[int, list[Booking]] = {}
    for booking in bookings:
        if booking.series_id is None:
            _single(kind, booking, now)
        else:
            series_groups.setdefault(booking.series_id, []).append(booking)
    for series_id, changed in series_groups.items():
        _series(kind, series_id, changed, now)


def _single(kind: str, booking: Booking, now: datetime) -> None:
    person = booking.user
    if not wants(person, kind):
        return
    item = booking_event(booking)  # its invitation is rendered by the worker (mail_drafts)
    enqueue_booking_mail(kind=kind, booking=booking, person=person,
                         occurrences=[Occurrence(booking.start, booking.end, item.cancelled)],
                         skipped=[], event=item,
                         method="CANCEL" if item.cancelled else "REQUEST", now=now)


def _state(series: BookingSeries, rows: list[Booking], policy_tz: str) -> SeriesInvitation:
    state = db.session.get(SeriesInvitation, series.id)
    if state is not None:
        state.sequence += 1
        for row in rows:  # an occurrence added later keeps its own start as the original
            state.originals.setdefault(str(row.id), [row.start.isoformat(), row.end.isoformat()])
        state.originals = dict(state.originals)  # a new object: JSON columns track by identity
        return state
    originals = {str(r.id): [r.start.isoformat(), r.end.isoformat()] for r in rows}
    state = SeriesInvitation(series_id=series.id, sequence=0, originals=originals,
                             skipped=[d.isoformat() for d in _skipped(series, rows, policy_tz)])
    db.session.add(state)
    return state


def _skipped(series: BookingSeries, rows: list[Booking], tz: str) -> list[datetime]:
    """Dates the rule names that were never booked (taken, closed, ...): the EXDATEs."""
    first = min(rows, key=lambda r: r.start)
    last_start = max(r.start for r in rows)
    try:
        expanded = expand(series.rrule, series.dtstart,
                          series.dtstart + (first.end - first.start), tz=tz, until=last_start)
    except RuleError:
        return []
    booked = {r.start for r in rows}
    return [start for start, _end in expanded if start not in booked]


def _series_event(series: BookingSeries, rows: list[Booking],
                  state: SeriesInvitation) -> SeriesEvent:
    originals = {int(k): (datetime.fromisoformat(v[0]), datetime.fromisoformat(v[1]))
                 for k, v in state.originals.items()}
    first_start, first_end = min(originals.values())
    anchor = min(series.dtstart, first_start)
    exdates = [datetime.fromisoformat(d) for d in state.skipped]
    overrides = []
    for row in rows:
        original = originals.get(row.id, (row.start, row.end))
        if row.status in GONE:
            exdates.append(original[0])
        elif (row.start, row.end) != original:
            overrides.append(Override(original[0], row.start, row.end, row.sequence))
    lead = rows[0]
    return SeriesEvent(
        uid=links.series_uid(series.id), rrule=series.rrule, start=anchor,
        end=anchor + (first_end - first_start),
        last_start=max(start for start, _end in originals.values()),
        summary=_summary(lead), location=lead.resource.name, sequence=state.sequence,
        last_modified=max(r.updated_at for r in rows), exdates=tuple(exdates),
        overrides=tuple(overrides), cancelled=all(r.status in GONE for r in rows))


def _series(kind: str, series_id: int, changed: list[Booking], now: datetime) -> None:
    series = db.session.get(BookingSeries, series_id)
    if series is None:
        return
    rows = list(db.session.scalars(select(Booking).filter_by(series_id=series_id)
                                   .order_by(Booking.start, Booking.id)))
    state = _state(series, rows, str(current_app.config.get("HUB_TIMEZONE",
                                                             "Europe/Amsterdam")))
    person = rows[0].user
    if not wants(person, kind):
        return
    event = _series_event(series, rows, state)
    organizer, attendee = _parties(person)
    calendar = series_invitation(event, organizer=organizer, attendee=attendee, now=now)
    shown = rows if kind == "confirmation" else sorted(changed, key=lambda r: r.start)
    lead = next((r for r in shown if r.status not in GONE), shown[0])
    skipped = [datetime.fromisoformat(d) for d in state.skipped] if kind == "confirmation" \
        else []
    enqueue_booking_mail(kind=kind, booking=lead, person=person,
                         occurrences=[Occurrence(r.start, r.end, r.status in GONE)
                                      for r in shown],
                         skipped=skipped, calendar=calendar,
                         method="CANCEL" if event.cancelled else "REQUEST", now=now)
