"""The start page: my bookings coming up and a quick "find me a room" form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from hub.booking import plaza
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
                           action_form=ActionForm(), now=now,
                           on_plaza=plaza.on_plaza_now(current_user, now))


@bp.get("/favicon.ico")
def favicon() -> Any:
    """Browsers ask for /favicon.ico whatever the page links: answer with the hub's icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
