"""The start page: my bookings coming up and a quick "find me a room" form."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from hub.booking.web import queries as page_queries
from hub.booking.web.pages import search_form
from hub.forms import ActionForm
from hub.timeutil import utcnow

bp = Blueprint("home", __name__)
UPCOMING_ON_HOME = 5


@bp.get("/")
@login_required
def index() -> str:
    now = utcnow()
    upcoming, _past = page_queries.my_bookings(current_user, now)
    # An empty form on purpose: the defaults (today, next quarter hour, an hour, two people)
    # make the quick search a single click.
    form = search_form({}, now)  # type: ignore[arg-type]
    return render_template("home.html", form=form, bookings=upcoming[:UPCOMING_ON_HOME],
                           action_form=ActionForm(), now=now)
