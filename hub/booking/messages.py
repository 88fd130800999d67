"""Turn a pure RuleError into a RuleViolation a person understands (Dutch and English)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hub.booking.rules import RuleError
from hub.errors import BookingConflict, RuleViolation
from hub.timeutil import local_iso, rfc3339

SLOT_NAMES = {"morning": _l("morning"), "afternoon": _l("afternoon"), "day": _l("whole day")}


def _hhmm(value: Any) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def rule_message(error: RuleError) -> str:
    """One sentence naming the rule and what to do instead."""
    p = error.params
    messages = {
        "opening_hours": lambda: _(
            "The building is open from %(opens)s to %(closes)s. Choose a time in between.",
            opens=_hhmm(p.get("opens")), closes=_hhmm(p.get("closes"))),
        "closed_day": lambda: _("The building is closed on that day. Choose another day."),
        "min_duration": lambda: _("A booking lasts at least %(minutes)s minutes.",
                                  minutes=p.get("minutes")),
        "max_duration": lambda: _("A booking lasts at most %(hours)s hours. Book a shorter time.",
                                  hours=round(p.get("minutes", 0) / 60, 1)),
        "step": lambda: _("Start and end on a quarter of an hour (steps of %(minutes)s minutes).",
                          minutes=p.get("minutes")),
        "slot": lambda: _("Book this place for a morning, an afternoon or a whole day."),
        "horizon": lambda: _("You can book at most %(weeks)s weeks ahead.",
                             weeks=p.get("days", 56) // 7),
        "in_past": lambda: _("That time has already passed. Choose a time from now on."),
        "lead_time": lambda: _("Book at least %(minutes)s minutes ahead.",
                               minutes=p.get("minutes")),
        "quota": lambda: _("You already have %(count)s bookings of this kind on that day, "
                           "the most allowed. Cancel one first.", count=p.get("count")),
        "not_permitted": lambda: _("Your organisation may not book this kind of place."),
        "restricted": lambda: _("This place is reserved for its own organisation."),
        "capacity": lambda: _("This room holds at most %(capacity)s people. "
                              "Choose a larger room.", capacity=p.get("capacity")),
        "recurrence": lambda: _("The repeat rule is not valid or makes too many bookings "
                                "(at most %(limit)s).", limit=p.get("limit", 60)),
        "checkin_window": lambda: _("You can check in from 15 minutes before until 15 minutes "
                                    "after the start."),
    }
    return str(messages[error.rule]())


def violation(error: RuleError, **details: Any) -> RuleViolation:
    """The 422 for a broken rule; details name the rule (and the occurrence, for a series)."""
    return RuleViolation(rule_message(error), {"rule": error.rule, **details})


def interval_details(start: datetime, end: datetime, tz: str) -> dict[str, Any]:
    return {"start": rfc3339(start), "end": rfc3339(end),
            "start_local": local_iso(start, tz), "end_local": local_iso(end, tz)}


def conflict(start: datetime, end: datetime, tz: str) -> BookingConflict:
    """The 409 naming the interval that is taken."""
    local_start, local_end = local_iso(start, tz) or "", local_iso(end, tz) or ""
    return BookingConflict(
        _("This place is already booked from %(start)s to %(end)s. "
          "Choose another time or another place.",
          start=local_start[11:16], end=local_end[11:16]),
        {"conflict": interval_details(start, end, tz)})
