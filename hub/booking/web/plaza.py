"""/plaza: the landing-spot calendar. One click books a free half-day (or the whole day);
the partner cancels their own. A lost race answers with the next free cells."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from hub.booking import plaza, services
from hub.booking.policies import kind_policy
from hub.errors import BookingConflict, HubError
from hub.forms import ActionForm
from hub.timeutil import local, utcnow

bp = Blueprint("plaza", __name__)
SLOTS = ("morning", "afternoon", "day")


def _monday(text: str | None) -> date:
    try:
        return plaza.parse_week(text, local(utcnow(), plaza.tz()).date())
    except plaza.BadWeek:
        abort(404)


@bp.get("/plaza")
@login_required
def week() -> Any:
    now = utcnow()
    grid = plaza.week_grid(current_user, _monday(request.args.get("week")), now)
    return _page(grid, None)


def _page(grid: dict[str, Any], alternatives: list[dict[str, Any]] | None) -> str:
    return render_template("booking/plaza.html", grid=grid, days=by_day(grid),
                           form=ActionForm(), alternatives=alternatives,
                           as_date=date.fromisoformat)


def by_day(grid: dict[str, Any]) -> list[dict[str, Any]]:
    """The grid per day (a card on the page): per spot its morning and afternoon cell."""
    days = []
    for day in grid["days"]:
        rows = []
        for spot in grid["spots"]:
            halves = {c["slot"]: c for c in spot["cells"] if c["date"] == day["date"]}
            rows.append({"resource": spot["resource"], **halves,
                         "whole_day": all(halves.get(h, {}).get("state") == "free"
                                          for h in plaza.HALVES)
                         and halves.get("morning", {}).get("whole_day_bookable", False)})
        days.append({**day, "day": date.fromisoformat(day["date"]), "rows": rows})
    return days


def _wanted() -> tuple[int, plaza.Cell] | None:
    try:
        resource_id = int(request.form.get("resource", ""))
        day = date.fromisoformat(request.form.get("date", ""))
    except ValueError:
        return None
    slot = request.form.get("slot", "")
    if slot not in SLOTS or not 2000 <= day.year <= 2100:
        return None
    wanted = plaza.cell(kind_policy(plaza.KIND), day, slot)
    return (resource_id, wanted) if wanted is not None else None


def _back(day: date | None) -> Response:
    week = plaza.week_name(day) if day else None
    return redirect(url_for("plaza.week", week=week))


@bp.post("/plaza/book")
@login_required
def book() -> Any:
    form, wanted = ActionForm(), _wanted()
    if not form.validate_on_submit() or wanted is None:
        flash(_("That did not work. Choose a free half-day and try again."), "error")
        return _back(None)
    resource_id, cell = wanted
    now = utcnow()
    try:
        services.create_booking(actor_id=current_user.id, resource=resource_id,
                                start=cell.start, end=cell.end, now=now, channel="web")
    except BookingConflict:
        return _refused(cell, now)
    except HubError as exc:
        flash(exc.message, "error")
        return _back(cell.day)
    flash(_("Booked. You find the check-in code in your mail and under My bookings."), "info")
    return _back(cell.day)


def _refused(cell: plaza.Cell, now: Any) -> Any:
    """Someone was quicker: say so kindly and offer the next free cells."""
    monday = plaza.parse_week(plaza.week_name(cell.day), cell.day)
    grid = plaza.week_grid(current_user, monday, now)
    return _page(grid, plaza.next_free(current_user, cell, now)), 409


@bp.post("/plaza/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int) -> Response:
    form = ActionForm()
    day = None
    if form.validate_on_submit():
        try:
            done = services.cancel_booking(actor_id=current_user.id, booking_id=booking_id,
                                           now=utcnow(), channel="web")
            day = local(done[0].start, plaza.tz()).date() if done else None
            flash(_("Your booking is cancelled; the place is free again."), "info")
        except HubError as exc:
            flash(exc.message, "error")
    return _back(day)
