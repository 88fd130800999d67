"""A small building for booking tests: core, network and GGD people, rooms, desks, a private room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
TUE = date(2026, 3, 31)
SECRET_SUBJECT = "Gesprek over schuldsanering"


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), AMS).astimezone(UTC)


@dataclass
class World:
    wmo: Any
    ggd_org: Any
    ggz: Any
    staff: Any
    colleague: Any
    ggd: Any
    network: Any
    reception: Any
    facility: Any
    admin: Any
    coordinator: Any
    other_staff: Any
    room: Any
    big_room: Any
    desk: Any
    spot: Any
    ggd_room: Any


@pytest.fixture(name="world")
def world_fixture(make_org: Any, make_user: Any, make_resource: Any) -> World:
    wmo = make_org(slug="wmo", name="Wmo-team")
    ggd_org = make_org(slug="ggd", name="GGD Brabant-Zuidoost")
    welzijn = make_org(slug="welzijn", name="Welzijn")
    ggz = make_org(slug="ggz", name="GGZ", kind="network")
    return World(
        wmo=wmo, ggd_org=ggd_org, ggz=ggz,
        staff=make_user(org=wmo, name="Wim Wmo", password=None),
        colleague=make_user(org=wmo, name="Willemijn Wmo", password=None),
        ggd=make_user(org=ggd_org, name="Gerda Schoolarts", password=None),
        network=make_user(org=ggz, name="Noor Netwerk", password=None),
        reception=make_user(org=welzijn, role="reception", name="Bram Balie", password=None),
        facility=make_user(org=welzijn, role="facility", name="Fatima Facilitair", password=None),
        admin=make_user(org=welzijn, role="admin", name="Anton Admin", password=None),
        coordinator=make_user(org=wmo, role="coordinator", name="Carla Coordinator", password=None),
        other_staff=make_user(org=welzijn, name="Sanne Sociaal", password=None),
        room=make_resource("room", slug="spreekkamer-1", capacity=4, amenities=["wheelchair"]),
        big_room=make_resource("room", slug="overleg", capacity=12, amenities=["screen"]),
        desk=make_resource("desk", slug="werkplek-1"),
        spot=make_resource("landing_spot", slug="aanlandplek-1"),
        ggd_room=make_resource("room", slug="ggd-kamer", privacy="private",
                               restricted_to=["ggd"], capacity=3),
    )
