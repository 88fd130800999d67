"""An organisation's walk-in placeholder account books for kiosk walk-ins; it is not a person:
it never appears among colleagues or members and cannot be invited or managed."""

from __future__ import annotations

from typing import Any

from hub.accounts.models import User
from hub.accounts.services import set_password
from hub.extensions import db
from hub.kiosk.services.walk_in import visitor_email
from tests.hub_fixtures import TEST_PASSWORD
from tests.integration.booking_world import World, world_fixture  # noqa: F401


def _placeholder(world: World) -> User:
    org = world.coordinator.organisation
    user = User(email=visitor_email(org), name="Walk-in visitor", organisation_id=org.id,
                role="staff", language="nl", password_hash=None, active=True,
                session_version=1, created_at=world.coordinator.created_at)
    db.session.add(user)
    db.session.commit()
    assert user.is_placeholder and not world.coordinator.is_placeholder
    return user


def test_the_walk_in_placeholder_is_no_colleague_and_no_member(client: Any, auth: Any,
                                                               world: World) -> None:
    walk_in = _placeholder(world)
    for person in (world.coordinator, world.reception):
        set_password(person, TEST_PASSWORD)
    db.session.commit()

    auth.login(world.reception.email)
    assert client.get("/book/colleagues?q=walk").json["items"] == []
    auth.logout()

    auth.login(world.coordinator.email)
    assert client.get("/book/colleagues?q=walk").json["items"] == []
    page = client.get("/org/members").get_data(as_text=True)
    assert world.coordinator.name in page and walk_in.email not in page
    # nobody can give it a password (a re-invitation) or change its role
    assert client.post(f"/org/members/{walk_in.id}/reinvite").status_code == 404
    assert client.post(f"/org/members/{walk_in.id}",
                       data={"role": "coordinator", "active": "y"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, walk_in.id).password_hash is None
    assert db.session.get(User, walk_in.id).role == "staff"
