"""Read side of the building: which resources a person sees and may book, and their state."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Select, select

from hub.building.models import Floor, Resource
from hub.building.services import may_book, permitted_pairs
from hub.extensions import db
from hub.registries import registry

STATE_ORDER = {"free": 0, "unknown": 1, "booked": 2, "occupied": 3}


def visible_resources(query: Select[Any], user: Any, *, bookable: bool) -> Iterable[Resource]:
    """All resources (private ones included: their existence is not secret), or only those
    the user may book."""
    resources = db.session.scalars(query)
    if not bookable:
        return list(resources)
    pairs = permitted_pairs()
    return [r for r in resources if r.bookable and may_book(user.organisation, r, pairs)]


def states_now(resource_ids: list[int], *, now: datetime) -> dict[int, str]:
    """The strongest state any provider reports per resource; `free` when none says more."""
    # Packages that know what "busy" means (booking, sensors) register a provider;
    # building itself knows nothing of bookings or sensors.
    states = dict.fromkeys(resource_ids, "free")
    for provider in registry().items("state_providers"):
        for rid, state in provider(resource_ids, now).items():
            if STATE_ORDER.get(state, 0) > STATE_ORDER[states.get(rid, "free")]:
                states[rid] = state
    return states


def resources_on(floor: Floor | None, kind: str) -> list[Resource]:
    if floor is None:
        return []
    stmt = (select(Resource).where(Resource.floor_id == floor.id, Resource.kind == kind,
                                   Resource.active.is_(True)).order_by(Resource.name))
    return list(db.session.scalars(stmt))


def upload_folder() -> Path:
    configured = current_app.config.get("HUB_UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"
