"""Kiosk rules, pure: what a scanned or typed text means, and what a scan answers.

No Flask, no database: the services look the booking up and pass plain values in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hub.booking.rules import Policy, is_closed

RESULTS = ("checked_in", "already_checked_in", "too_early", "too_late", "cancelled",
           "unknown_code")
# A booking QR encodes <base>/k/<code>. A keyboard-wedge scanner with another keyboard layout
# may garble the scheme and host ("https;//"), so only the /k/ part is looked for.
_URL_CODE = re.compile(r"(?:^|[/\\])k[/\\]([A-Za-z0-9]{4,16})(?:[/?#\\].*)?$", re.IGNORECASE)
_BARE_CODE = re.compile(r"^[A-Za-z0-9]{4,16}$")
# People type codes in groups ("ABCD EFGH", "ABCD-EFGH"); the code itself has neither.
_SEPARATORS = re.compile(r"[\s\-.]+")
MAX_INPUT = 500


def parse_code(text: str) -> str | None:
    """The check-in code in a bare code or a whole scanned URL (upper case), or None."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_INPUT:
        return None
    stripped = text.strip()
    match = _URL_CODE.search(stripped)
    if match:
        return match.group(1).upper()
    bare = _SEPARATORS.sub("", stripped)
    return bare.upper() if _BARE_CODE.match(bare) else None


@dataclass(frozen=True)
class Verdict:
    """What a scan of an existing booking means, before anything is written."""

    result: str
    opens_at: datetime | None = None  # for too_early: when check-in opens
    check_in_now: bool = False


def judge(*, status: str, end: datetime, opens: datetime, closes: datetime,
          now: datetime) -> Verdict:
    """The answer to a scan of a booking with this status and check-in window at `now`.

    The window's edges belong to it (opens <= now <= closes), as in the booking service."""
    if status == "cancelled":
        return Verdict("cancelled")
    if now >= end or status in ("completed", "released"):
        return Verdict("too_late")
    if status == "checked_in":
        return Verdict("already_checked_in")
    if now < opens:
        return Verdict("too_early", opens_at=opens)
    if now > closes:
        return Verdict("too_late")
    return Verdict("checked_in", check_in_now=True)


def first_name(full_name: str) -> str:
    """What the kiosk may say aloud: the first word of a name, nothing more."""
    words = (full_name or "").split()
    return words[0][:40] if words else ""


# A walk-in this close to the end of a half-day gets the rest of the day instead.
MIN_WALK_IN = timedelta(minutes=30)


def half_day(policy: Policy, now: datetime) -> tuple[datetime, datetime] | None:
    """The booking interval a walk-in at `now` is judged as: the running half-day slot (or the
    day, when the half-day is nearly over); None when the building is closed."""
    here = now.astimezone(policy.zone)
    if is_closed(policy, here.date()):
        return None
    if not policy.slots:
        if not policy.opens <= here.time() < policy.closes:
            return None
        step = max(policy.step_minutes, 1)
        start = here.replace(minute=here.minute - here.minute % step, second=0, microsecond=0)
        noon = here.replace(hour=12, minute=30, second=0, microsecond=0)
        closes = datetime.combine(here.date(), policy.closes, policy.zone)
        end = noon if here < noon and noon - here >= MIN_WALK_IN else closes
        return start.astimezone(UTC), end.astimezone(UTC)
    running = [s for s in policy.slots if s.start <= here.time() < s.end]
    if not running:
        return None
    # The shortest running slot first: the one ending first, then the one starting last.
    spans = sorted(((datetime.combine(here.date(), s.start, policy.zone),
                     datetime.combine(here.date(), s.end, policy.zone)) for s in running),
                   key=lambda span: (span[1], -span[0].timestamp()))
    long_enough = [span for span in spans if span[1] - here >= MIN_WALK_IN]
    start, end = long_enough[0] if long_enough else spans[-1]
    return start.astimezone(UTC), end.astimezone(UTC)
