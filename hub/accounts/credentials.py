"""Revoking everything a person's account hands out besides the password: API tokens,
calendar links and logins. After a password reset the old secrets must not keep working."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from hub.accounts.models import ApiToken, LoginSession, User
from hub.extensions import db


def revoke_credentials(user: User, *, now: datetime) -> dict[str, int]:
    """Stop every API token, calendar feed link and login session of `user` (the caller's
    unit of work commits); returns how many of each."""
    # The calendar's table by name: calendar builds on accounts, never the reverse.
    feeds = db.metadata.tables["feed_tokens"]
    counts = {}
    for name, table in (("api_tokens", ApiToken.__table__), ("feed_links", feeds)):
        result = db.session.execute(update(table).where(
            table.c.user_id == user.id, table.c.revoked_at.is_(None)).values(revoked_at=now))
        counts[name] = int(result.rowcount or 0)
    result = db.session.execute(update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)).values(ended_at=now))
    counts["sessions"] = int(result.rowcount or 0)
    user.session_version = (user.session_version or 0) + 1
    return counts
