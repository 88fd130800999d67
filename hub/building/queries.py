"""Read side of the building: which resources a person sees and may book, and their state."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select

from hub.building.models import Resource
from hub.building.services import may_book, permitted_pairs
from hub.extensions import db

# Packages that know what "busy" means (booking, sensors) register a provider here;
# building itself knows nothing of bookings or sensors.
StateProvider = Callable[[list[int], datetime], dict[int, str]]
state_providers: list[StateProvider] = []
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
    states = dict.fromkeys(resource_ids, "free")
    for provider in state_providers:
        for rid, state in provider(resource_ids, now).items():
            if STATE_ORDER.get(state, 0) > STATE_ORDER[states.get(rid, "free")]:
                states[rid] = state
    return states
