"""Cancelling asks first: one click on "Cancel" shows what will be cancelled, and only the
second, explicit "Yes, cancel" changes anything (a slip of the finger costs nothing)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required

from hub.booking.web import queries as pq
from hub.booking.web.forms import CancelForm
from hub.booking.web.pages import bp
from hub.errors import NotFound
from hub.timeutil import utcnow


@bp.get("/bookings/<int:booking_id>/cancel")
@login_required
def confirm_cancel(booking_id: int) -> Any:
    view = pq.my_booking(booking_id, current_user, utcnow())
    if not view.can_change:
        raise NotFound(_not_cancellable())
    scope = "following" if request.args.get("scope") == "following" else "this"
    back = pq.safe_back(request.args.get("back"), "")
    return render_template("booking/cancel.html", b=view, scope=scope, form=CancelForm(),
                           back=back)


def _not_cancellable() -> str:
    from flask_babel import gettext as _

    return _("This booking can no longer be cancelled.")
