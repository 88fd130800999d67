"""Retention: booking subjects are erased once the retention period after the booking ends.

Subjects must never hold a resident's name, but people make mistakes; erasing them after a
while limits what a mistake can leak. The booking itself stays for the statistics.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from hub.audit.services import record
from hub.booking.models import Booking
from hub.extensions import db

DEFAULT_RETENTION_DAYS = 90


def purge_subjects(*, now: datetime, days: int = DEFAULT_RETENTION_DAYS,
                   channel: str = "cli") -> int:
    """Erase the subjects of bookings that ended more than `days` ago; returns how many."""
    if days < 1:
        raise ValueError("the retention period is at least one day")
    cutoff = now - timedelta(days=days)
    result = db.session.execute(
        update(Booking).where(Booking.end < cutoff, Booking.subject.is_not(None))
        .values(subject=None).execution_options(synchronize_session=False))
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        record(actor_id=None, actor_label="retention", channel=channel,
               action="booking.subjects_purged", entity_type="booking", entity_id="*",
               now=now, after={"count": count, "ended_before": cutoff.isoformat()})
    db.session.commit()
    return count
