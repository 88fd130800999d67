"""Use cases for sites, floors, resources and booking permissions. Plain values in."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hub.accounts.models import ORG_KINDS, Organisation
from hub.accounts.services import (
    actor_label,
    check_slug,
    clean_name,
    has_control_characters,
    organisation_by_slug,
)
from hub.audit.services import record
from hub.building.models import (
    AMENITIES,
    PRIVACY_LEVELS,
    RESOURCE_KINDS,
    BookingPermission,
    Floor,
    Resource,
    Site,
)
from hub.db import transactional
from hub.errors import InvalidInput, NotFound
from hub.extensions import db
from hub.timeutil import utcnow

if TYPE_CHECKING:
    from hub.building.queries import ResourceInfo

LINE_BREAKS = str.maketrans("", "", "\r\n\t")
DEFAULT_PERMISSIONS = {("core", "desk"), ("core", "room"), ("network", "landing_spot"),
                       ("core", "landing_spot")}


def _address(value: str) -> str:
    if len(value) > 300 or has_control_characters(value):
        raise InvalidInput(_("Give an address of at most 300 characters."), {"field": "address"})
    return " ".join(value.split())


@transactional
def create_site(*, slug: str, name: str, address: str = "", actor_id: int | None = None,
                now: datetime | None = None, channel: str = "cli") -> Site:
    """A new building (site)."""
    slug = check_slug(slug)
    if db.session.scalar(select(Site).filter_by(slug=slug)):
        raise InvalidInput(_("A site %(slug)s exists already.", slug=slug), {"field": "slug"})
    site = Site(slug=slug, name=clean_name(name if name.strip() else slug),
                address=_address(address))
    db.session.add(site)
    db.session.flush()
    record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
           action="site.create", entity_type="site", entity_id=site.id, now=now or utcnow(),
           after={"slug": site.slug, "name": site.name, "address": site.address})
    return site


@transactional
def create_floor(*, site_slug: str, slug: str, name: str, level: int = 0,
                 actor_id: int | None = None, now: datetime | None = None,
                 channel: str = "cli") -> Floor:
    """A new floor or zone in a site."""
    site = db.session.scalar(select(Site).filter_by(slug=site_slug))
    if site is None:
        raise InvalidInput(_("Unknown site %(slug)s.", slug=site_slug[:64]), {"field": "site"})
    slug = check_slug(slug)
    if db.session.scalar(select(Floor).filter_by(site_id=site.id, slug=slug)):
        raise InvalidInput(_("Floor %(slug)s exists already.", slug=slug), {"field": "floor"})
    floor = Floor(site=site, slug=slug, name=clean_name(name if name.strip() else slug),
                  level=level)
    db.session.add(floor)
    db.session.flush()
    record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
           action="floor.create", entity_type="floor", entity_id=floor.id, now=now or utcnow(),
           after={"site": site.slug, "slug": floor.slug, "name": floor.name,
                  "level": floor.level})
    return floor


def find_floor(site_slug: str, floor_slug: str) -> Floor:
    floor = db.session.scalar(
        select(Floor).join(Site).where(Site.slug == site_slug, Floor.slug == floor_slug))
    if floor is None:
        raise InvalidInput(_("Unknown floor %(floor)s in site %(site)s.",
                             floor=floor_slug[:64], site=site_slug[:64]), {"field": "floor"})
    return floor


def _validated(values: dict[str, Any]) -> dict[str, Any]:
    kind = values.get("kind")
    if kind not in RESOURCE_KINDS:
        raise InvalidInput(_("Kind must be desk, room or landing_spot."), {"field": "kind"})
    privacy = values.get("privacy", "normal")
    if privacy not in PRIVACY_LEVELS:
        raise InvalidInput(_("Privacy must be normal or private."), {"field": "privacy"})
    capacity = values.get("capacity", 1)
    if not isinstance(capacity, int) or not 1 <= capacity <= 500:
        raise InvalidInput(_("Capacity must be a whole number from 1 to 500."),
                           {"field": "capacity"})
    amenities = list(dict.fromkeys(values.get("amenities") or []))
    unknown = [a for a in amenities if a not in AMENITIES]
    if unknown:
        raise InvalidInput(_("Unknown amenity: %(names)s.", names=", ".join(unknown)[:100]),
                           {"field": "amenities"})
    org_kinds = values.get("org_kinds")
    if org_kinds is not None and any(k not in ORG_KINDS for k in org_kinds):
        raise InvalidInput(_("Organisation kinds must be core or network."),
                           {"field": "org_kinds"})
    name = clean_name(str(values.get("name", "")))
    clean = {**values, "name": name, "privacy": privacy, "capacity": capacity,
             "amenities": amenities}
    if "description" in values:
        clean["description"] = _description(values["description"])
    return clean


def _description(value: object) -> str:
    text = str(value or "")
    if len(text) > 2000 or has_control_characters(text.translate(LINE_BREAKS)):
        raise InvalidInput(_("Give a description of at most 2000 characters, without control "
                             "characters."), {"field": "description"})
    return text


def _check_floor(floor_id: object) -> None:
    if not isinstance(floor_id, int) or db.session.get(Floor, floor_id) is None:
        raise InvalidInput(_("Unknown floor."), {"field": "floor"})


def _resource_view(r: Resource) -> dict[str, Any]:
    return {**r.as_dict(), "restricted_to": [o.slug for o in r.restricted_to],
            "org_kinds": r.org_kinds, "active": r.active}


@transactional
def create_resource(*, slug: str, floor_id: int, now: datetime, actor_id: int | None = None,
                    channel: str = "cli", restricted_to: list[str] | None = None,
                    **values: Any) -> Resource:
    """A new desk, room or landing spot on a floor."""
    slug = check_slug(slug)
    if db.session.scalar(select(Resource).filter_by(slug=slug)):
        raise InvalidInput(_("A resource %(slug)s exists already.", slug=slug), {"field": "slug"})
    if db.session.get(Floor, floor_id) is None:
        raise InvalidInput(_("Unknown floor."), {"field": "floor"})
    clean = _validated(values)
    resource = Resource(slug=slug, floor_id=floor_id, **clean)
    resource.restricted_to = [organisation_by_slug(s) for s in restricted_to or []]
    db.session.add(resource)
    db.session.flush()
    record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
           action="resource.create", entity_type="resource", entity_id=resource.id, now=now,
           after=_resource_view(resource))
    return resource


@transactional
def update_resource(resource_id: int, *, now: datetime, actor_id: int, channel: str = "web",
                    restricted_to: list[str] | None = None, **values: Any) -> Resource:
    resource = get_resource(resource_id)
    before = _resource_view(resource)
    clean = _validated({**values, "kind": values.get("kind", resource.kind)})
    if "floor_id" in clean:
        _check_floor(clean["floor_id"])
    for key, value in clean.items():
        setattr(resource, key, value)
    if restricted_to is not None:
        resource.restricted_to = [organisation_by_slug(s) for s in restricted_to]
    record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
           action="resource.update", entity_type="resource", entity_id=resource.id, now=now,
           before=before, after=_resource_view(resource))
    return resource


def get_resource(resource_id: int) -> Resource:
    resource = db.session.get(Resource, resource_id)
    if resource is None:
        raise NotFound(_("No such resource."))
    return resource


def resource_by_ref(ref: int | str) -> Resource:
    """A resource by id or slug."""
    # With its restrictions in the same query: every booking asks for them (403 first).
    restrictions = joinedload(Resource.restricted_to)
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        resource = db.session.get(Resource, int(ref), options=[restrictions])
    else:
        resource = db.session.scalar(select(Resource).filter_by(slug=str(ref)[:64])
                                     .options(restrictions))
    if resource is None:
        raise NotFound(_("No such resource."))
    return resource


def permitted_pairs() -> set[tuple[str, str]]:
    rows = db.session.execute(select(BookingPermission.org_kind, BookingPermission.resource_kind))
    return {(a, b) for a, b in rows}


@transactional
def set_permissions(pairs: set[tuple[str, str]], *, actor_id: int | None = None,
                    now: datetime | None = None, channel: str = "cli") -> None:
    """Replace the organisation-kind x resource-kind policy."""
    for org_kind, res_kind in pairs:
        if org_kind not in ORG_KINDS or res_kind not in RESOURCE_KINDS:
            raise InvalidInput(_("Unknown kind in the booking policy."))
    before = sorted(f"{a}:{b}" for a, b in permitted_pairs())
    db.session.query(BookingPermission).delete()
    db.session.add_all(BookingPermission(org_kind=a, resource_kind=b) for a, b in sorted(pairs))
    record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
           action="policy.update", entity_type="booking_policy", entity_id="kinds",
           now=now or utcnow(), before={"may_book": before},
           after={"may_book": sorted(f"{a}:{b}" for a, b in pairs)})


def may_book(org: Organisation, resource: Resource | ResourceInfo,
             pairs: set[tuple[str, str]] | None = None) -> bool:
    """Kind policy, per-resource override and organisation restriction together."""
    if resource.restricted and not resource.owned_by(org.id):
        return False
    if resource.org_kinds is not None:
        return org.kind in resource.org_kinds
    return (org.kind, resource.kind) in (pairs if pairs is not None else permitted_pairs())
