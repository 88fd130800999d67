"""A scan at the kiosk: find the booking of a code, judge it, check in through booking.

Every scan is audited with the kiosk's name; a kiosk that scans too often in a minute is
refused (429) so that codes cannot be guessed by trying them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from hub.audit.models import AuditEntry
from hub.audit.services import record
from hub.booking.models import Booking
from hub.booking.services import check_in, checkin_window_of
from hub.db import commit_then_raise, write
from hub.errors import NotAuthenticated, TooManyRequests
from hub.extensions import db
from hub.kiosk import rules
from hub.kiosk.models import Kiosk

SCAN_ACTION = "kiosk.scan"
DEFAULT_LIMIT = 20  # scans per kiosk per minute: a queue at the door, not a guessing run
WINDOW_S = 60


@dataclass(frozen=True)
class ScanAnswer:
    """What the kiosk shows: the result and (where it may) the booking behind the code."""

    result: str
    booking: Booking | None = None
    opens_at: datetime | None = None


def _limit() -> int:
    return int(current_app.config.get("HUB_KIOSK_SCANS_PER_MINUTE", DEFAULT_LIMIT))


def _recent_scans(kiosk: Kiosk, now: datetime) -> int:
    return int(db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == SCAN_ACTION, AuditEntry.entity_type == "kiosk",
        AuditEntry.entity_id == str(kiosk.id),
        AuditEntry.at > rules.window_start(now, WINDOW_S))) or 0)


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


def scan(*, kiosk_id: int, text: str, now: datetime) -> ScanAnswer:
    """Judge a scanned URL or typed code at `now` and check the booking in when it may."""
    with write():
        kiosk = db.session.get(Kiosk, kiosk_id)
        if kiosk is None or not kiosk.active:
            raise NotAuthenticated(_("This kiosk is not enrolled."))
        if rules.over_limit(_recent_scans(kiosk, now), limit=_limit()):
            _audit(kiosk, now, "kiosk.scan_refused", reason="rate_limit")
            raise commit_then_raise(TooManyRequests(
                _("Too many scans in a short time. Wait a minute and try again."),
                {"retry_after": WINDOW_S}))
        kiosk.last_seen_at = now
        code = rules.parse_code(text)
        booking = (db.session.scalar(select(Booking).filter_by(checkin_code=code))
                   if code else None)
        answer = ScanAnswer("unknown_code") if booking is None else _judge(booking, kiosk, now)
        # The code itself stays out of the log: it is a key to the booking.
        _audit(kiosk, now, SCAN_ACTION, result=answer.result,
               booking_id=booking.id if booking is not None else None)
    return answer
