from typing import Any

from sqlalchemy import select

from hub.building.models import Floor, Resource, Site
from hub.extensions import db


def test_facility_manager_builds_a_site_floor_and_room(client: Any, auth: Any, make_user: Any,
                                                       make_org: Any) -> None:
    make_org(slug="ggd", name="GGD")
    auth.login(make_user(role="facility").email)
    assert client.post("/facility/sites", data={"site-slug": "bestwijzer", "site-name":
                                                "Bestwijzer", "site-address": ""}).status_code == 302
    assert client.post("/facility/floors", data={
        "floor-site": "bestwijzer", "floor-slug": "bg", "floor-name": "Begane grond",
        "floor-level": "0"}).status_code == 302
    floor = db.session.scalar(select(Floor).join(Site).where(Site.slug == "bestwijzer"))
    response = client.post("/facility/resources/new", data={
        "slug": "ggd-kamer", "name": "GGD-kamer", "kind": "room", "floor_id": str(floor.id),
        "capacity": "3", "amenities": ["sink"], "privacy": "private", "restricted_to": ["ggd"],
        "org_kinds": "", "description": "", "bookable": "y", "active": "y"})
    assert response.status_code == 302
    room = db.session.scalar(select(Resource).filter_by(slug="ggd-kamer"))
    assert room.is_private and room.amenities == ["sink"] and room.restricted
    page = client.get("/facility/resources").text
    assert "GGD-kamer" in page


def test_bad_resource_form_is_refused_with_400(client: Any, auth: Any, make_user: Any,
                                               make_floor: Any) -> None:
    floor = make_floor()
    auth.login(make_user(role="facility").email)
    response = client.post("/facility/resources/new", data={
        "slug": "Bad Slug!", "name": "X", "kind": "room", "floor_id": str(floor.id),
        "capacity": "3", "privacy": "normal", "org_kinds": ""})
    assert response.status_code == 400
    assert db.session.scalar(select(Resource)) is None
    duplicate = client.post("/facility/sites", data={"site-slug": floor.site.slug,
                                                     "site-name": "Again"})
    assert duplicate.status_code == 400


def test_facility_edits_a_resource_and_policy(client: Any, auth: Any, make_user: Any,
                                              make_resource: Any) -> None:
    room = make_resource("room", capacity=4)
    auth.login(make_user(role="facility").email)
    response = client.post(f"/facility/resources/{room.id}", data={
        "slug": room.slug, "name": "Spreekkamer Zon", "kind": "room",
        "floor_id": str(room.floor_id), "capacity": "6", "privacy": "normal", "org_kinds": "",
        "bookable": "y"})
    assert response.status_code == 302
    db.session.refresh(room)
    assert room.name == "Spreekkamer Zon" and room.capacity == 6 and not room.active
    client.post("/facility/policy", data={"core:room": "1", "network:room": "1"})
    from hub.building.services import permitted_pairs

    assert permitted_pairs() == {("core", "room"), ("network", "room")}


def test_audit_names_who_changed_a_resource(client: Any, auth: Any, make_user: Any,
                                            make_resource: Any) -> None:
    from hub.audit.models import AuditEntry

    room = make_resource("room")
    facility = make_user(role="facility")
    auth.login(facility.email)
    client.post(f"/facility/resources/{room.id}", data={
        "slug": room.slug, "name": "Nieuw", "kind": "room", "floor_id": str(room.floor_id),
        "capacity": "2", "privacy": "private", "org_kinds": "", "bookable": "y", "active": "y"})
    entry = db.session.scalar(select(AuditEntry).filter_by(action="resource.update"))
    assert entry.actor_id == facility.id
    assert entry.before["privacy"] == "normal" and entry.after["privacy"] == "private"
