"""Personal API tokens on the hot path: one query per request, never a write.

Every API request with a Bearer token looks its token up, so the lookup is one SELECT of the
token with its person and organisation (the active checks need both) instead of three lazy
loads. The last-used time (to the minute) is written after the answer has been sent
(`hub.apiauth` schedules `touch`), in its own small unit of work, so a request never waits
for it and never takes the SQLite write lock for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from hub.accounts.models import ApiToken, Organisation, User
from hub.accounts.tokens import TOKEN_PREFIX, token_hash
from hub.db import write
from hub.extensions import db

TOKEN_TOUCH = timedelta(minutes=1)  # how exact a token's last-used time is kept


@dataclass(frozen=True)
class TokenUse:
    user: User
    token_id: int
    stale: bool  # the stored last-used time is older than TOKEN_TOUCH: touch it


def find(plain: str, *, now: datetime) -> TokenUse | None:
    """The active person of a valid, unrevoked token (one query, no write)."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    row = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, User)
        .join(User, User.id == ApiToken.user_id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .options(contains_eager(User.organisation))
        .where(ApiToken.token_hash == token_hash(plain), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.is_active:
        return None
    used = row.last_used_at
    return TokenUse(row.User, row.id, used is None or now - used > TOKEN_TOUCH)


def touch(token_id: int, *, now: datetime) -> None:
    """Keep the token's last-used time (a single UPDATE in its own unit of work)."""
    with write():
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id)
                           .values(last_used_at=now))
