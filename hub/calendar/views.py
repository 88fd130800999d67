"""Pages of the calendar package: feed links and mail choices on /account, and the mail
outbox for facility (what was sent, what waits, what failed)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from hub import links
from hub.accounts.roles import FACILITY_ROLES
from hub.building.models import Resource
from hub.calendar import mail_events, outbox, tokens
from hub.calendar.models import MAIL_KINDS, MAIL_STATUSES
from hub.extensions import db
from hub.forms import ActionForm
from hub.timeutil import utcnow

bp = Blueprint("calendar_pages", __name__)
NEW_FEED = "calendar.new_feed"
MAIL_KIND_LABELS = {"confirmation": _l("Confirmation of a new booking, with QR code"),
                    "change": _l("A booking was changed"),
                    "cancellation": _l("A booking was cancelled"),
                    "release": _l("A booking was released because nobody checked in")}
FEED_LABELS = {"personal": _l("My bookings"), "plaza": _l("Who is on the service plaza"),
               "resource": _l("One place")}


def feed_url(scope: str, token: str, slug: str | None = None) -> str:
    if scope == "personal":
        return links.personal_feed_url(token)
    if scope == "plaza":
        return links.plaza_feed_url(token)
    return links.resource_feed_url(slug or "", token)


def account_context(user: Any) -> dict[str, Any]:
    """What /account shows of feeds and mail (the accounts view adds it to its page)."""
    shown = session.pop(NEW_FEED, None)
    resources = {r.id: r for r in db.session.scalars(select(Resource).where(
        Resource.active.is_(True)).order_by(Resource.kind, Resource.name))}
    live = [{"scope": t.scope, "resource": resources.get(t.resource_id) if t.resource_id
             else None, "created_at": t.created_at} for t in tokens.active_tokens(user.id)]
    return {"feed_tokens": live, "new_feed": shown, "feed_labels": FEED_LABELS,
            "feed_resources": list(resources.values()),
            "mail_choices": mail_events.mail_choices(user.id),
            "mail_kind_labels": MAIL_KIND_LABELS, "webcal": links.webcal}


@bp.app_context_processor
def _account_helpers() -> dict[str, Any]:
    # A callable, not values: only /account's calendar sections pay for the queries.
    return {"account_calendar": lambda: account_context(current_user)}


def _resource_id(slug: str | None) -> tuple[int | None, str | None]:
    if not slug:
        return None, None
    resource = db.session.scalar(select(Resource).filter_by(slug=slug[:64]))
    if resource is None:
        abort(404)
    return resource.id, resource.slug


@bp.post("/account/feeds/<scope>")
@login_required
def new_feed(scope: str) -> Response:
    """A new secret link for one feed (shown once); the earlier one stops working."""
    if scope not in FEED_LABELS or not ActionForm().validate_on_submit():
        abort(400)
    resource_id, slug = _resource_id(request.form.get("resource") if scope == "resource"
                                     else None)
    if scope == "resource" and resource_id is None:
        flash(_("Choose a place first."), "error")
        return redirect(url_for("accounts.account", _anchor="feeds"))
    plain = tokens.issue(current_user.id, scope, now=utcnow(), resource_id=resource_id)
    session[NEW_FEED] = {"label": str(FEED_LABELS[scope]), "url": feed_url(scope, plain, slug)}
    return redirect(url_for("accounts.account", _anchor="feeds"))


@bp.post("/account/feeds/<scope>/revoke")
@login_required
def revoke_feed(scope: str) -> Response:
    if scope not in FEED_LABELS or not ActionForm().validate_on_submit():
        abort(400)
    resource_id, _slug = _resource_id(request.form.get("resource") if scope == "resource"
                                      else None)
    tokens.revoke(current_user.id, scope, now=utcnow(), resource_id=resource_id)
    flash(_("The link is revoked; calendars that used it get nothing more."), "info")
    return redirect(url_for("accounts.account", _anchor="feeds"))


@bp.post("/account/mail")
@login_required
def mail_choices() -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    enabled = {kind for kind in MAIL_KINDS if request.form.get(kind) == "1"}
    mail_events.set_mail_choices(current_user.id, enabled)
    flash(_("Your mail choices are saved."), "info")
    return redirect(url_for("accounts.account", _anchor="mail"))


def _facility() -> None:
    if current_user.role not in FACILITY_ROLES:
        abort(403)


@bp.get("/facility/mail")
@login_required
def mail_outbox() -> str:
    _facility()
    status = request.args.get("status")
    status = status if status in MAIL_STATUSES else None
    return render_template("calendar/mail_outbox.html", counts=outbox.counts_by_status(),
                           rows=outbox.recent(status), status=status, form=ActionForm())


@bp.post("/facility/mail/<int:mail_id>/retry")
@login_required
def retry_mail(mail_id: int) -> Response:
    _facility()
    if ActionForm().validate_on_submit() and outbox.retry_now(mail_id, utcnow()):
        flash(_("The mail is sent again at the next run of the worker."), "info")
    return redirect(url_for("calendar_pages.mail_outbox"))
