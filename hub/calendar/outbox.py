"""The mail outbox: messages are written in the booking's own transaction and sent later by
`hub worker`, so a mail server that is down never loses, blocks or doubles a booking.
Booking mail is written as a draft (hub.calendar.mail_drafts) the worker renders as it sends.

Each message is claimed (attempt counted, a lease set) in one short transaction, sent
outside any transaction, then marked sent or given its next attempt with exponential
backoff. A worker that dies mid-send leaves the lease to expire: the mail is tried again
(at-least-once; the fixed Message-ID lets a mail client fold a rare repeat).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage

from sqlalchemy import func, select

from hub import mail
from hub.calendar import mail_drafts
from hub.calendar.models import OutboxMail
from hub.db import write
from hub.extensions import db

log = logging.getLogger("hub.calendar.outbox")
LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 12  # about six hours of trying before a mail counts as failed
BATCH = 20


def enqueue(message: EmailMessage, *, kind: str, now: datetime,
            booking_id: int | None = None) -> OutboxMail:
    """Add a message to the outbox inside the caller's unit of work (no commit here)."""
    row = OutboxMail(kind=kind, recipient=str(message["To"]), subject=str(message["Subject"]),
                     message=message.as_string(policy=policy.SMTP), booking_id=booking_id,
                     status="pending", attempts=0, next_attempt_at=now, created_at=now)
    db.session.add(row)
    return row


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... at most an hour between tries."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


def _claim(now: datetime) -> tuple[int, str] | None:
    """Lease the next due mail; its message text (a draft is rendered after the lease, outside
    any transaction). A draft whose booking is gone fails at once: there is nothing to say."""
    while (claimed := _lease(now)) is not None:
        mail_id, text = claimed
        if text is not None:
            return mail_id, text
        row = db.session.get(OutboxMail, mail_id)
        if row is None:  # deleted meanwhile (retention): nothing to send
            continue
        try:
            return mail_id, mail_drafts.message_text(row)
        except mail_drafts.DraftGone as gone:
            _finish(mail_id, now, mail.MailFailure(str(gone), permanent=True))
    return None


def _lease(now: datetime) -> tuple[int, str | None] | None:
    with write():
        query = (select(OutboxMail).where(OutboxMail.status == "pending",
                                          OutboxMail.next_attempt_at <= now)
                 .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(1)
                 .with_for_update(skip_locked=True))
        row = db.session.scalar(query)
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = now + LEASE
        return row.id, row.message


def _finish(mail_id: int, now: datetime, error: mail.MailFailure | None) -> None:
    with write():
        row = db.session.get(OutboxMail, mail_id)
        if row is None:
            return
        if error is None:
            row.status, row.sent_at, row.last_error = "sent", now, None
            return
        row.last_error = str(error)[:500]
        if error.permanent or row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
        else:
            row.next_attempt_at = now + backoff(row.attempts)


def deliver_due(now: datetime, *, batch: int = BATCH) -> dict[str, int]:
    """The worker's mail job: send what is due; stop at the first server failure."""
    settings = mail.configured()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for _ in range(batch):
        claimed = _claim(now)
        if claimed is None:
            break
        mail_id, text = claimed
        message = message_from_string(text, _class=EmailMessage, policy=policy.SMTP)
        try:
            if settings is None:
                mail.log_message(message)
            else:
                mail.deliver(message, settings)
        except mail.MailFailure as error:
            _finish(mail_id, now, error)
            counts["failed" if error.permanent else "retry"] += 1
            log.warning("mail %s not sent (%s)", mail_id, error)
            if not error.permanent:
                break  # the server is down: the rest waits for the next run
            continue
        _finish(mail_id, now, None)
        counts["sent"] += 1
    return counts


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(select(OutboxMail.status, func.count()).group_by(
        OutboxMail.status))
    found = {status: int(n) for status, n in rows}
    return {status: found.get(status, 0) for status in ("pending", "sent", "failed")}


def recent(status: str | None = None, limit: int = 100) -> list[OutboxMail]:
    query = select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMail.status == status)
    return list(db.session.scalars(query))


def retry_now(mail_id: int, now: datetime) -> bool:
    """Facility sends a failed or waiting mail again at once."""
    with write():
        row = db.session.get(OutboxMail, mail_id)
        if row is None or row.status == "sent":
            return False
        row.status, row.next_attempt_at = "pending", now
        if row.attempts >= MAX_ATTEMPTS:
            row.attempts = MAX_ATTEMPTS - 1
        return True


def forget_ended(booking_ids: list[int], cutoff: datetime) -> int:
    """Retention: mail about bookings that ended before the cutoff is deleted (it carried
    the subject and the QR); mail that never went out for them is of no use any more."""
    removed = 0
    for i in range(0, len(booking_ids), 500):
        rows = db.session.scalars(select(OutboxMail).where(
            OutboxMail.booking_id.in_(booking_ids[i:i + 500])))
        for row in rows:
            db.session.delete(row)
            removed += 1
    return removed
