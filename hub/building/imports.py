"""CSV import of resources (all-or-nothing, bad rows reported)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from hub.building import services
from hub.csvimport import ImportReport, run_import
from hub.errors import InvalidInput

REQUIRED = ("slug", "name", "kind", "site", "floor")
OPTIONAL = ("capacity", "amenities", "privacy", "restricted_to", "org_kinds", "description")


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace(",", "|").split("|") if v.strip()]


def import_resources(data: bytes | str, *, now: datetime, actor_id: int | None = None,
                     channel: str = "cli") -> ImportReport:
    """Columns: slug, name, kind, site, floor; optional capacity, amenities (a|b),
    privacy, restricted_to (org slugs a|b), org_kinds (core|network), description."""
    def make(row: dict[str, str]) -> None:
        floor = services.find_floor(row["site"], row["floor"])
        try:
            capacity = int(row.get("capacity") or 1)
        except ValueError:
            raise InvalidInput(_("Capacity must be a whole number from 1 to 500.")) from None
        org_kinds = _split(row.get("org_kinds", "")) or None
        services.create_resource(
            slug=row["slug"], floor_id=floor.id, now=now, actor_id=actor_id, channel=channel,
            name=row["name"], kind=row["kind"], capacity=capacity,
            amenities=_split(row.get("amenities", "")), privacy=row.get("privacy") or "normal",
            restricted_to=_split(row.get("restricted_to", "")), org_kinds=org_kinds,
            description=row.get("description", ""))
    return run_import(data, REQUIRED, OPTIONAL, make)
