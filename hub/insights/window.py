"""The window W of METRICS.md: opening hours on open days, in UTC, pure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub.booking.rules import DEFAULTS, Policy, is_closed
from hub.insights.facts import OpenDay

SLOT = timedelta(minutes=5)


def open_days(first: date, last: date, policy: Policy | None = None) -> list[OpenDay]:
    """Open days from `first` to `last` inclusive (weekends and holidays left out)."""
    policy = policy or DEFAULTS["room"]
    zone = ZoneInfo(policy.tz)
    out = []
    day = first
    while day <= last:
        if not is_closed(policy, day):
            out.append(OpenDay(day, _utc(day, policy.opens, zone), _utc(day, policy.closes, zone)))
        day += timedelta(days=1)
    return out


def _utc(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, zone).astimezone(UTC)


def weeks(days: list[OpenDay]) -> Iterator[list[OpenDay]]:
    """The days grouped by ISO week, in order: the chunks the computation streams over."""
    chunk: list[OpenDay] = []
    for d in days:
        if chunk and d.day.isocalendar()[:2] != chunk[0].day.isocalendar()[:2]:
            yield chunk
            chunk = []
        chunk.append(d)
    if chunk:
        yield chunk


def week_key(moment: datetime, tz: str = "Europe/Amsterdam") -> str:
    """ISO week of a moment in local time, e.g. 2026-W14."""
    year, week, _ = moment.astimezone(ZoneInfo(tz)).isocalendar()
    return f"{year}-W{week:02d}"


def slots_in(day: OpenDay) -> int:
    return int((day.end - day.start) / SLOT)


def slot_range(day: OpenDay, start: datetime, end: datetime) -> tuple[int, int]:
    """Slots [i, j) of a day whose midpoint lies in [start, end): a 5-minute slot counts when
    the interval covers its middle, so aligned intervals count exactly and others unbiased."""
    n = slots_in(day)
    half = SLOT / 2
    i = _ceil((start - day.start - half) / SLOT)
    j = _ceil((end - day.start - half) / SLOT)
    return max(0, min(n, i)), max(0, min(n, j))


def _ceil(x: float) -> int:
    whole = int(x)
    return whole + 1 if x > whole else whole
