"""What a phone opens: a booking's QR (/k/<code>) and a printed door or desk label
(/r/<slug>): state now, check in inside the window, book the next free slot in one tap."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from hub.booking.models import Booking
from hub.booking.rules import ACTIVE
from hub.booking.services import check_in, checkin_window_of, create_booking
from hub.building.models import Resource
from hub.db import write
from hub.errors import HubError, TooManyRequests
from hub.extensions import db
from hub.kiosk import answers, board, places, rules
from hub.kiosk.services import guessing
from hub.kiosk.web import bp
from hub.timeutil import utcnow


def _booking_of(code: str) -> Booking | None:
    parsed = rules.parse_code(code)
    return db.session.scalar(select(Booking).filter_by(checkin_code=parsed)) if parsed else None


def _looked_up(code: str) -> Booking | TooManyRequests | None:
    """The booking of a code, None for an unknown code (counted), or the 429 while this
    client address must wait after too many unknown codes (hub.kiosk.services.guessing)."""
    address, now = request.remote_addr or "?", utcnow()
    refusal = guessing.refused(address, now=now)
    if refusal is not None:
        return refusal
    booking = _booking_of(code)
    if booking is None:
        with write():
            guessing.failed(address, now=now)
    return booking


def _wait_page(refusal: TooManyRequests) -> Any:
    seconds = refusal.details["retry_after_s"]
    return (render_template("kiosk/code.html", booking=None, wait_s=seconds), 429,
            {"Retry-After": str(seconds)})


def _mine(booking: Booking) -> bool:
    return bool(current_user.is_authenticated
                and current_user.id in (booking.user_id, booking.created_by_id))


def _verdict(booking: Booking, now: datetime) -> rules.Verdict:
    opens, closes = checkin_window_of(booking)
    return rules.judge(status=booking.status, end=booking.end, opens=opens, closes=closes,
                       now=now)


@bp.get("/k/<code>")
def booking_code(code: str) -> Any:
    """A booking's QR: its booker sees the booking (and checks in); anyone else only that
    the code exists and should be shown at the kiosk. Guessing codes is throttled."""
    booking = _looked_up(code)
    if isinstance(booking, TooManyRequests):
        return _wait_page(booking)
    if booking is None:
        return render_template("kiosk/code.html", booking=None), 404
    if not _mine(booking):
        return render_template("kiosk/code.html", booking=booking, mine=False)
    verdict = _verdict(booking, utcnow())
    return render_template("kiosk/code.html", booking=booking, mine=True, verdict=verdict,
                           view=answers.booking_answer(booking), code=booking.checkin_code)


@bp.post("/k/<code>/check-in")
@login_required
def check_in_code(code: str) -> Any:
    booking = _looked_up(code)
    if isinstance(booking, TooManyRequests):
        return _wait_page(booking)
    if booking is None or not _mine(booking):
        abort(404)
    _check_in(booking)
    return redirect(url_for("kiosk_pages.booking_code", code=booking.checkin_code))


def _check_in(booking: Booking) -> None:
    try:
        check_in(actor_id=current_user.id, booking_id=booking.id, now=utcnow(), channel="web")
        flash(_("You are checked in. Welcome!"), "info")
    except HubError as error:
        flash(error.message, "error")


def _resource(slug: str) -> Resource:
    resource = db.session.scalar(select(Resource).filter_by(slug=slug[:64]))
    if resource is None or not resource.active:
        abort(404)
    return resource


def _my_booking_now(resource: Resource, now: datetime) -> Booking | None:
    """The viewer's active booking on this resource that is running or opens for check-in."""
    if not current_user.is_authenticated:
        return None
    mine = db.session.scalars(select(Booking).where(
        Booking.resource_id == resource.id, Booking.status.in_(ACTIVE), Booking.end > now,
        (Booking.user_id == current_user.id) | (Booking.created_by_id == current_user.id))
        .order_by(Booking.start))
    for booking in mine:
        opens, _closes = checkin_window_of(booking)
        if opens <= now:
            return booking
    return None


@bp.get("/r/<slug>")
def resource_label(slug: str) -> str:
    """What a printed label opens: the resource's state now and until when, check in, book."""
    resource, now = _resource(slug), utcnow()
    row = board.resource_row(resource, now)
    mine = _my_booking_now(resource, now)
    verdict = _verdict(mine, now) if mine else None
    slot = places.next_free(resource, now) if current_user.is_authenticated else None
    return render_template("kiosk/resource.html", resource=resource, row=row, mine=mine,
                           verdict=verdict, slot=slot, place=answers.place(resource))


@bp.post("/r/<slug>/check-in")
@login_required
def resource_check_in(slug: str) -> Any:
    resource = _resource(slug)
    mine = _my_booking_now(resource, utcnow())
    if mine is None:
        flash(_("You have no booking here to check in to now."), "error")
    else:
        _check_in(mine)
    return redirect(url_for("kiosk_pages.resource_label", slug=resource.slug))


@bp.post("/r/<slug>/book")
@login_required
def resource_book_now(slug: str) -> Any:
    """Book the next free slot of today in one tap (the slot shown on the page)."""
    resource, now = _resource(slug), utcnow()
    slot = places.next_free(resource, now)
    wanted = request.form.get("start", "")
    if slot is None or wanted != slot[0].isoformat():
        flash(_("That slot was just taken. Here is the next free one."), "error")
        return redirect(url_for("kiosk_pages.resource_label", slug=resource.slug))
    try:
        create_booking(actor_id=current_user.id, resource=resource, start=slot[0], end=slot[1],
                       now=now, channel="web")
        flash(_("Booked. You can use it now."), "info")
    except HubError as error:
        flash(error.message, "error")
    return redirect(url_for("kiosk_pages.resource_label", slug=resource.slug))
