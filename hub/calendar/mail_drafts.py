"""Booking mail as a draft: the booking's transaction writes what only it knows, the worker
renders the message when it sends it.

The transaction keeps the event's facts as they were at that moment: the times of the
occurrences, the skipped dates, the invitation's UID, times, SEQUENCE and status (a series'
whole invitation: its state is counted up in the same transaction), the Date and the
Message-ID, with the recipient and the subject the outbox page shows. The texts, a single
booking's iCalendar, the check-in QR and the MIME message are built by `hub worker` from the
draft and the booking's current row (its place, subject and check-in code, which a change
does not alter): the mail says the same, and a booking no longer waits for the invitation,
the QR's PNG, two templates and the MIME encoding inside its write lock.

A draft holds no subject text of its own; retention deletes a booking's mail with it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from hub import links
from hub.accounts.models import User
from hub.booking.models import Booking
from hub.calendar.documents import booking_event, organizer
from hub.calendar.ical import FeedEvent
from hub.calendar.invitations import Party, booking_invitation
from hub.calendar.mail_content import Occurrence, booking_mail, mail_subject
from hub.calendar.models import OutboxMail
from hub.extensions import db

VERSION = 1


def enqueue_booking_mail(*, kind: str, booking: Booking, person: User,
                         occurrences: list[Occurrence], skipped: list[datetime],
                         method: str, now: datetime, calendar: bytes | None = None,
                         event: FeedEvent | None = None) -> OutboxMail:
    """Add a booking mail's draft to the outbox inside the caller's unit of work. The
    invitation: a series' whole `calendar` (its state is counted in this transaction), or a
    single booking's `event` as it is now (UID, times, SEQUENCE, status), which the worker
    renders into the same invitation."""
    draft: dict[str, Any] = {
        "v": VERSION, "booking_id": booking.id, "person_id": person.id,
        "occurrences": [[o.start.isoformat(), o.end.isoformat(), o.cancelled]
                        for o in occurrences],
        "skipped": [s.isoformat() for s in skipped],
        "method": method, "date": now.isoformat(),
        "message_id": make_msgid(domain=links.uid_domain()),
    }
    if calendar is not None:
        draft["calendar"] = calendar.decode("utf-8")
    elif event is not None:
        draft["event"] = {"uid": event.uid, "start": event.start.isoformat(),
                          "end": event.end.isoformat(), "sequence": event.sequence,
                          "last_modified": event.last_modified.isoformat(),
                          "cancelled": event.cancelled}
    else:
        raise ValueError("a booking mail needs its calendar or its event")
    row = OutboxMail(kind=kind, recipient=_recipient(person),
                     subject=mail_subject(kind, booking, person, occurrences)[:300],
                     message=None, draft=draft, booking_id=booking.id, status="pending",
                     attempts=0, next_attempt_at=now, created_at=now)
    db.session.add(row)
    return row


def _recipient(person: User) -> str:
    """The To header as the message shows it (decoded), as the outbox page lists it."""
    return str(policy.default.header_factory("To", formataddr((person.name, person.email))))


class DraftGone(Exception):
    """The booking or the person of a draft no longer exists: there is nothing to send."""


def render(kind: str, draft: dict[str, Any]) -> EmailMessage:
    """The EmailMessage of a booking mail's draft (reads the booking and the person)."""
    booking = db.session.get(Booking, draft["booking_id"])
    person = db.session.get(User, draft["person_id"])
    if booking is None or person is None:
        raise DraftGone(f"booking {draft['booking_id']} or its person is gone")
    occurrences = [Occurrence(datetime.fromisoformat(s), datetime.fromisoformat(e), bool(c))
                   for s, e, c in draft["occurrences"]]
    now = datetime.fromisoformat(draft["date"])
    message: EmailMessage = booking_mail(
        kind=kind, booking=booking, person=person, occurrences=occurrences,
        skipped=[datetime.fromisoformat(d) for d in draft["skipped"]],
        calendar=_calendar(draft, booking, person, now), method=draft["method"], now=now,
        message_id=draft["message_id"])
    return message


def _calendar(draft: dict[str, Any], booking: Booking, person: User, now: datetime) -> bytes:
    if "calendar" in draft:
        return str(draft["calendar"]).encode("utf-8")
    kept = draft["event"]
    # The place and the subject from the booking's row (as the texts), the rest as it was.
    item = replace(booking_event(booking), uid=kept["uid"],
                   start=datetime.fromisoformat(kept["start"]),
                   end=datetime.fromisoformat(kept["end"]), sequence=int(kept["sequence"]),
                   last_modified=datetime.fromisoformat(kept["last_modified"]),
                   cancelled=bool(kept["cancelled"]))
    return booking_invitation(item, organizer=organizer(),
                              attendee=Party(person.email, person.name), now=now)


def message_text(row: OutboxMail) -> str:
    """The RFC 5322 text of an outbox mail: stored, or rendered from its draft."""
    if row.message is not None:
        return row.message
    return render(row.kind, row.draft or {}).as_string(policy=policy.SMTP)
