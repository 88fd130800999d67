"""Calendar feed tokens: one secret per person and feed (personal, plaza, one resource),
stored as a SHA-256 hash, shown once, renewable and revocable. Sharing the plaza link
never hands out one's personal feed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select

from hub.accounts.models import User
from hub.calendar.models import FEED_SCOPES, FeedToken
from hub.db import write
from hub.extensions import db

TOKEN_BYTES = 24
MAX_TOKEN_LENGTH = 64


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(user_id: int, scope: str, *, now: datetime, resource_id: int | None = None) -> str:
    """A new secret link for this feed; the person's earlier one for it stops working."""
    if scope not in FEED_SCOPES or (scope == "resource") != (resource_id is not None):
        raise ValueError(f"bad feed scope {scope!r}")
    plain = secrets.token_urlsafe(TOKEN_BYTES)
    with write():
        _revoke(user_id, scope, resource_id, now)
        db.session.add(FeedToken(user_id=user_id, scope=scope, resource_id=resource_id,
                                 token_hash=digest(plain), created_at=now))
    return plain


def revoke(user_id: int, scope: str, *, now: datetime, resource_id: int | None = None) -> None:
    with write():
        _revoke(user_id, scope, resource_id, now)


def _revoke(user_id: int, scope: str, resource_id: int | None, now: datetime) -> None:
    for row in db.session.scalars(select(FeedToken).filter_by(
            user_id=user_id, scope=scope, resource_id=resource_id, revoked_at=None)):
        row.revoked_at = now


def owner(token: str | None, scope: str, *, resource_id: int | None = None) -> User | None:
    """The active person whose live token this is, for this very feed; else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.scalar(select(FeedToken).filter_by(token_hash=digest(token),
                                                        revoked_at=None))
    if row is None or row.scope != scope or row.resource_id != resource_id:
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def active_tokens(user_id: int) -> list[FeedToken]:
    return list(db.session.scalars(select(FeedToken).filter_by(user_id=user_id, revoked_at=None)
                                   .order_by(FeedToken.scope, FeedToken.resource_id)))
