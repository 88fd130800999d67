"""Local date/time on the booking pages: sensible defaults and local -> UTC. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub.booking.rules import Slot
from hub.timeutil import SANE_YEARS, parse_typed_date

QUARTER = 15
DEFAULT_MINUTES = 60
DEFAULT_PEOPLE = 2


@dataclass(frozen=True)
class Search:
    """What a person asks for, in local terms."""

    day: date
    start: time
    minutes: int
    people: int = DEFAULT_PEOPLE


def next_quarter(moment: datetime) -> datetime:
    """The next quarter hour at or after `moment` (same time zone), seconds dropped."""
    moment = moment.replace(second=0, microsecond=0)
    rest = moment.minute % QUARTER
    return moment if rest == 0 else moment + timedelta(minutes=QUARTER - rest)


def default_search(now: datetime, tz: str, *, opens: time = time(8, 0),
                   closes: time = time(18, 0),
                   closed: Callable[[date], bool] | None = None) -> Search:
    """Today at the next quarter hour for an hour; before opening: today at opening time;
    too late today or on a closed day: the next open day at opening time."""
    is_closed = closed or (lambda d: d.weekday() >= 5)
    local_now = next_quarter(now.astimezone(ZoneInfo(tz)))
    day, start = local_now.date(), local_now.time()
    latest_start = (datetime.combine(day, closes) - timedelta(minutes=DEFAULT_MINUTES)).time()
    if local_now.date() != now.astimezone(ZoneInfo(tz)).date():
        start = opens  # rounding up crossed midnight
    if start < opens:
        start = opens
    if start > latest_start or is_closed(day):
        day, start = _next_open_day(day, is_closed), opens
    return Search(day=day, start=start, minutes=DEFAULT_MINUTES)


def default_part(now: datetime, tz: str, slots: Sequence[Slot]) -> str:
    """The first part of the day (of the kind's policy) that has not ended yet, else the
    first part (for tomorrow)."""
    clock = now.astimezone(ZoneInfo(tz)).time()
    for slot in slots:
        if clock < slot.end:
            return slot.name
    return slots[0].name if slots else "morning"


def _next_open_day(day: date, is_closed: Callable[[date], bool]) -> date:
    for _ in range(31):  # a building is never closed for a month; stop looking anyway
        day += timedelta(days=1)
        if not is_closed(day):
            break
    return day


def to_utc(day: date, at: time, tz: str) -> datetime:
    """A local wall-clock time as an aware UTC instant (fold=0 in the autumn's double hour)."""
    return datetime.combine(day, at, ZoneInfo(tz)).astimezone(UTC)


def interval(search: Search, tz: str) -> tuple[datetime, datetime]:
    """[start, end) in UTC; the end is computed in local time so durations stay wall-clock."""
    start_local = datetime.combine(search.day, search.start, ZoneInfo(tz))
    end_local = start_local + timedelta(minutes=search.minutes)
    return start_local.astimezone(UTC), end_local.astimezone(UTC)


def day_part(day: date, part: str, tz: str, slots: Sequence[Slot]) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a named part of the day (morning, afternoon, day) as the kind's
    policy defines it; KeyError for a part the policy does not have."""
    for slot in slots:
        if slot.name == part:
            return to_utc(day, slot.start, tz), to_utc(day, slot.end, tz)
    raise KeyError(part)


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


def strict_day(value: str | None) -> date | None:
    """YYYY-MM-DD (or dd-mm-jjjj, as typed) in a sane year, or None."""
    day = parse_typed_date(value)
    return day if day and SANE_YEARS[0] <= day.year <= SANE_YEARS[1] else None


def parse_day(value: str | None, fallback: date) -> date:
    """YYYY-MM-DD or dd-mm-jjjj from a query string; the fallback for anything else."""
    return strict_day(value) or fallback
