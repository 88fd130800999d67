"""`from` of an assignment: a local date (midnight in the building's zone) or an instant."""

from __future__ import annotations

from datetime import date, datetime

from hub.timeutil import local_midnight

EARLIEST, LATEST = 2000, 2100


def parse_from(value: str | None, now: datetime, tz: str) -> datetime | None:
    """Default now; None when the text is neither a date nor an RFC 3339 instant."""
    if value is None or not value.strip():
        return now
    text = value.strip()[:40]
    try:
        if len(text) == 10:
            moment = local_midnight(date.fromisoformat(text), tz)
        else:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is None or not EARLIEST <= moment.year < LATEST:
        return None
    return moment
