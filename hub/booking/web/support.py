"""Small helpers of the booking pages: navigation, refusals, parsing, floors, plan images."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import send_from_directory, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from hub.building.models import Floor, Resource, Site
from hub.building.queries import upload_folder
from hub.errors import BookingConflict, HubError, InvalidInput, NotFound, RuleViolation
from hub.extensions import db
from hub.timeutil import SANE_YEARS

DURATION_STEPS = (15, 30, 45, 60, 90, 120, 180, 240)
# Dates far outside these years are typing errors or probes, and overflow day arithmetic.


def nav_items(user: Any) -> list[dict[str, str]]:
    """Links of the booking pages in the main menu, per role."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = [{"url": url_for("booking_pages.find"), "label": _("Book")},
             {"url": url_for("booking_pages.timeline"), "label": _("Day overview")},
             {"url": url_for("booking_pages.week"), "label": _("Week")},
             {"url": url_for("booking_pages.desks"), "label": _("Desks")},
             {"url": url_for("plaza.week"), "label": _("Plaza")},
             {"url": url_for("booking_pages.mine"), "label": _("My bookings")}]
    return items


def status_labels() -> dict[str, str]:
    return {"booked": _("Booked"), "checked_in": _("Checked in"), "completed": _("Completed"),
            "cancelled": _("Cancelled"), "released": _("Released (no check-in)")}


def refusal(exc: HubError) -> dict[str, str]:
    """A refusal as a title and the service's own sentence (it names the rule)."""
    if isinstance(exc, BookingConflict):
        title = _("Someone else has just booked this")
    elif isinstance(exc, RuleViolation):
        title = _("This booking is not possible")
    else:
        title = _("That did not work")
    return {"title": title, "message": exc.message}


def parse_instant(value: str | None) -> datetime:
    """An ISO instant with offset from a hidden form field."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        raise InvalidInput(_("The time in the form is not valid.")) from None
    if moment.tzinfo is None or not SANE_YEARS[0] <= moment.year <= SANE_YEARS[1]:
        raise InvalidInput(_("The time in the form is not valid."))
    return moment.astimezone(UTC)


def local_time(moment: datetime, tz: str) -> time:
    return moment.astimezone(ZoneInfo(tz)).time().replace(second=0, microsecond=0)


def fit_duration(minutes: int) -> int:
    """The longest offered duration that fits in `minutes` (at least 15)."""
    return max([d for d in DURATION_STEPS if d <= minutes] or [DURATION_STEPS[0]])


def search_args_for(start_iso: str | None, end_iso: str | None, tz: str,
                    subject: str | None, kind: str = "room") -> MultiDict[str, str]:
    """The query string of the search that produced a booking form (to show it again)."""
    try:
        start, end = parse_instant(start_iso), parse_instant(end_iso)
    except InvalidInput:
        return MultiDict()
    minutes = fit_duration(int((end - start).total_seconds() // 60))
    local = start.astimezone(ZoneInfo(tz))
    return MultiDict({"day": local.date().isoformat(), "start": f"{local:%H:%M}",
                      "minutes": str(minutes), "people": "1", "kind": kind,
                      "subject": subject or ""})


def safe_back(target: str | None, fallback: str) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return fallback


def places_in_building() -> list[tuple[str, str, str, int]]:
    """(floor, kind, name, id) of every active place, in building order (for /today)."""
    order = {"room": 0, "desk": 1, "landing_spot": 2}
    rows = db.session.execute(
        select(Site.name, Floor.name, Floor.level, Resource.kind, Resource.name, Resource.id)
        .join(Floor, Floor.id == Resource.floor_id).join(Site, Site.id == Floor.site_id)
        .where(Resource.active.is_(True))).all()
    rows = sorted(rows, key=lambda r: (r[0], r[2], r[1], order.get(r[3], 9), r[4]))
    return [(f"{site} · {floor}", kind, name, rid) for site, floor, _l, kind, name, rid in rows]


def floors_with(kind: str) -> list[Floor]:
    """Floors that have active resources of a kind, in building order."""
    stmt = (select(Floor).join(Site).where(Floor.id.in_(
        select(Resource.floor_id).where(Resource.kind == kind, Resource.active.is_(True))))
        .order_by(Site.name, Floor.level, Floor.name))
    return list(db.session.scalars(stmt))


def pick_floor(floors: list[Floor], floor_id: int | None) -> Floor | None:
    for floor in floors:
        if floor.id == floor_id:
            return floor
    return floors[0] if floors else None


def send_plan(floor_id: int) -> Any:
    floor = db.session.get(Floor, floor_id)
    if floor is None or not floor.plan_image:
        raise NotFound(_("This floor has no plan."))
    response = send_from_directory(upload_folder(), floor.plan_image, max_age=3600)
    # Only the hub writes SVG plans (uploads are raster images); still, opened on its own an
    # SVG may run nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def today_local(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()
