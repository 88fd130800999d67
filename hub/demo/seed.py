"""The demo building, modelled on Bestwijzer in Best: 25 organisations under one roof."""

from __future__ import annotations

from datetime import datetime

from hub.accounts import services as accounts
from hub.building import services as building
from hub.db import write
from hub.extensions import db
from hub.registries import registry
from hub.timeutil import utcnow

DEMO_PASSWORD = "demo-hub-2026"
DOMAIN = "demo.bestwijzer.nl"

# (slug, name, kind)
ORGANISATIONS = [
    ("wmo", "Gemeente Best – Wmo-team", "core"),
    ("werk-inkomen", "Gemeente Best – Werk & Inkomen", "core"),
    ("jeugd", "Gemeente Best – Jeugdteam", "core"),
    ("ggd", "GGD Brabant-Zuidoost", "core"),
    ("welzijn", "Welzijn De Kempen (sociaal werk)", "core"),
    ("woonbedrijf", "Woningcorporatie Wooninc.", "core"),
    ("cjg", "Centrum voor Jeugd en Gezin", "core"),
    ("mee", "MEE De Meent", "core"),
    ("schuldhulp", "Schuldhulpverlening Kempen", "core"),
    ("voedselbank", "Voedselbank Best", "core"),
    ("vrijwilligers", "Vrijwilligerscentrale Best", "core"),
    ("humanitas", "Humanitas Thuisadministratie", "core"),
    ("vluchtelingenwerk", "VluchtelingenWerk", "core"),
    ("zorgbelang", "Cliëntondersteuning Zorgbelang", "core"),
    ("leerplicht", "Leerplicht en RMC", "core"),
    ("bibliotheek", "Bibliotheek De Kempen – Taalhuis", "core"),
    ("mantelzorg", "Steunpunt Mantelzorg", "core"),
    ("ggz", "GGZ Eindhoven – FACT-team", "network"),
    ("jgz", "Jeugdgezondheidszorg (consultatiebureau)", "network"),
    ("kredietbank", "Kredietbank Eindhoven", "network"),
    ("uwv", "UWV Werkbedrijf", "network"),
    ("reclassering", "Reclassering Nederland", "network"),
    ("veilig-thuis", "Veilig Thuis", "network"),
    ("novadic", "Novadic-Kentron (verslavingszorg)", "network"),
    ("juridisch-loket", "Het Juridisch Loket", "network"),
]

# (email local part, name, organisation, role)
DEMO_USERS = [
    ("beheer", "Anton Beheerder", "wmo", "admin"),
    ("facilitair", "Fatima Facilitair", "welzijn", "facility"),
    ("balie", "Bram van de Balie", "wmo", "reception"),
    ("coordinator.wmo", "Carla Coördinator", "wmo", "coordinator"),
    ("wmo", "Wim Wmo-consulent", "wmo", "staff"),
    ("inkomen", "Ingrid Inkomensconsulent", "werk-inkomen", "staff"),
    ("ggd", "Dr. Gerda de Schoolarts", "ggd", "staff"),
    ("welzijn", "Sanne Sociaal Werker", "welzijn", "staff"),
    ("vrijwilliger", "Victor Vrijwilliger", "vrijwilligers", "staff"),
    ("ggz", "Noor Netwerkpartner", "ggz", "staff"),
    ("kredietbank", "Karim Kredietbank", "kredietbank", "staff"),
]

AMENITY_SETS = [["wheelchair", "screen"], ["wheelchair"], ["play_corner", "wheelchair"],
                ["screen"], ["wheelchair", "sink"], ["quiet"], ["play_corner"], ["screen", "quiet"]]

# Steps that add history (bookings, sensor data); other packages append to this list.


def _building(now: datetime) -> None:
    site = building.create_site(slug="bestwijzer", name="Bestwijzer",
                                address="Hoofdstraat 1, 5683 AB Best")
    ground = building.create_floor(site_slug=site.slug, slug="begane-grond",
                                   name="Begane grond – serviceplein", level=0)
    first = building.create_floor(site_slug=site.slug, slug="eerste-verdieping",
                                  name="Eerste verdieping – flexruimte", level=1)
    townhall = building.create_site(slug="gemeentehuis", name="Gemeentehuis Best",
                                    address="Raadhuisplein 1, Best")
    hall = building.create_floor(site_slug=townhall.slug, slug="hal", name="Hal", level=0)

    def add(slug: str, floor_id: int, **values: object) -> None:
        building.create_resource(slug=slug, floor_id=floor_id, now=now, **values)  # type: ignore[arg-type]

    for i in range(1, 9):
        floor = ground.id if i <= 4 else first.id
        add(f"spreekkamer-{i}", floor, name=f"Spreekkamer {i}", kind="room",
            capacity=4 if i % 3 else 6, amenities=AMENITY_SETS[i - 1])
    add("overlegruimte-groot", first.id, name="Overlegruimte De Kempen", kind="room",
        capacity=12, amenities=["screen", "video_call", "whiteboard", "wheelchair"])
    add("overlegruimte-klein", first.id, name="Overlegruimte Het Hofje", kind="room",
        capacity=6, amenities=["screen", "whiteboard"])
    add("ggd-kamer", first.id, name="Kamer schoolarts (GGD)", kind="room", capacity=3,
        amenities=["sink", "wheelchair"], privacy="private", restricted_to=["ggd"])
    add("spreekkamer-gemeentehuis", hall.id, name="Spreekkamer gemeentehuis", kind="room",
        capacity=4, amenities=["wheelchair"])
    for i in range(1, 41):
        zone = "A" if i <= 20 else "B"
        amenities = ["standing_desk"] if i % 10 == 0 else (["quiet"] if zone == "B" else [])
        add(f"werkplek-{i:02d}", first.id, name=f"Flexplek {zone}{i:02d}", kind="desk",
            amenities=amenities)
    for i in range(1, 7):
        add(f"aanlandplek-{i}", ground.id, name=f"Aanlandplek {i}", kind="landing_spot",
            amenities=["wheelchair"] if i <= 2 else [])


def seed(now: datetime | None = None) -> list[tuple[str, str]]:
    """Create the demo building, its people and the history every package registered as a
    demo step (in their order), in one unit of work; return (email, role) of the logins."""
    now = now or utcnow()
    with write():
        for slug, name, kind in ORGANISATIONS:
            accounts.create_organisation(slug=slug, name=name, kind=kind, now=now)
        building.set_permissions(set(building.DEFAULT_PERMISSIONS))
        logins = []
        for local, name, org, role in DEMO_USERS:
            user = accounts.create_user(email=f"{local}@{DOMAIN}", organisation_slug=org,
                                        role=role, name=name, password=DEMO_PASSWORD, now=now)
            logins.append((user.email, role))
        _building(now)
        db.session.flush()
        for step in registry().items("demo_steps"):
            step(now)
            db.session.flush()
    return logins
