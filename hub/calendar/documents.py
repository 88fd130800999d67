"""A booking's .ics invitation (METHOD:REQUEST, or CANCEL), for the booker and mail."""

from __future__ import annotations

from datetime import datetime

from hub.booking.models import Booking
from hub.calendar.ical import FeedEvent, render_invitation
from hub.links import booking_uid


def booking_ics(booking: Booking, *, now: datetime) -> bytes:
    """METHOD:REQUEST for an active booking, CANCEL for a cancelled or released one."""
    cancelled = booking.status in ("cancelled", "released")
    resource = booking.resource
    item = FeedEvent(uid=booking_uid(booking.id), start=booking.start, end=booking.end,
                     summary=booking.subject or resource.name, location=resource.name,
                     sequence=booking.sequence, last_modified=booking.updated_at,
                     cancelled=cancelled)
    return render_invitation(item, method="CANCEL" if cancelled else "REQUEST",
                             organizer=booking.created_by.email, attendee=booking.user.email,
                             now=now)
