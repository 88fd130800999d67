"""Booking pages per floor: day timeline of rooms, desk picker, reception's "today"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub.accounts.roles import DESK_ROLES
from hub.accounts.views import role_required
from hub.booking import services
from hub.booking.policies import kind_policy
from hub.booking.web import queries as pq
from hub.booking.web import reception_view
from hub.booking.web.forms import BookForm, DeskForm, OnBehalfForm
from hub.booking.web.pages import bp, run_search, search_form, tz
from hub.booking.web.times import day_part, local_day, parse_day, strict_day
from hub.errors import HubError
from hub.timeutil import utcnow


def _day_and_floor(kind: str) -> tuple[Any, Any, list[Any]]:
    today = local_day(utcnow(), tz())
    day = parse_day(request.args.get("date"), today)
    floors = pq.floors_with(kind)
    floor = pq.pick_floor(floors, request.args.get("floor", type=int))
    return day, floor, floors


@bp.get("/book/timeline")
@login_required
def timeline() -> str:
    day, floor, floors = _day_and_floor("room")
    # The person itself, not the proxy: the privacy view reads it for every booking.
    viewer = current_user._get_current_object()
    rows, window = pq.timeline_rows(viewer, day, floor, tz(), now=utcnow())
    hours = [{"left": left, "label": f"{pq.local_time(moment, tz()):%H}"}
             for moment, left in pq.hour_marks(window)] if window else []
    clock: dict[Any, str] = {}  # a floor's hundreds of segments share a few dozen moments
    for row in rows:
        row["urls"] = {seg.start: _gap_url(row["resource"]["id"], day, seg)
                       for seg in row["segments"] if seg.kind == "free" and row["bookable"]}
        for seg in row["segments"]:
            for moment in (seg.start, seg.end):
                if moment not in clock:
                    clock[moment] = format_time(moment, "HH:mm")
    return render_template("booking/timeline.html", day=day, floor=floor, floors=floors,
                           rows=rows, hours=hours, clock=clock,
                           prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1))


def _gap_url(resource_id: int, day: Any, seg: Any) -> str:
    """The search for this room at the start of a free gap (an hour, or less if shorter)."""
    minutes = min(60, int((seg.end - seg.start) / timedelta(minutes=1)))
    return url_for("booking_pages.find", day=day.isoformat(),
                   start=f"{pq.local_time(seg.start, tz()):%H:%M}",
                   minutes=pq.fit_duration(minutes), people=1, kind="room",
                   resource=resource_id)


@bp.get("/book/desks")
@login_required
def desks() -> str:
    day, floor, floors = _day_and_floor("desk")
    desks = pq.desk_parts(current_user, day, floor, tz(), now=utcnow())
    plan_url = (url_for("booking_pages.floor_plan", floor_id=floor.id)
                if floor is not None and floor.plan_image else None)
    return render_template("booking/desks.html", day=day, floor=floor, floors=floors,
                           desks=desks, plan_url=plan_url, desk_form=DeskForm())


@bp.post("/book/desks")
@login_required
def book_desk() -> Any:
    form = DeskForm()
    back = url_for("booking_pages.desks", date=strict_day(form.day.data))
    day = strict_day(form.day.data)
    slots = kind_policy("desk").slots
    if (not form.validate_on_submit() or day is None
            or form.part.data not in {s.name for s in slots}):
        flash(_("The booking form was not complete. Try again."), "error")
        return redirect(back)
    start, end = day_part(day, form.part.data, tz(), slots)
    try:
        result = services.create_booking(actor_id=current_user.id, resource=form.resource.data,
                                         start=start, end=end, now=utcnow(), channel="web")
    except HubError as exc:
        flash(pq.refusal(exc)["message"], "error")
        return redirect(back)
    return redirect(url_for("booking_pages.confirmed", booking_id=result.booking.id))


@bp.get("/book/floors/<int:floor_id>/plan")
@login_required
def floor_plan(floor_id: int) -> Any:
    return pq.send_plan(floor_id)


@bp.get("/today")
@role_required(*DESK_ROLES)
def today() -> Any:
    now = utcnow()
    form = search_form(request.args, now, OnBehalfForm)
    context: dict[str, Any] = {"searched": False}
    if request.args.get("on_behalf_of"):
        context = run_search(form, now)
    today_date = local_day(now, tz())
    day = parse_day(request.args.get("date"), today_date)
    rows = pq.today_rows(current_user, now, day)
    kind = request.args.get("show_kind")
    filters = reception_view.Filters(
        kind=kind if kind in ("room", "desk", "landing_spot") else None,
        organisation=request.args.get("organisation") or None,
        free_now=request.args.get("free_now") == "1" and day == today_date)
    groups = reception_view.group(rows, pq.places_in_building(), now, filters,
                                  today=day == today_date)
    return render_template("booking/today.html", form=form, book_form=BookForm(), rows=rows,
                           groups=groups, filters=filters,
                           shown=sum(1 for g in groups for line in g.lines if line.row),
                           person_label=reception_view.person_label,
                           day=day, is_today=day == today_date,
                           organisations=reception_view.organisations(rows),
                           prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
                           now=now, **context)
