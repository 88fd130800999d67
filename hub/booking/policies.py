"""Where a resource's booking policy comes from: code defaults, app config, then the
`booking_policies` table (per kind, then per resource)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select

from hub.booking.models import BookingPolicy
from hub.booking.rules import DEFAULTS, Policy, policy_for
from hub.building.models import Resource
from hub.errors import InvalidInput
from hub.extensions import db


def _tz() -> str:
    return str(current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam"))


def policy_of(resource: Resource) -> Policy:
    """The rules that apply to one resource."""
    rows = db.session.scalars(select(BookingPolicy).where(
        BookingPolicy.resource_kind == resource.kind,
        or_(BookingPolicy.resource_id.is_(None), BookingPolicy.resource_id == resource.id)))
    by_scope = {row.resource_id is not None: row.settings for row in rows}
    configured = current_app.config.get("HUB_BOOKING_POLICIES", {}).get(resource.kind)
    return policy_for(resource.kind, configured, by_scope.get(False), by_scope.get(True),
                      tz=_tz())


def kind_policy(kind: str) -> Policy:
    """The rules of a resource kind, without per-resource overrides."""
    row = db.session.scalar(select(BookingPolicy).where(
        BookingPolicy.resource_kind == kind, BookingPolicy.resource_id.is_(None)))
    configured = current_app.config.get("HUB_BOOKING_POLICIES", {}).get(kind)
    return policy_for(kind, configured, row.settings if row else None, tz=_tz())


def set_policy(kind: str, settings: dict[str, Any], *, resource_id: int | None = None) -> None:
    """Store overrides for a kind (or one resource of it); the caller commits."""
    if kind not in DEFAULTS:
        raise InvalidInput(_("Kind must be desk, room or landing_spot."), {"field": "kind"})
    try:
        policy_for(kind, settings)
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(str(exc)[:200], {"field": "settings"}) from None
    row = db.session.scalar(select(BookingPolicy).filter_by(resource_kind=kind,
                                                            resource_id=resource_id))
    if row is None:
        row = BookingPolicy(resource_kind=kind, resource_id=resource_id, settings={}, note="")
        db.session.add(row)
    row.settings = dict(settings)
