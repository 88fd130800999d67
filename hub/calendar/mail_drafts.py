"""Booking mail as a draft: the booking's transaction writes what only it knows, the worker
renders the message when it sends it.

The transaction keeps the event's facts as they were at that moment: the times of the
occurrences, the skipped dates, the invitation (UID, SEQUENCE, status; the series state is
counted up in the same transaction), the Date and the Message-ID, with the recipient and the
subject the outbox page shows. The texts, the check-in QR and the MIME message are built by
`hub worker` from the draft and the booking's current row (its place, subject and check-in
code, which a change does not alter): the mail says the same, and a booking no longer waits
for the QR's PNG, two templates and the MIME encoding inside its write lock.

A draft holds no subject text of its own; retention deletes a booking's mail with it.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from hub import links
from hub.accounts.models import User
from hub.booking.models import Booking
from hub.calendar.mail_content import Occurrence, booking_mail, mail_subject
from hub.calendar.models import OutboxMail
from hub.extensions import db

VERSION = 1


def enqueue_booking_mail(*, kind: str, booking: Booking, person: User,
                         occurrences: list[Occurrence], skipped: list[datetime],
                         calendar: bytes, method: str, now: datetime) -> OutboxMail:
    """Add a booking mail's draft to the outbox inside the caller's unit of work."""
    draft = {
        "v": VERSION, "booking_id": booking.id, "person_id": person.id,
        "occurrences": [[o.start.isoformat(), o.end.isoformat(), o.cancelled]
                        for o in occurrences],
        "skipped": [s.isoformat() for s in skipped],
        "calendar": calendar.decode("utf-8"), "method": method, "date": now.isoformat(),
        "message_id": make_msgid(domain=links.uid_domain()),
    }
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
    message: EmailMessage = booking_mail(
        kind=kind, booking=booking, person=person, occurrences=occurrences,
        skipped=[datetime.fromisoformat(d) for d in draft["skipped"]],
        calendar=draft["calendar"].encode("utf-8"), method=draft["method"],
        now=datetime.fromisoformat(draft["date"]), message_id=draft["message_id"])
    return message


def message_text(row: OutboxMail) -> str:
    """The RFC 5322 text of an outbox mail: stored, or rendered from its draft."""
    if row.message is not None:
        return row.message
    return render(row.kind, row.draft or {}).as_string(policy=policy.SMTP)
