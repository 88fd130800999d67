"""Login throttling per account and per client address, with a growing wait, never a lock.

A fixed lock per address let anyone lock the whole building out (behind a proxy every user
shares one address), and a lock per e-mail let anyone lock a colleague out. So:
- an address that failed `limit` times on one account waits (that caller is guessing it);
- an address that failed `limit * ADDRESS_FACTOR` times on any accounts waits (spraying);
- an account that failed `limit` times from anywhere makes every address that failed on it
  wait, but a *clean* address (no failure on this account in the window) may still try: the
  owner with the right password at the office is not locked out by someone else's guesses.
Each wait doubles with every further failure, from BASE_WAIT_S up to the window.

The same machinery throttles guessing check-in codes (/k/<code> and the kiosk's scan): the
subject is then the code lookup itself (per kiosk for a kiosk), and only failures count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from hub.accounts.models import LoginAttempt
from hub.errors import TooManyRequests
from hub.extensions import db

ADDRESS_FACTOR = 10
BASE_WAIT_S = 30


@dataclass(frozen=True)
class Limits:
    attempts: int = 5
    window_minutes: int = 15


def backoff_s(failures: int, limit: int, window_s: float) -> float:
    """Seconds to wait after the last failure: 0 below the limit, then doubling, capped."""
    if failures < limit:
        return 0.0
    return float(min(window_s, BASE_WAIT_S * 2 ** min(failures - limit, 20)))


def _failures(since: datetime, **match: str) -> tuple[int, datetime | None]:
    query = select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
        LoginAttempt.success.is_(False), LoginAttempt.at >= since,
        *(getattr(LoginAttempt, column) == value for column, value in match.items()))
    count, last = db.session.execute(query).one()
    return int(count or 0), last


def wait_s(subject: str, address: str, *, now: datetime, limits: Limits,
           shared: bool = True) -> int:
    """Seconds this address must still wait before trying `subject` again (0: it may now).

    `subject` is what is being guessed: an e-mail, or a check-in code's scope (see
    hub.kiosk.services.guessing). `shared=False` leaves out the subject's failures from other
    addresses, for a subject every caller shares (one guesser must not make others wait)."""
    window_s = limits.window_minutes * 60.0
    since = now - timedelta(seconds=window_s)
    pair, pair_last = _failures(since, email=subject, remote_addr=address)
    waits = [backoff_s(pair, limits.attempts, window_s), 0.0, 0.0]
    lasts = [pair_last, None, None]
    addr, lasts[1] = _failures(since, remote_addr=address)
    waits[1] = backoff_s(addr, limits.attempts * ADDRESS_FACTOR, window_s)
    if pair and shared:  # not a clean address for this account: the account's backoff applies
        account, lasts[2] = _failures(since, email=subject)
        waits[2] = backoff_s(account, limits.attempts, window_s)
    remaining = max((wait - (now - last).total_seconds()
                     for wait, last in zip(waits, lasts, strict=True) if wait and last),
                    default=0.0)
    return math.ceil(remaining) if remaining > 0 else 0


def check_allowed(email: str, address: str, *, now: datetime, limits: Limits) -> None:
    """TooManyRequests (with the seconds to wait) while this address must wait for this e-mail."""
    seconds = wait_s(email, address, now=now, limits=limits)
    if seconds:
        raise TooManyRequests(
            _("Too many failed attempts. Wait %(n)d seconds and try again, or ask your "
              "coordinator for a new invitation.", n=seconds), {"retry_after_s": seconds})


def record_attempt(subject: str, address: str, *, now: datetime, success: bool) -> None:
    """Inside a write (hub.db.write); purged with the login attempts (retention)."""
    db.session.add(LoginAttempt(email=subject[:254], remote_addr=address[:64], at=now,
                                success=success))
