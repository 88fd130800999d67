"""Type-ahead for booking on behalf: find a colleague by (part of) a name or an e-mail
address, within one's own organisation (coordinator) or the building (reception, admin),
instead of typing the whole address."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from hub.accounts.models import Organisation, User
from hub.accounts.roles import ON_BEHALF_ANY, ON_BEHALF_ROLES
from hub.booking.web.pages import bp
from hub.errors import NotAllowed
from hub.extensions import db

LIMIT = 10


def colleagues_matching(viewer: Any, text: str) -> list[dict[str, str]]:
    """Active people whose name or e-mail contains `text` (case-insensitive), A to Z."""
    needle = f"%{text.strip().lower()[:100]}%"
    query = (select(User.email, User.name, Organisation.name)
             .join(Organisation, Organisation.id == User.organisation_id)
             .where(User.active.is_(True), User.is_person(), Organisation.active.is_(True),
                    or_(func.lower(User.name).like(needle), func.lower(User.email).like(needle)))
             .order_by(User.name).limit(LIMIT))
    if viewer.role not in ON_BEHALF_ANY:
        query = query.where(User.organisation_id == viewer.organisation_id)
    return [{"email": email, "name": name, "organisation": org}
            for email, name, org in db.session.execute(query)]


@bp.get("/book/colleagues")
@login_required
def colleagues() -> Any:
    if current_user.role not in ON_BEHALF_ROLES:
        raise NotAllowed(_("Only reception and coordinators may book for someone else."))
    text = request.args.get("q", "")
    items = colleagues_matching(current_user, text) if len(text.strip()) >= 2 else []
    return jsonify({"items": items, "next": None})
