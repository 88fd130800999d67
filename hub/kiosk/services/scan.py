"""A scan at the kiosk: find the booking of a code, judge it, check in through booking.

Every scan is audited with the kiosk's name; a kiosk (or client address) that scanned too
many unknown codes waits (429 with Retry-After, hub.kiosk.services.guessing), so that codes
cannot be guessed by trying them while right codes never count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from hub.audit.services import record
from hub.booking.models import Booking
from hub.booking.services import check_in, checkin_window_of
from hub.db import commit_then_raise, write
from hub.errors import NotAuthenticated
from hub.extensions import db
from hub.kiosk import rules
from hub.kiosk.models import Kiosk
from hub.kiosk.services import guessing

SCAN_ACTION = "kiosk.scan"


@dataclass(frozen=True)
class ScanAnswer:
    """What the kiosk shows: the result and (where it may) the booking behind the code."""

    result: str
    booking: Booking | None = None
    opens_at: datetime | None = None


def _audit(kiosk: Kiosk, now: datetime, action: str, **after: Any) -> None:
    record(actor_id=None, actor_label=kiosk.label, channel="kiosk", action=action,
           entity_type="kiosk", entity_id=kiosk.id, now=now, after=after)


def _judge(booking: Booking, kiosk: Kiosk, now: datetime) -> ScanAnswer:
    opens, closes = checkin_window_of(booking)
    verdict = rules.judge(status=booking.status, end=booking.end, opens=opens, closes=closes,
                          now=now)
    if verdict.check_in_now:
        check_in(actor_id=None, booking_id=booking.id, now=now, channel="kiosk",
                 kiosk_label=kiosk.label)
    return ScanAnswer(verdict.result, booking=booking, opens_at=verdict.opens_at)


def scan(*, kiosk_id: int, text: str, now: datetime, address: str) -> ScanAnswer:
    """Judge a scanned URL or typed code at `now` and check the booking in when it may;
    `address` is the client's (throttling unknown codes per address and per kiosk)."""
    with write():
        kiosk = db.session.get(Kiosk, kiosk_id)
        if kiosk is None or not kiosk.active:
            raise NotAuthenticated(_("This kiosk is not enrolled."))
        refusal = guessing.refused(address, now=now, kiosk_id=kiosk.id)
        if refusal is not None:
            _audit(kiosk, now, "kiosk.scan_refused", reason="rate_limit")
            raise commit_then_raise(refusal)
        kiosk.last_seen_at = now
        code = rules.parse_code(text)
        booking = (db.session.scalar(select(Booking).filter_by(checkin_code=code))
                   if code else None)
        if booking is None:
            guessing.failed(address, now=now, kiosk_id=kiosk.id)
        answer = ScanAnswer("unknown_code") if booking is None else _judge(booking, kiosk, now)
        # The code itself stays out of the log: it is a key to the booking.
        _audit(kiosk, now, SCAN_ACTION, result=answer.result,
               booking_id=booking.id if booking is not None else None)
    return answer
