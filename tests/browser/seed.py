"""A small building for the browser tests: two floors, a few rooms and desks, one per role."""

from __future__ import annotations

from hub.accounts.services import create_organisation, create_user
from hub.building.services import (
    DEFAULT_PERMISSIONS,
    create_floor,
    create_resource,
    create_site,
    set_permissions,
)
from hub.extensions import db
from tests.hub_fixtures import T0, TEST_PASSWORD

# label -> (e-mail, organisation slug, role)
USERS = {
    "staff": ("sanne@welzijn.example.nl", "welzijn", "staff"),
    "staff2": ("wim@wmo.example.nl", "wmo", "staff"),
    "keyboard": ("kees@wmo.example.nl", "wmo", "staff"),
    "phone": ("fleur@wmo.example.nl", "wmo", "staff"),
    "ggd": ("gerda@ggd.example.nl", "ggd", "staff"),
    "reception": ("bram@wmo.example.nl", "wmo", "reception"),
    "network": ("noor@ggz.example.nl", "ggz", "staff"),
    "coordinator": ("carla@wmo.example.nl", "wmo", "coordinator"),
    "facility": ("fatima@welzijn.example.nl", "welzijn", "facility"),
    "admin": ("anton@welzijn.example.nl", "welzijn", "admin"),
}
PEOPLE = {label: email for label, (email, _org, _role) in USERS.items()}


def small_building() -> None:
    """Organisations, users, rooms and desks; commits once."""
    for slug, name, kind in [("welzijn", "Welzijn De Kempen", "core"),
                             ("wmo", "Gemeente – Wmo", "core"),
                             ("ggd", "GGD Brabant-Zuidoost", "core"),
                             ("ggz", "GGZ FACT-team", "network")]:
        create_organisation(slug=slug, name=name, kind=kind, now=T0)
    for label, (email, org, role) in USERS.items():
        create_user(email=email, organisation_slug=org, role=role, password=TEST_PASSWORD,
                    name=label.title(), now=T0)
    create_site(slug="testhuis", name="Testhuis")
    ground = create_floor(site_slug="testhuis", slug="begane-grond", name="Begane grond")
    flex = create_floor(site_slug="testhuis", slug="flex", name="Flexruimte", level=1)
    rooms = [("spreekkamer-1", "Spreekkamer 1", 4, ["wheelchair", "screen"]),
             ("spreekkamer-2", "Spreekkamer 2", 2, ["quiet"]),
             ("spreekkamer-3", "Spreekkamer 3", 6, ["play_corner", "wheelchair"])]
    for slug, name, capacity, amenities in rooms:
        create_resource(slug=slug, floor_id=ground.id, kind="room", name=name, now=T0,
                        capacity=capacity, amenities=amenities)
    create_resource(slug="ggd-kamer", floor_id=ground.id, kind="room", name="GGD-kamer",
                    now=T0, capacity=2, privacy="private", restricted_to=["ggd"])
    for n in range(1, 5):
        create_resource(slug=f"flexplek-{n}", floor_id=flex.id, kind="desk",
                        name=f"Flexplek {n}", now=T0)
    db.session.flush()
    set_permissions(set(DEFAULT_PERMISSIONS))  # commits
