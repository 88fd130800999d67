"""Time helpers: tz-aware UTC inside, Europe/Amsterdam (or the configured zone) at the edges."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Europe/Amsterdam"
# Years a person can mean: outside them a date is a typing error or a probe (and day
# arithmetic near year 1 or 9999 overflows).
SANE_YEARS = (2000, 2100)
# The same years as exact patterns for the API document (ECMA and Python regex alike): a
# valid calendar day (29 February in leap years only), and an RFC 3339 instant with offset.
DATE_PATTERN = (
    r"(?:(?:20\d\d|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))"
    r"|20(?:[02468][048]|[13579][26])-02-29)")
INSTANT_PATTERN = (DATE_PATTERN + r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?"
                   r"(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)")


def utcnow() -> datetime:
    """The current instant, tz-aware UTC. Call at the edges and pass `now` inward."""
    return datetime.now(UTC)


def zone(name: str = DEFAULT_TZ) -> ZoneInfo:
    return ZoneInfo(name)


def as_utc(value: datetime) -> datetime:
    """An aware datetime in UTC; naive input is refused rather than guessed."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: give an offset")
    return value.astimezone(UTC)


def local(value: datetime, tz: str = DEFAULT_TZ) -> datetime:
    return as_utc(value).astimezone(ZoneInfo(tz))


def local_midnight(day: date, tz: str = DEFAULT_TZ) -> datetime:
    """Start of a local calendar day, as UTC."""
    return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(UTC)


def day_bounds(day: date, tz: str = DEFAULT_TZ) -> tuple[datetime, datetime]:
    """[start, end) of a local day in UTC; 23 or 25 hours long on DST weekends."""
    return local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)


def rfc3339(value: datetime | None) -> str | None:
    """UTC with a Z, seconds precision."""
    if value is None:
        return None
    return as_utc(value).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def local_iso(value: datetime | None, tz: str = DEFAULT_TZ) -> str | None:
    if value is None:
        return None
    return local(value, tz).replace(microsecond=0).isoformat()


# Dates and times as a person types them in a form: the page shows day-month-year ("03-12-2026",
# the Dutch way) and hours:minutes; ISO dates (2026-12-03, what a native date input sends, or an
# old bookmark) keep working. Pure, so the booking, insights and sensor pages share one parser.
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2})(?:[:.u]|\s*uur\s*)?(\d{2})?\s*(?:uur)?\s*$")


def parse_typed_date(text: str | None) -> date | None:
    """dd-mm-jjjj (also d-m-jjjj, with / or .) or jjjj-mm-dd; None for anything else."""
    value = text or ""
    if match := _DAY_FIRST.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DAY.match(value):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_typed_time(text: str | None) -> time | None:
    """uu:mm (also uu.mm, 9:30, 930, 10 or "10 uur"); None for anything else."""
    match = _CLOCK.match(text or "")
    if not match or (len(match.group(1)) > 2):
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def typed_date(day: date | None) -> str:
    """A date as the form shows it: dd-mm-jjjj."""
    return day.strftime("%d-%m-%Y") if day else ""
