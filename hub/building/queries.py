"""Read side of the building: which resources a person sees and may book, and their state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Select, select

from hub.building.models import Floor, Resource, Site, resource_organisations
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


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """A resource as the read side needs it, from one Core query (no ORM objects): what
    `Resource.as_dict()` answers, its floor and site, and the organisations it is restricted
    to (for the privacy rule: `is_private`, `owned_by`)."""

    id: int
    slug: str
    name: str
    kind: str
    privacy: str
    bookable: bool
    org_kinds: list[str] | None  # who may book this one resource; None: the kind policy
    owners: frozenset[int]
    floor: dict[str, Any]  # id, slug, name, level, site (the site's name)
    data: dict[str, Any]  # exactly Resource.as_dict()
    ref: dict[str, Any]  # {id, slug, name, kind}: how a booking view names its resource

    @property
    def floor_id(self) -> int:
        return int(self.floor["id"])

    @property
    def is_private(self) -> bool:
        return self.privacy == "private"

    @property
    def restricted(self) -> bool:
        return bool(self.owners)

    def owned_by(self, organisation_id: int | None) -> bool:
        return organisation_id in self.owners

    def as_dict(self) -> dict[str, Any]:
        return self.data


def resource_infos(*, kind: str | None = None, floor_id: int | None = None,
                   by_site: bool = False) -> list[ResourceInfo]:
    """The active resources (of a kind / on a floor) with floor, site and restrictions, in two
    Core queries however many there are; ordered by floor level, kind and name (`by_site`:
    by site name, floor level, floor name, kind and name, as the board lists them)."""
    query = (select(Resource.id, Resource.slug, Resource.name, Resource.kind, Resource.privacy,
                    Resource.bookable, Resource.org_kinds, Resource.capacity,
                    Resource.amenities, Floor.id,
                    Floor.slug, Floor.name, Floor.level, Site.id, Site.slug, Site.name)
             .join(Floor, Floor.id == Resource.floor_id).join(Site, Site.id == Floor.site_id)
             .where(Resource.active.is_(True)))
    if kind:
        query = query.where(Resource.kind == kind)
    if floor_id:
        query = query.where(Resource.floor_id == floor_id)
    order = ((Site.name, Floor.level, Floor.name, Resource.kind, Resource.name) if by_site
             else (Floor.level, Resource.kind, Resource.name))
    rows = db.session.execute(query.order_by(*order)).all()
    if not rows:
        return []
    owners: dict[int, set[int]] = {}
    restrictions = select(resource_organisations.c.resource_id,
                          resource_organisations.c.organisation_id)
    if kind or floor_id:
        restrictions = restrictions.where(
            resource_organisations.c.resource_id.in_([row[0] for row in rows]))
    for resource_id, organisation_id in db.session.execute(restrictions):
        owners.setdefault(resource_id, set()).add(organisation_id)
    floors: dict[int, dict[str, Any]] = {}
    sites: dict[int, dict[str, Any]] = {}
    out = []
    for (rid, slug, name, rkind, privacy, bookable, org_kinds, capacity, amenities, f_id,
         f_slug, f_name, f_level, s_id, s_slug, s_name) in rows:
        site = sites.setdefault(s_id, {"id": s_id, "slug": s_slug, "name": s_name})
        floor = floors.setdefault(f_id, {"id": f_id, "slug": f_slug, "name": f_name,
                                         "level": f_level, "site": s_name})
        restricted = frozenset(owners.get(rid, ()))
        data = {"id": rid, "slug": slug, "name": name, "kind": rkind,
                "site": dict(site), "floor": {"id": f_id, "slug": f_slug, "name": f_name},
                "capacity": capacity, "amenities": list(amenities or []),
                "restricted": bool(restricted), "privacy": privacy, "bookable": bookable}
        out.append(ResourceInfo(rid, slug, name, rkind, privacy, bookable, org_kinds, restricted,
                                floor, data,
                                {"id": rid, "slug": slug, "name": name, "kind": rkind}))
    return out
