"""Pages of the site itself: the municipality's theme stylesheet and the accessibility
statement (toegankelijkheidsverklaring) linked from every page's footer."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub.accounts.roles import DESK_ROLES, FACILITY_ROLES
from hub.theme import stylesheet

bp = Blueprint("site", __name__)


@bp.get("/theme.css")
def theme_css() -> Response:
    """The configured base tokens (HUB_THEME_*), loaded after the hub's defaults."""
    body = stylesheet(current_app.config.get("HUB_THEME") or {})
    response = Response(body, mimetype="text/css")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)


@bp.get("/toegankelijkheid")
def accessibility_statement() -> str:
    """The statement in the form of the Dutch government's model (digitoegankelijk.nl)."""
    return render_template("site/accessibility.html")


def theme_context() -> dict[str, Any]:
    """What the layout needs: the theme's logo and name, and the role's management links."""
    theme = current_app.config.get("HUB_THEME") or {}
    return {"theme_logo": theme.get("LOGO"), "theme_name": theme.get("NAME"),
            "manage_items": manage_items(current_user)}


def manage_items(user: Any) -> list[dict[str, str]]:
    """The role's links beyond booking, grouped under one "Beheer" menu when there are several
    (the header stays one row on a laptop whatever the role)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    if user.role in DESK_ROLES:
        items.append({"url": url_for("booking_pages.today"), "label": _("Reception")})
    if user.role in ("coordinator", "admin"):
        items.append({"url": url_for("accounts.members"), "label": _("Members")})
    if user.role in FACILITY_ROLES:
        items.append({"url": url_for("building.index"), "label": _("Facility")})
        items.append({"url": url_for("insights.dashboard"), "label": _("Insights")})
    elif user.role == "coordinator":
        items.append({"url": url_for("insights.organisation"), "label": _("Insights")})
    if user.role == "admin":
        items.append({"url": url_for("accounts.organisations"), "label": _("Organisations")})
    return items
