"""Retention: booking subjects are erased once the retention period after the booking ends.

Subjects must never hold a resident's name, but people make mistakes; erasing them after a
while limits what a mistake can leak. The booking itself stays for the statistics. The audit
log keeps only whether a subject was set; entries written before that rule have their copies
of the text erased with the booking's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from hub.audit.models import AuditEntry
from hub.audit.services import record
from hub.booking.models import Booking
from hub.db import transactional
from hub.extensions import db
from hub.registries import registry

CHUNK = 500


@transactional
def purge_subjects(*, now: datetime, days: int, channel: str = "cli") -> int:
    """Erase the subjects of bookings that ended more than `days` ago, and every audit copy
    of them; returns how many bookings lost their subject."""
    if days < 1:
        raise ValueError("the retention period is at least one day")
    cutoff = now - timedelta(days=days)
    ended = [str(i) for i in db.session.scalars(select(Booking.id).where(Booking.end < cutoff))]
    result = db.session.execute(
        update(Booking).where(Booking.end < cutoff, Booking.subject.is_not(None))
        .values(subject=None).execution_options(synchronize_session=False))
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    # A walk-in's first name is personal too: it goes with the subject.
    db.session.execute(
        update(Booking).where(Booking.end < cutoff, Booking.visitor_name.is_not(None))
        .values(visitor_name=None).execution_options(synchronize_session=False))
    scrubbed = _scrub_audit_copies(ended)
    # Copies other packages keep (the mail outbox) go with the booking's subject.
    copies = sum(step([int(i) for i in ended], cutoff)
                 for step in registry().items("retention_steps"))
    if count or scrubbed or copies:
        record(actor_id=None, actor_label="retention", channel=channel,
               action="booking.subjects_purged", entity_type="booking", entity_id="*",
               now=now, after={"count": count, "audit_entries": scrubbed, "other_copies": copies,
                               "ended_before": cutoff.isoformat()})
    return count


def _scrub_audit_copies(booking_ids: list[str]) -> int:
    scrubbed = 0
    for i in range(0, len(booking_ids), CHUNK):
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.entity_type == "booking",
            AuditEntry.entity_id.in_(booking_ids[i:i + CHUNK])))
        for entry in entries:
            changed = False
            for side in ("before", "after"):
                data = getattr(entry, side)
                if isinstance(data, dict) and data.get("subject") is not None:
                    setattr(entry, side, {**data, "subject": None,
                                          "subject_set": True})
                    changed = True
            scrubbed += changed
    return scrubbed
