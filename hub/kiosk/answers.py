"""What the kiosk and the phone page may show of a booking: first name, organisation, room,
floor and the way there. Never the subject, never the e-mail address, never the full name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, url_for

from hub.booking.models import Booking
from hub.building.models import Resource
from hub.kiosk import rules
from hub.timeutil import local_iso, rfc3339


def _tz() -> str:
    return str(current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam"))


def place(resource: Resource) -> dict[str, Any]:
    """The resource, its floor and (where the floor has a plan) where it sits on the plan."""
    floor = resource.floor
    plan = None
    if floor.plan_image and resource.plan_x is not None and resource.plan_y is not None:
        plan = {"url": url_for("kiosk_api.floor_plan", floor_id=floor.id),
                "x": resource.plan_x, "y": resource.plan_y}
    return {"id": resource.id, "slug": resource.slug, "name": resource.name,
            "kind": resource.kind, "floor": {"id": floor.id, "name": floor.name,
                                             "level": floor.level},
            "site": floor.site.name, "plan": plan}


def when(moment: datetime | None) -> dict[str, str | None]:
    return {"utc": rfc3339(moment), "local": local_iso(moment, _tz()) if moment else None}


def visitor_first_name(booking: Booking) -> str:
    return rules.first_name(booking.visitor_name or booking.user.name)


def booking_answer(booking: Booking) -> dict[str, Any]:
    tz = _tz()
    return {"resource": place(booking.resource),
            "start": rfc3339(booking.start), "end": rfc3339(booking.end),
            "start_local": local_iso(booking.start, tz), "end_local": local_iso(booking.end, tz),
            "first_name": visitor_first_name(booking),
            "organisation": {"slug": booking.organisation.slug,
                             "name": booking.organisation.name}}


SHOWS_BOOKING = ("checked_in", "already_checked_in", "too_early", "too_late")


def scan_answer(result: str, booking: Booking | None, opens_at: datetime | None) -> dict[str, Any]:
    """The JSON of POST /api/v1/kiosk/scan (CONTRACT.md section 2)."""
    answer: dict[str, Any] = {"result": result}
    if booking is not None and result in SHOWS_BOOKING:
        answer["booking"] = booking_answer(booking)
        if booking.checked_in_at is not None:
            answer["checked_in_at"] = when(booking.checked_in_at)
    if opens_at is not None:
        answer["opens_at"] = rfc3339(opens_at)
        answer["opens_at_local"] = local_iso(opens_at, _tz())
    return answer
