"""Server-side login sessions: a cookie is only as good as its row in `login_sessions`.

Flask's session cookie is signed, not stored: without a row on the server, logging out could
only ask the browser to forget the cookie, and a copy taken earlier would keep working. Each
login gets a random token (kept as a hash); the cookie carries the token, logout ends the row.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from hub.accounts.models import LoginSession, User
from hub.accounts.tokens import token_hash
from hub.db import transactional
from hub.extensions import db

# The longest a login lasts (also the remember-me cookie's lifetime).
SESSION_DAYS = 30


def start_session(user_id: int, *, now: datetime) -> str:
    """A new server-side session for a user who just proved who they are; returns its token."""
    plain = secrets.token_urlsafe(24)
    row = LoginSession(user_id=user_id, token_hash=token_hash(plain), created_at=now)
    db.session.add(row)
    return plain


@transactional
def end_session(user_id: int, plain: str, *, now: datetime) -> None:
    """Logout: this session's cookie (and every copy of it) stops working."""
    db.session.execute(update(LoginSession).where(
        LoginSession.user_id == user_id, LoginSession.token_hash == token_hash(plain),
        LoginSession.ended_at.is_(None)).values(ended_at=now))


def user_for_session(cookie_id: str, *, now: datetime) -> User | None:
    """The active user of a live session named by the cookie's `user:version:token`."""
    uid_text, _sep, rest = cookie_id.partition(":")
    version_text, _sep, plain = rest.partition(":")
    if not (uid_text.isdigit() and version_text.isdigit() and plain) or len(cookie_id) > 200:
        return None
    user = db.session.get(User, int(uid_text))
    if user is None or user.session_version != int(version_text) or not user.is_active:
        return None
    live = db.session.scalar(select(LoginSession.id).where(
        LoginSession.user_id == user.id, LoginSession.token_hash == token_hash(plain),
        LoginSession.ended_at.is_(None),
        LoginSession.created_at > now - timedelta(days=SESSION_DAYS)))
    if live is None:
        return None
    user.login_token = plain
    return user


def purge_sessions(*, now: datetime) -> int:
    """Forget ended and expired sessions (the caller's unit of work commits)."""
    result = db.session.execute(delete(LoginSession).where(
        (LoginSession.ended_at.is_not(None))
        | (LoginSession.created_at <= now - timedelta(days=SESSION_DAYS))))
    return int(result.rowcount or 0)
