"""A booking's .ics (METHOD:REQUEST, or CANCEL): the download and the mail invitation are
built here alike, so both carry the feed's UID (hub.links.booking_uid) and SEQUENCE."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from hub import mail
from hub.booking.models import Booking
from hub.calendar.ical import FeedEvent
from hub.calendar.invitations import Party, booking_invitation
from hub.links import booking_uid

GONE = ("cancelled", "released")


def booking_event(booking: Booking) -> FeedEvent:
    """The booking as its own people see it (subject included: the invitation is theirs)."""
    name = booking.resource.name
    return FeedEvent(uid=booking_uid(booking.id), start=booking.start, end=booking.end,
                     summary=f"{name}: {booking.subject}" if booking.subject else name,
                     location=name, sequence=booking.sequence,
                     last_modified=booking.updated_at, cancelled=booking.status in GONE)


def organizer() -> Party:
    """The hub organises (it is the mail's From): clients then accept its updates."""
    return Party(mail.sender(), str(current_app.config.get("HUB_MAIL_FROM_NAME")
                                    or "Booking hub"))


def booking_ics(booking: Booking, *, now: datetime) -> bytes:
    """METHOD:REQUEST for an active booking, CANCEL for a cancelled or released one."""
    person = booking.user
    return booking_invitation(booking_event(booking), organizer=organizer(),
                              attendee=Party(person.email, person.name), now=now)
