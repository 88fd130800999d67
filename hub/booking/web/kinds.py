"""Which kinds of place a person's organisation may book, and why not the others: a network
partner is shown the landing spots instead of "nothing free" for a consulting room."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from hub.building.models import Resource
from hub.building.services import may_book, permitted_pairs
from hub.extensions import db

KIND_ORDER = ("room", "desk", "landing_spot")


def bookable_kinds(user: Any) -> list[str]:
    """The kinds with at least one active place the user's organisation may book."""
    pairs = permitted_pairs()
    found = {r.kind for r in db.session.scalars(select(Resource).where(
        Resource.active.is_(True), Resource.bookable.is_(True)))
        if may_book(user.organisation, r, pairs)}
    return [k for k in KIND_ORDER if k in found]


def default_kind(user: Any) -> str:
    kinds = bookable_kinds(user) if getattr(user, "is_authenticated", False) else []
    return kinds[0] if kinds else "room"


def not_for_you(user: Any, kind: str) -> dict[str, Any] | None:
    """Why the user cannot book this kind at all, and what they can book instead."""
    kinds = bookable_kinds(user)
    if kind in kinds:
        return None
    network = getattr(user.organisation, "kind", None) == "network"
    if kind == "room" and network:
        why = _("Consulting and meeting rooms are for the partners housed in the building. "
                "As a network partner, your organisation books landing spots on the service "
                "plaza.")
    else:
        why = _("Your organisation may not book this kind of place.")
    return {"why": why, "kinds": kinds}
