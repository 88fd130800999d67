"""Admin, facility and coordinator changes leave an audit entry that names who did it."""

from typing import Any

from sqlalchemy import select

from hub.audit.models import AuditEntry
from hub.extensions import db


def _entry(action: str) -> Any:
    return db.session.scalar(select(AuditEntry).filter_by(action=action))


def test_policy_sites_floors_and_resources_are_audited_by_email(client: Any, auth: Any,
                                                                make_user: Any) -> None:
    facility = make_user(role="facility", email="fatima@example.nl")
    auth.login(facility.email)
    assert client.post("/facility/sites", data={"site-slug": "best", "site-name": "Best",
                                                 "site-address": "Hoofdstraat 1"}
                       ).status_code == 302
    assert client.post("/facility/floors", data={"floor-site": "best", "floor-slug": "bg",
                                                  "floor-name": "Begane grond",
                                                  "floor-level": "0"}).status_code == 302
    client.post("/facility/policy", data={"core:room": "1", "network:landing_spot": "1"})
    site, floor, policy = _entry("site.create"), _entry("floor.create"), _entry("policy.update")
    assert site.actor_id == facility.id and site.channel == "web"
    assert site.after["name"] == "Best" and floor.after["site"] == "best"
    assert policy.actor_label == "fatima@example.nl"
    assert policy.after == {"may_book": ["core:room", "network:landing_spot"]}
    floor_id = db.session.scalar(select(AuditEntry.entity_id).filter_by(action="floor.create"))
    client.post("/facility/resources/new", data={
        "slug": "kamer-1", "name": "Kamer 1", "kind": "room", "floor_id": floor_id,
        "capacity": "2", "privacy": "normal", "bookable": "y", "active": "y"})
    assert _entry("resource.create").actor_label == "fatima@example.nl"


def test_a_resent_invitation_is_audited(client: Any, auth: Any, make_user: Any) -> None:
    coordinator = make_user(role="coordinator")
    invited = make_user(org=coordinator.organisation, password=None)
    auth.login(coordinator.email)
    # Without a mail server the new link is shown once to the coordinator (never logged).
    answer = client.post(f"/org/members/{invited.id}/reinvite")
    assert answer.status_code == 200 and "/invite/" in answer.get_data(as_text=True)
    entry = _entry("invitation.resend")
    assert entry.actor_id == coordinator.id and entry.entity_id == str(invited.id)


def test_a_coordinator_cannot_send_a_password_link_to_an_admin(client: Any, auth: Any,
                                                               make_user: Any) -> None:
    coordinator = make_user(role="coordinator")
    admin = make_user(role="admin", org=coordinator.organisation, password=None)
    auth.login(coordinator.email)
    assert client.post(f"/org/members/{admin.id}/reinvite").status_code == 403
    assert _entry("invitation.resend") is None
