"""The repeat part of the booking pages: the choice on the form, the dates it makes, the
search that checks every date, and the report of what was not booked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from hub.booking import services
from hub.booking.policies import kind_policy
from hub.booking.recurrence import FREQUENCIES, Repeat, occurrences, sort_out, to_rrule
from hub.booking.rules import MAX_OCCURRENCES, RuleError
from hub.booking.services.create import horizon_end
from hub.errors import InvalidInput

# The fields of a repeat choice, carried from the search to the "Book" button.
FIELDS = ("repeat", "every", "weekdays", "ends", "times", "until")
LEGACY_WEEKS = (2, 4, 6, 8)  # the old "for n weeks" choice, still accepted


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def choice(data: Mapping[str, Any]) -> Repeat | None:
    """The repeat a person chose (None: only once); InvalidInput for a garbled choice."""
    kind = str(data.get("repeat") or "").strip()
    if kind in ("", "0", "none"):
        return None
    if kind.isdigit():  # "for n weeks" from an older page
        weeks = int(kind)
        return Repeat("weekly", count=weeks) if weeks in LEGACY_WEEKS else None
    if kind not in FREQUENCIES:
        raise InvalidInput(_("Choose how the booking repeats."), {"field": "repeat"})
    raw_days = data.get("weekdays") or ""
    days = raw_days if isinstance(raw_days, list | tuple) else str(raw_days).split(",")
    weekdays = tuple(sorted({_int(d, -1) for d in days if str(d).strip()} - {-1}))
    every = _int(data.get("every"), 1)
    if str(data.get("ends") or "count") == "until":
        until = data.get("until")
        if isinstance(until, str):
            try:
                until = date.fromisoformat(until)
            except ValueError:
                until = None
        if not isinstance(until, date):
            raise InvalidInput(_("Give the last date of the series."), {"field": "until"})
        return Repeat(kind, interval=every, weekdays=weekdays, until=until)
    return Repeat(kind, interval=every, weekdays=weekdays,
                  count=_int(data.get("times"), 8))


def rrule_for(repeat: Repeat | None, start: datetime, tz: str) -> str | None:
    """The RRULE of a choice, for the booking service (None: a single booking)."""
    if repeat is None:
        return None
    try:
        return to_rrule(repeat, start.astimezone(kind_policy("room").zone).date())
    except RuleError:
        raise InvalidInput(_("This repeat is not possible: give 1 to %(n)s times, or a last "
                             "date after the first.", n=MAX_OCCURRENCES),
                           {"field": "repeat"}) from None


def hidden_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The repeat choice as hidden-field values for the booking form."""
    out = {}
    for name in FIELDS:
        value = data.get(name)
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = "" if value is None else str(value)
    return out


def series_dates(kind: str, start: datetime, end: datetime, rule: str,
                 now: datetime) -> tuple[list[tuple[datetime, datetime]], list[Any]]:
    """(dates to search, dates left out past the horizon or on closing days)."""
    policy = kind_policy(kind)
    try:
        found = occurrences(rule, start, end, tz=policy.tz, horizon_end=horizon_end(policy, now))
        return sort_out(policy, found, now)
    except RuleError as error:
        from hub.booking.messages import violation

        raise violation(error) from None


def series_search(*, actor_id: int, kind: str, start: datetime, end: datetime, rule: str,
                  now: datetime, people: int | None, amenities: tuple[str, ...],
                  on_behalf_of: str | None) -> dict[str, Any]:
    """Places free on every date first, then on most dates (naming the taken dates)."""
    dates, left_out = series_dates(kind, start, end, rule, now)
    if not dates:
        return {"series_dates": [], "left_out": left_out, "all_free": [], "most_free": []}
    matches = services.find_free_series(actor_id=actor_id, kind=kind, dates=dates, now=now,
                                        people=people, amenities=amenities,
                                        on_behalf_of=on_behalf_of)
    return {"series_dates": dates, "left_out": left_out,
            "all_free": [m.resource for m in matches if not m.taken],
            "most_free": [m for m in matches if m.taken]}


def reason_label(reason: str) -> str:
    return {"conflict": _("already booked"),
            "horizon": _("further ahead than bookings can be made; book it later"),
            "closed_day": _("the building is closed that day")}.get(reason, reason)


def report(skipped: list[Any]) -> list[dict[str, Any]]:
    """The not-booked occurrences for the session (then the confirmation page)."""
    return [{"start": k.start.isoformat(), "reason": k.reason} for k in skipped]


def shown_report(stored: Any) -> list[dict[str, Any]]:
    """The stored report as the confirmation page lists it (dates and reasons)."""
    shown = []
    for item in stored if isinstance(stored, list) else []:
        try:
            start = datetime.fromisoformat(str(item["start"]))
        except (KeyError, TypeError, ValueError):
            continue
        shown.append({"start": start, "reason": str(item.get("reason")),
                      "label": reason_label(str(item.get("reason")))})
    return shown
