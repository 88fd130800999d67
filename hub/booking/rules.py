"""Booking rules, pure: policies per resource kind, the overlap rule, and recurrence.

Nothing here imports Flask or the database, so the rules run in fast unit tests and the
same overlap function builds the SQL condition (it only uses `<` and `&`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import holidays
from dateutil.rrule import rrulestr

ACTIVE = ("booked", "checked_in")
STATUSES = ("booked", "checked_in", "completed", "cancelled", "released")
RULES = ("opening_hours", "closed_day", "min_duration", "max_duration", "step", "slot",
         "horizon", "in_past", "quota", "not_permitted", "restricted", "capacity",
         "lead_time", "recurrence", "checkin_window")
CHECKIN_BEFORE = timedelta(minutes=15)
CHECKIN_AFTER = timedelta(minutes=15)
MAX_OCCURRENCES = 60

T = TypeVar("T")


class RuleError(Exception):
    """A booking rule refused the request; `rule` names it, `params` fill the message."""

    def __init__(self, rule: str, **params: Any) -> None:
        super().__init__(rule)
        self.rule = rule
        self.params = params


def overlaps(a_start: T, a_end: T, b_start: T, b_end: T) -> Any:
    """Half-open intervals [start, end) overlap; works on datetimes and on SQL columns."""
    return (a_start < b_end) & (b_start < a_end)  # type: ignore[operator]


@dataclass(frozen=True)
class Slot:
    name: str
    start: time
    end: time
    release_at: time


DAY_SLOTS = (Slot("morning", time(8), time(12, 30), time(10)),
             Slot("afternoon", time(12, 30), time(18), time(13, 30)),
             Slot("day", time(8), time(18), time(10)))


@dataclass(frozen=True)
class Policy:
    """The booking rules of one resource kind (or one resource, after overrides)."""

    kind: str
    tz: str = "Europe/Amsterdam"
    open_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    opens: time = time(8)
    closes: time = time(18)
    public_holidays: bool = True
    closing_days: frozenset[date] = frozenset()
    min_minutes: int = 15
    max_minutes: int = 600
    step_minutes: int = 15
    slots: tuple[Slot, ...] = ()
    horizon_days: int = 56
    lead_minutes: int = 0
    quota_per_day: int | None = None
    release_after_minutes: int = 15
    # Walk-ins at the kiosk may take this kind (landing spots by default; desks if set).
    walk_in: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


DEFAULTS = {
    "room": Policy(kind="room", min_minutes=15, max_minutes=480, step_minutes=15,
                   quota_per_day=None),
    "desk": Policy(kind="desk", slots=DAY_SLOTS, quota_per_day=2),
    "landing_spot": Policy(kind="landing_spot", slots=DAY_SLOTS, quota_per_day=2,
                           walk_in=True),
}


def _coerce(name: str, value: Any) -> Any:
    if name in ("opens", "closes") and isinstance(value, str):
        return time.fromisoformat(value)
    if name == "closing_days":
        return frozenset(date.fromisoformat(str(d)) for d in value)
    if name == "open_weekdays":
        return tuple(int(d) for d in value)
    if name == "slots":
        return tuple(Slot(s["name"], time.fromisoformat(s["start"]), time.fromisoformat(s["end"]),
                          time.fromisoformat(s.get("release_at", s["start"]))) for s in value)
    return value


def policy_for(kind: str, *overrides: Mapping[str, Any] | None, tz: str | None = None) -> Policy:
    """The default policy of a kind with configuration overrides applied in order."""
    policy = DEFAULTS[kind]
    known = {f.name for f in fields(Policy)} - {"kind"}
    for override in overrides:
        for name, value in (override or {}).items():
            if name not in known:
                raise ValueError(f"unknown booking policy setting {name!r}")
            policy = replace(policy, **{name: _coerce(name, value)})
    return replace(policy, tz=tz) if tz else policy


@lru_cache(maxsize=16)
def _dutch_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_closed(policy: Policy, day: date) -> bool:
    """A closing day: weekend (per policy), Dutch public holiday, or the building's own."""
    if day.weekday() not in policy.open_weekdays or day in policy.closing_days:
        return True
    return policy.public_holidays and day in _dutch_holidays(day.year)


def slot_of(policy: Policy, start: datetime, end: datetime) -> Slot | None:
    """The named slot (morning/afternoon/day) a booking equals, if any."""
    ls, le = start.astimezone(policy.zone), end.astimezone(policy.zone)
    if ls.date() != le.date():
        return None
    for slot in policy.slots:
        if (ls.time(), le.time()) == (slot.start, slot.end):
            return slot
    return None


def _check_shape(policy: Policy, start: datetime, end: datetime) -> None:
    ls, le = start.astimezone(policy.zone), end.astimezone(policy.zone)
    if is_closed(policy, ls.date()):
        raise RuleError("closed_day", day=ls.date())
    if ls.date() != le.date() or ls.time() < policy.opens or le.time() > policy.closes:
        raise RuleError("opening_hours", opens=policy.opens, closes=policy.closes)
    if policy.slots:
        if slot_of(policy, start, end) is None:
            raise RuleError("slot", slots=[s.name for s in policy.slots])
        return
    minutes = (end - start) / timedelta(minutes=1)
    if minutes < policy.min_minutes:
        raise RuleError("min_duration", minutes=policy.min_minutes)
    if minutes > policy.max_minutes:
        raise RuleError("max_duration", minutes=policy.max_minutes)
    step = policy.step_minutes
    if step and (ls.second or ls.microsecond or le.second or le.microsecond
                 or ls.minute % step or minutes % step):
        raise RuleError("step", minutes=step)


def _check_when(policy: Policy, start: datetime, end: datetime, now: datetime) -> None:
    # A running slot (desk morning) or the current room step may still be booked.
    grace = end - start if policy.slots else timedelta(minutes=policy.step_minutes or 15)
    if end <= now or start < now - grace:
        raise RuleError("in_past")
    if policy.lead_minutes and start < now + timedelta(minutes=policy.lead_minutes):
        raise RuleError("lead_time", minutes=policy.lead_minutes)
    last_day = now.astimezone(policy.zone).date() + timedelta(days=policy.horizon_days)
    # Far beyond the horizon in UTC first: local conversion of year 9999 would overflow.
    if (start - now > timedelta(days=policy.horizon_days + 2)
            or start.astimezone(policy.zone).date() > last_day):
        raise RuleError("horizon", days=policy.horizon_days)


def check(policy: Policy, start: datetime, end: datetime, now: datetime, *,
          attendees: int | None = None, capacity: int | None = None,
          open_same_day: int = 0) -> None:
    """Raise RuleError naming the first rule a booking [start, end) breaks."""
    if start.tzinfo is None or end.tzinfo is None or now.tzinfo is None:
        raise ValueError("naive datetime")
    if end <= start:
        raise RuleError("min_duration", minutes=policy.min_minutes)
    _check_when(policy, start, end, now)
    _check_shape(policy, start, end)
    if attendees is not None and capacity is not None and attendees > capacity:
        raise RuleError("capacity", capacity=capacity)
    if policy.quota_per_day is not None and open_same_day >= policy.quota_per_day:
        raise RuleError("quota", count=policy.quota_per_day)


def check_access(*, restricted_ok: bool, kind_ok: bool) -> None:
    """Restricted resources first (the clearer reason), then the organisation-kind policy."""
    if not restricted_ok:
        raise RuleError("restricted")
    if not kind_ok:
        raise RuleError("not_permitted")


def checkin_window(start: datetime) -> tuple[datetime, datetime]:
    """Check-in is possible from 15 minutes before until 15 minutes after the start."""
    return start - CHECKIN_BEFORE, start + CHECKIN_AFTER


def checkin_window_of(policy: Policy, start: datetime,
                      end: datetime) -> tuple[datetime, datetime]:
    """The check-in window of a booking: it opens 15 minutes before the start and stays open
    until the place would be released (a morning desk at 10:00, a room 15 minutes in)."""
    opens, closes = checkin_window(start)
    return opens, max(closes, min(release_moment(policy, start, end), end))


def release_moment(policy: Policy, start: datetime, end: datetime) -> datetime:
    """When an unchecked booking is released: slot release time, else start + 15 minutes."""
    slot = slot_of(policy, start, end) if policy.slots else None
    if slot is not None:
        local_start = start.astimezone(policy.zone)
        moment = datetime.combine(local_start.date(), slot.release_at, policy.zone)
        return max(moment, start)
    return start + timedelta(minutes=policy.release_after_minutes)


def expand(rule: str, start: datetime, end: datetime, *, tz: str,
           until: datetime) -> list[tuple[datetime, datetime]]:
    """Occurrences of an RRULE in local wall time (09:00 stays 09:00 across DST), in UTC.

    An open-ended rule stops at `until` (the booking horizon); at most MAX_OCCURRENCES."""
    zone = ZoneInfo(tz)
    local_start = start.astimezone(zone)
    length = end.astimezone(zone).replace(tzinfo=None) - local_start.replace(tzinfo=None)
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or len(text) > 500 or "\n" in text or "DTSTART" in text.upper():
        raise RuleError("recurrence")
    try:
        starts = _local_starts(text, local_start, until.astimezone(zone))
    except (ValueError, TypeError, KeyError, OverflowError, IndexError):
        raise RuleError("recurrence") from None
    result = []
    for begin in starts:
        finish = (begin.replace(tzinfo=None) + length).replace(tzinfo=zone)
        result.append((begin.astimezone(UTC), finish.astimezone(UTC)))
    if not result:
        raise RuleError("recurrence")
    return result


def _local_starts(text: str, local_start: datetime, limit: datetime) -> list[datetime]:
    # An aware dtstart keeps the wall-clock time across DST; UNTIL must then be UTC (...Z),
    # so a floating UNTIL (a date, or no Z) is read against a floating dtstart instead.
    try:
        recurrence = iter(rrulestr(text, dtstart=local_start))
        naive = False
    except ValueError:
        recurrence = iter(rrulestr(text, dtstart=local_start.replace(tzinfo=None)))
        naive = True
    starts: list[datetime] = []
    for occurrence in recurrence:
        aware = occurrence.replace(tzinfo=local_start.tzinfo) if naive else occurrence
        if aware > limit:
            break
        if len(starts) >= MAX_OCCURRENCES:
            raise RuleError("recurrence", limit=MAX_OCCURRENCES)
        starts.append(aware)
    return starts


def first_conflict(start: datetime, end: datetime,
                   busy: Iterable[tuple[datetime, datetime]]) -> tuple[datetime, datetime] | None:
    """The first busy interval that overlaps [start, end), for a clear 409 message."""
    for b_start, b_end in sorted(busy):
        if overlaps(start, end, b_start, b_end):
            return b_start, b_end
    return None
