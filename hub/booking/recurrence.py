"""Recurrence as MRBS and LibreBooking users know it, and the occurrence report. Pure.

People choose "every n weeks on these weekdays" or "monthly on the 2nd Tuesday", ending on a
date or after n times; this module turns that into an RFC 5545 RRULE (what the API and the
series row store), expands it in local wall time, and sorts every occurrence into "can be
booked" or "skipped, because ..." so no occurrence disappears without a word."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hub.booking.rules import MAX_OCCURRENCES, Policy, RuleError, check, expand

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = ("weekly", "monthly")
MAX_INTERVAL = 12
# A bounded series (COUNT/UNTIL) is expanded this far to report what lies past the horizon.
REPORT_REACH = timedelta(days=2 * 366)
# Reasons an occurrence is not booked (the API's `conflicts[].reason`).
SKIP_REASONS = ("conflict", "horizon", "closed_day")
Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Repeat:
    """What a person chose on the form."""

    freq: str  # "weekly" or "monthly"
    interval: int = 1  # every n weeks / months
    weekdays: tuple[int, ...] = ()  # weekly: 0 = Monday; empty = the first date's weekday
    count: int | None = None  # n times ...
    until: date | None = None  # ... or until this date (inclusive)


@dataclass(frozen=True)
class Skipped:
    """An occurrence that is not booked, and why."""

    start: datetime
    end: datetime
    reason: str  # one of SKIP_REASONS


def week_of_month(day: date) -> int:
    """1..4 for the first to fourth weekday of its kind in the month, -1 for the last one.

    A fifth Tuesday is also the last; "the last" is what repeats every month."""
    nth = (day.day - 1) // 7 + 1
    last = (day + timedelta(days=7)).month != day.month
    return -1 if last and nth >= 4 else nth


def to_rrule(repeat: Repeat, first: date) -> str:
    """The RRULE text of a choice; raises RuleError("recurrence") for an impossible one."""
    if repeat.freq not in FREQUENCIES or not 1 <= repeat.interval <= MAX_INTERVAL:
        raise RuleError("recurrence")
    if (repeat.count is None) == (repeat.until is None):
        raise RuleError("recurrence")  # exactly one end: n times or until a date
    if repeat.count is not None and not 1 <= repeat.count <= MAX_OCCURRENCES:
        raise RuleError("recurrence", limit=MAX_OCCURRENCES)
    if repeat.until is not None and repeat.until < first:
        raise RuleError("recurrence")
    parts = [f"FREQ={repeat.freq.upper()}"]
    if repeat.interval > 1:
        parts.append(f"INTERVAL={repeat.interval}")
    if repeat.freq == "weekly":
        days = sorted(set(repeat.weekdays) | {first.weekday()})
        if any(not 0 <= d <= 6 for d in days):
            raise RuleError("recurrence")
        parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days))
    else:
        parts.append(f"BYDAY={week_of_month(first):+d}{WEEKDAY_CODES[first.weekday()]}")
    if repeat.count is not None:
        parts.append(f"COUNT={repeat.count}")
    else:
        assert repeat.until is not None
        parts.append(f"UNTIL={repeat.until:%Y%m%d}T235959")
    return ";".join(parts)


def is_bounded(rule: str) -> bool:
    """A rule that ends by itself (COUNT or UNTIL); an open one stops at the horizon."""
    upper = rule.upper()
    return "COUNT=" in upper or "UNTIL=" in upper


def occurrences(rule: str, start: datetime, end: datetime, *, tz: str,
                horizon_end: datetime) -> list[Interval]:
    """Every occurrence of the rule: a bounded rule to its own end (so what lies past the
    horizon can be reported), an open one up to the horizon."""
    limit = start + REPORT_REACH if is_bounded(rule) else horizon_end
    return expand(rule, start, end, tz=tz, until=max(limit, horizon_end))


def sort_out(policy: Policy, intervals: list[Interval],
             now: datetime) -> tuple[list[Interval], list[Skipped]]:
    """(occurrences to book, occurrences skipped past the horizon or on a closing day).

    Any other broken rule (opening hours, duration, ...) is the series' own fault and is
    raised for the caller to refuse the whole series."""
    bookable: list[Interval] = []
    skipped: list[Skipped] = []
    for start, end in intervals:
        try:
            check(policy, start, end, now)
        except RuleError as error:
            if error.rule not in ("horizon", "closed_day"):
                raise
            skipped.append(Skipped(start, end, error.rule))
            continue
        bookable.append((start, end))
    return bookable, skipped

