"""Guessing check-in codes, throttled with the login machinery (hub.accounts.throttle).

Only failures count (a code that names no booking): a kiosk at a busy desk checks in many
people in a row with right codes and never waits. A client address that failed
CHECKIN_CODE_THROTTLE_FAILURES times within CHECKIN_CODE_THROTTLE_MINUTES waits, from 30 s
doubling with every further failure; an enrolled kiosk is counted on its own as well, so
two kiosks behind one address do not make each other wait. The failures are kept with the
login attempts (address and time, never the code) and purged with them."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from hub.accounts import throttle
from hub.errors import TooManyRequests

SUBJECT = "checkin-code"


def subject(kiosk_id: int | None) -> str:
    """What is being guessed: check-in codes, through one kiosk or through /k/<code>."""
    return f"{SUBJECT}:kiosk-{kiosk_id}" if kiosk_id is not None else SUBJECT


def limits() -> throttle.Limits:
    config = current_app.config  # defaults in hub.config.Defaults
    return throttle.Limits(int(config["CHECKIN_CODE_THROTTLE_FAILURES"]),
                           int(config["CHECKIN_CODE_THROTTLE_MINUTES"]))


def refused(address: str, *, now: datetime, kiosk_id: int | None = None) -> TooManyRequests | None:
    """The 429 (with the seconds to wait) while this address or kiosk must wait, else None."""
    # /k/<code> is one subject every caller shares: only this address's own failures count.
    seconds = throttle.wait_s(subject(kiosk_id), address[:64], now=now, limits=limits(),
                              shared=kiosk_id is not None)
    if not seconds:
        return None
    return TooManyRequests(
        _("Too many unknown codes in a short time. Wait %(n)d seconds and try again, or ask "
          "at the desk.", n=seconds), {"retry_after_s": seconds})


def failed(address: str, *, now: datetime, kiosk_id: int | None = None) -> None:
    """Count a code that named no booking (call inside hub.db.write())."""
    throttle.record_attempt(subject(kiosk_id), address, now=now, success=False)
