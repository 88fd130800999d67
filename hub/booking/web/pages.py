"""Booking pages: find and book, confirmation, my bookings (cancel, move, check in)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from hub import links
from hub.accounts.roles import ON_BEHALF_ROLES
from hub.booking import services
from hub.booking.policies import kind_policy
from hub.booking.rules import is_closed
from hub.booking.web import kinds, repeat
from hub.booking.web import queries as pq
from hub.booking.web.forms import (
    SUBJECT_WARNING,
    BookForm,
    CancelForm,
    MoveForm,
    SearchForm,
)
from hub.booking.web.times import (
    Search,
    day_part,
    default_part,
    default_search,
    interval,
    local_day,
)
from hub.calendar.qr import qr_svg
from hub.errors import HubError, InvalidInput, SeriesConflict
from hub.forms import ActionForm
from hub.timeutil import utcnow

bp = Blueprint("booking_pages", __name__)
# Who may book for a colleague (the booking service has the last word: 403 for others).


def tz() -> str:
    return str(current_app.config["HUB_TIMEZONE"])


@bp.app_context_processor
def _booking_globals() -> dict[str, Any]:
    return {"nav_items": pq.nav_items(current_user), "status_labels": pq.status_labels(),
            "subject_warning": SUBJECT_WARNING, "on_behalf_roles": ON_BEHALF_ROLES}


def search_form(args: MultiDict[str, str], now: datetime, form_class: type = SearchForm) -> Any:
    """A search form from the query string, with today's sensible defaults filled in."""
    policy = kind_policy("room")
    default = default_search(now, tz(), opens=policy.opens, closes=policy.closes,
                             closed=lambda day: is_closed(policy, day))
    return form_class(formdata=args if args else None, day=default.day, start=default.start,
                      minutes=default.minutes, people=default.people,
                      kind=kinds.default_kind(current_user),
                      part=default_part(now, tz(), kind_policy("desk").slots))


def _wanted(form: Any) -> tuple[datetime, datetime]:
    """[start, end) of a valid search: a day part for slot kinds, else start + duration."""
    slots = kind_policy(form.kind.data).slots
    if slots:
        return day_part(form.day.data, form.part.data, tz(), slots)
    search = Search(form.day.data, form.start.data, form.minutes.data, form.people.data)
    return interval(search, tz())


def run_search(form: Any, now: datetime, *, resource_id: int | None = None) -> dict[str, Any]:
    """Validate the search and ask the booking service for free resources (for a series:
    free on every date first, then on most dates)."""
    if not form.validate():
        return {"searched": False, "invalid": True}
    start, end = _wanted(form)
    people = form.people.data if form.kind.data == "room" else None
    on_behalf = getattr(form, "on_behalf_of", None)
    on_behalf_of = (on_behalf.data or None) if on_behalf is not None else None
    try:
        repeat_choice = repeat.choice(form.data)
        rule = repeat.rrule_for(repeat_choice, start, tz())
        if rule is not None:
            found = repeat.series_search(
                actor_id=current_user.id, kind=form.kind.data, start=start, end=end, rule=rule,
                now=now, people=people, amenities=tuple(form.amenities.data or ()),
                on_behalf_of=on_behalf_of)
            free = found["all_free"]
        else:
            found = {}
            free = services.find_free(actor_id=current_user.id, kind=form.kind.data,
                                      start=start, end=end, now=now, people=people,
                                      amenities=tuple(form.amenities.data or ()),
                                      on_behalf_of=on_behalf_of)
    except HubError as exc:
        return {"searched": False, "refusal": pq.refusal(exc)}
    if resource_id is not None:
        free = [r for r in free if r.id == resource_id]
    return {"searched": True, "free": free, "start": start, "end": end, **found,
            "repeat_values": repeat.hidden_values(form.data)}


@bp.get("/book")
@login_required
def find() -> Any:
    now = utcnow()
    form = search_form(request.args, now)
    context: dict[str, Any] = {"searched": False}
    context["not_for_you"] = kinds.not_for_you(current_user, form.kind.data)
    if request.args and context["not_for_you"] is None:
        context = run_search(form, now, resource_id=request.args.get("resource", type=int))
        if context.get("searched") and not context["free"]:
            context["alternatives"] = _alternatives(form, now, context["start"])
    status = 422 if context.get("refusal") else 400 if context.get("invalid") else 200
    return render_template("booking/find.html", form=form, book_form=BookForm(),
                           **context), status


def _alternatives(form: Any, now: datetime, wanted: datetime) -> list[dict[str, Any]]:
    if kind_policy(form.kind.data).slots:
        return []
    found = pq.alternatives(current_user, kind=form.kind.data, day=form.day.data,
                            minutes=form.minutes.data, people=form.people.data,
                            amenities=set(form.amenities.data or ()), tz=tz(), now=now,
                            around=wanted)
    args = request.args.to_dict(flat=False)
    return [{"start": start, "end": end,
             "url": url_for("booking_pages.find", **{
                 **args, "start": f"{pq.local_time(start, tz()):%H:%M}"})}
            for start, end in found]


def _refused_search(form: BookForm, refusal: dict[str, str], status: int) -> Any:
    """Show the search again (with what is still free) and the refusal above it."""
    now = utcnow()
    args = pq.search_args_for(form.start.data, form.end.data, tz(), form.subject.data)
    search = search_form(args, now)
    context = run_search(search, now)
    context["refusal"] = refusal
    return render_template("booking/find.html", form=search, book_form=BookForm(),
                           **context), status


@bp.post("/book")
@login_required
def book() -> Any:
    form = BookForm()
    if not form.validate_on_submit():
        return _refused_search(form, pq.refusal(InvalidInput(
            _("The booking form was not complete. Try again."))), 400)
    try:
        start, end = pq.parse_instant(form.start.data), pq.parse_instant(form.end.data)
        rule = repeat.rrule_for(repeat.choice(form.data), start, tz())
        result = services.create_booking(
            actor_id=current_user.id, resource=form.resource.data, start=start, end=end,
            now=utcnow(), subject=form.subject.data or None, attendees=form.attendees.data,
            on_behalf_of=form.on_behalf_of.data or None, channel="web",
            rrule=rule, skip_conflicts=form.skip_conflicts.data == "1")
    except HubError as exc:
        if form.on_behalf_of.data:
            flash(pq.refusal(exc)["message"], "error")
            return redirect(pq.safe_back(form.back.data, url_for("booking_pages.find")))
        if isinstance(exc, SeriesConflict):
            return _series_refused(form, exc)
        return _refused_search(form, pq.refusal(exc), exc.status)
    if result.occurrences:
        flash(ngettext("%(num)s booking of the series made.",
                       "%(num)s bookings of the series made.", len(result.occurrences)), "info")
        session["series_report"] = repeat.report(result.skipped)
    if form.on_behalf_of.data:
        # Booked for a colleague: the booking is theirs (and, in a private room, as private
        # to reception as to anyone outside the organisation), so back to where we were.
        flash(_("Booked for %(email)s.", email=form.on_behalf_of.data), "info")
        return redirect(pq.safe_back(form.back.data, url_for("booking_pages.find")))
    return redirect(url_for("booking_pages.confirmed", booking_id=result.booking.id))


def _series_refused(form: BookForm, exc: SeriesConflict) -> Any:
    """Which dates are taken (and which cannot be booked, and why), and a button to book
    the others."""
    taken = [{"start": pq.parse_instant(c["start"]), "reason": c.get("reason", "conflict"),
              "label": repeat.reason_label(c.get("reason", "conflict"))}
             for c in exc.details.get("conflicts", [])]
    return render_template("booking/series_conflict.html", form=form, taken=taken,
                           message=exc.message,
                           repeat_values=repeat.hidden_values(form.data)), exc.status


@bp.get("/bookings/<int:booking_id>")
@login_required
def confirmed(booking_id: int) -> Any:
    view = pq.my_booking(booking_id, current_user, utcnow())
    context: dict[str, Any] = {"b": view, "ics_url": links.booking_ics_url(view.id),
                               "not_booked": repeat.shown_report(session.pop(
                                   "series_report", None))}
    if view.checkin_code and view.status in ("booked", "checked_in"):
        url = links.checkin_url(view.checkin_code)
        context["checkin_url"] = url
        context["qr_svg"] = qr_svg(url, _("QR code for checking in"))
    return render_template("booking/confirmed.html", **context)


@bp.get("/bookings")
@login_required
def mine() -> str:
    now = utcnow()
    upcoming, past = pq.my_bookings(current_user, now)
    return render_template("booking/mine.html", upcoming=upcoming, past=past,
                           action_form=ActionForm())


def _act(booking_id: int, action: Any, done: str, **extra: Any) -> Response:
    form = ActionForm()
    if form.validate_on_submit():
        try:
            action(actor_id=current_user.id, booking_id=booking_id, now=utcnow(),
                   channel="web", **extra)
            flash(done, "info")
        except HubError as exc:
            flash(exc.message, "error")
    else:
        flash(_("The form expired. Try again."), "error")
    return redirect(pq.safe_back(request.form.get("back"), url_for("booking_pages.mine")))


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int) -> Response:
    form = CancelForm()
    scope = "following" if form.scope.data == "following" else "this"
    return _act(booking_id, services.cancel_booking, _("The booking is cancelled."), scope=scope)


@bp.post("/bookings/<int:booking_id>/check-in")
@login_required
def check_in(booking_id: int) -> Response:
    return _act(booking_id, services.check_in, _("You are checked in."))


@bp.post("/bookings/<int:booking_id>/check-out")
@login_required
def check_out(booking_id: int) -> Response:
    return _act(booking_id, services.check_out, _("The room is free again. Thank you."))


@bp.route("/bookings/<int:booking_id>/move", methods=["GET", "POST"])
@login_required
def move(booking_id: int) -> Any:
    now = utcnow()
    view = pq.my_booking(booking_id, current_user, now)
    minutes = int((view.end - view.start) / timedelta(minutes=1))
    form = MoveForm(day=local_day(view.start, tz()), start=pq.local_time(view.start, tz()),
                    minutes=minutes)
    refusal, status = None, 200
    if form.validate_on_submit():
        start, end = interval(Search(form.day.data, form.start.data, form.minutes.data), tz())
        scope = "following" if request.form.get("scope") == "following" else "this"
        try:
            services.move_booking(actor_id=current_user.id, booking_id=booking_id, start=start,
                                  end=end, now=now, channel="web", scope=scope)
            flash(_("The booking is moved."), "info")
            return redirect(url_for("booking_pages.confirmed", booking_id=booking_id))
        except HubError as exc:
            refusal, status = pq.refusal(exc), exc.status
    elif request.method == "POST":
        status = 400
    return render_template("booking/move.html", b=view, form=form, refusal=refusal), status
