"""A booking's check-in QR (PNG) and its .ics invitation, for the booker."""

from __future__ import annotations

import io
from datetime import datetime
from urllib.parse import urlsplit

import qrcode
from qrcode.image.pure import PyPNGImage

from hub.booking.ical_feed import FeedEvent, render_invitation
from hub.booking.models import Booking


def qr_png_bytes(data: str) -> bytes:
    """A PNG QR code of `data` (pure Python: pypng, no Pillow)."""
    image = qrcode.make(data, image_factory=PyPNGImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def booking_ics(booking: Booking, *, host: str, now: datetime) -> bytes:
    """METHOD:REQUEST for an active booking, CANCEL for a cancelled or released one."""
    cancelled = booking.status in ("cancelled", "released")
    domain = urlsplit(host).hostname or "hub"
    resource = booking.resource
    item = FeedEvent(uid=f"booking-{booking.id}@{domain}", start=booking.start, end=booking.end,
                     summary=booking.subject or resource.name, location=resource.name,
                     sequence=booking.sequence, last_modified=booking.updated_at,
                     cancelled=cancelled)
    return render_invitation(item, method="CANCEL" if cancelled else "REQUEST",
                             organizer=booking.created_by.email, attendee=booking.user.email,
                             now=now)
