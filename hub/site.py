"""Pages of the site itself: the municipality's theme stylesheet and the accessibility
statement (toegankelijkheidsverklaring) linked from every page's footer."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request

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
    """What the layout needs of the theme: the logo and the organisation's name."""
    theme = current_app.config.get("HUB_THEME") or {}
    return {"theme_logo": theme.get("LOGO"), "theme_name": theme.get("NAME")}
