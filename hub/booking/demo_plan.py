"""Demo step: the demo building's flex floor gets a floor plan with every desk placed on it,
so the desk picker shows what a building with a drawing looks like."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from hub.booking.plan_svg import layout, render
from hub.building.models import Floor, Resource
from hub.building.queries import upload_folder
from hub.extensions import db

ZONE_NAMES = {"A": "Zone A", "B": "Zone B (stilte)"}


def _zone(desk: Resource) -> str:
    # Demo desks are named "Flexplek A01": the letter is the zone.
    last = desk.name.split()[-1] if desk.name.split() else ""
    return last[:1].upper() if last[:1].isalpha() else "A"


def _flex_floor() -> Floor | None:
    floor_id = db.session.scalar(
        select(Resource.floor_id).where(Resource.kind == "desk", Resource.active.is_(True))
        .group_by(Resource.floor_id).order_by(func.count(Resource.id).desc()).limit(1))
    return db.session.get(Floor, floor_id) if floor_id is not None else None


def plan_step(now: datetime) -> None:
    """Draw the floor with the most desks and place its desks on the drawing."""
    floor = _flex_floor()
    if floor is None or floor.plan_image:
        return
    desks = list(db.session.scalars(select(Resource).where(
        Resource.floor_id == floor.id, Resource.kind == "desk").order_by(Resource.name)))
    rooms = list(db.session.scalars(select(Resource.name).where(
        Resource.floor_id == floor.id, Resource.kind == "room").order_by(Resource.name)))
    letters = sorted({_zone(d) for d in desks})
    zones = [[d for d in desks if _zone(d) == letter] for letter in letters]
    labels = [[d.name.split()[-1] for d in zone] for zone in zones]
    svg = render([ZONE_NAMES.get(letter, f"Zone {letter}") for letter in letters], labels,
                 [name.replace("Overlegruimte ", "").replace("Kamer ", "") for name in rooms])
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"floor-{floor.id}-demo.svg"
    (folder / name).write_text(svg, encoding="utf-8")
    floor.plan_image = name
    placed = layout(labels)
    for desk, spot in zip([d for zone in zones for d in zone], placed, strict=True):
        desk.plan_x, desk.plan_y = spot.x, spot.y
