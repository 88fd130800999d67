"""Retention of login records (AVG): failed and successful login attempts hold an e-mail
address and a network address; they serve throttling only, so they go after LOGIN_RECORD_DAYS.
Ended and expired login sessions go as well."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from hub.accounts.models import LoginAttempt
from hub.accounts.sessions import purge_sessions
from hub.audit.services import record
from hub.db import transactional
from hub.extensions import db

# Far longer than any throttle window (15 minutes), short enough to hold little.
LOGIN_RECORD_DAYS = 30


@transactional
def purge_login_records(*, now: datetime, days: int = LOGIN_RECORD_DAYS,
                        channel: str = "cli") -> tuple[int, int]:
    """Erase login attempts older than `days` and ended or expired sessions; audited."""
    attempts = db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=days)))
    sessions = purge_sessions(now=now)
    count = int(attempts.rowcount or 0)
    record(actor_id=None, actor_label="system", channel=channel,
           action="login_records.purged", entity_type="login_attempt", entity_id="*", now=now,
           after={"attempts": count, "sessions": sessions, "days": days})
    return count, sessions
