"""Time helpers: tz-aware UTC inside, Europe/Amsterdam (or the configured zone) at the edges."""

from __future__ import annotations

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
