"""`from` of an assignment: a local date (midnight in the building's zone) or an instant."""

from __future__ import annotations

from datetime import date, datetime

from hub.timeutil import SANE_YEARS, local_midnight


def parse_from(value: str | None, now: datetime, tz: str) -> datetime | None:
    """Default now; None when the text is neither a date nor an RFC 3339 instant."""
    if value is None or not value.strip():
        return now
    text = value.strip()[:40]
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            year, moment = day.year, local_midnight(day, tz)
        else:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
            year = moment.year  # as written: the years the API document's pattern states
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is None or not SANE_YEARS[0] <= year <= SANE_YEARS[1]:
        return None
    return moment
