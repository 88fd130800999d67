"""GET /api/v1/sensors and the facility sensor page: health at a glance, assigning devices."""

from __future__ import annotations

import json
from datetime import timedelta

from hub.extensions import db
from hub.sensors import registry
from hub.sensors.contract import GatewayStatus, Heartbeat
from hub.sensors.ingest import Incoming, store_batch
from hub.sensors.models import DeviceAssignment
from tests.hub_fixtures import T0
from tests.integration.sensor_helpers import event


def _ingest(*bodies, gateway: str = "gw-a", at=T0) -> None:
    items = [Incoming(f"hub/v1/gw/{gateway}/dev/{b['device_id']}/event",
                      json.dumps(b).encode(), at) for b in bodies]
    store_batch(items, prefix="hub/v1", now=at)


def test_the_sensor_list_shows_devices_gateways_and_unassigned(client, make_user, make_resource,
                                                              token_for) -> None:
    room = make_resource("room", slug="spreekkamer-1")
    registry.apply_status(GatewayStatus("gw-a", "online", "s1", T0, "1.0"), T0)
    registry.apply_heartbeat(Heartbeat("gw-a", "s1", 4, T0, 3), T0)
    _ingest(event("z2m-0x01", observed_at=T0), event("z2m-0x02", observed_at=T0))
    registry.assign("z2m-0x01", room.slug, now=T0)
    db.session.commit()
    answer = client.get("/api/v1/sensors", headers=token_for(make_user(role="facility")))
    assert answer.status_code == 200
    body = answer.get_json()
    devices = {d["device_id"]: d for d in body["devices"]}
    assert devices["z2m-0x01"]["resource"] == "spreekkamer-1"
    assert devices["z2m-0x02"]["resource"] is None  # unassigned, its event kept
    assert devices["z2m-0x01"]["battery_pct"] == 87
    assert body["gateways"][0]["gateway_id"] == "gw-a"
    assert body["gateways"][0]["queue_depth"] == 3


def test_staff_may_not_see_the_sensor_list(client, make_user, token_for) -> None:
    answer = client.get("/api/v1/sensors", headers=token_for(make_user(role="staff")))
    assert answer.status_code == 403


def test_moving_a_sensor_keeps_its_history_with_the_old_room(app, make_resource) -> None:
    from hub.sensors.queries import presence_between, sessions

    old, new = make_resource("room"), make_resource("room")
    registry.register_device("z2m-0x03", kind="presence", sensor_type="pir", now=T0,
                             gateway_id="gw-a")
    registry.assign("z2m-0x03", old.slug, now=T0 - timedelta(days=1))
    db.session.commit()
    _ingest(event("z2m-0x03", occupied=True, observed_at=T0))
    _ingest(event("z2m-0x03", occupied=False, observed_at=T0 + timedelta(minutes=30)),
            at=T0 + timedelta(minutes=30))
    registry.assign("z2m-0x03", new.slug, now=T0 + timedelta(hours=2))
    db.session.commit()
    assert db.session.query(DeviceAssignment).count() == 2
    day = (T0 - timedelta(hours=1), T0 + timedelta(hours=3))
    [session] = sessions([old.id, new.id], *day)
    # Vacant reported at +30 min, 90 s after the last motion: held 10 min from that motion.
    assert (session.resource_id, session.start, session.end) == (
        old.id, T0, T0 + timedelta(minutes=38, seconds=30))
    assert presence_between(old.id, *day)
    assert not presence_between(new.id, *day)


def test_the_facility_page_assigns_a_device(client, auth, make_user, make_resource) -> None:
    room = make_resource("room", slug="spreekkamer-2")
    _ingest(event("z2m-0x04", observed_at=T0))
    user = make_user(role="facility")
    auth.login(user.email)
    page = client.get("/facility/sensors/")
    assert page.status_code == 200 and b"z2m-0x04" in page.data
    answer = client.post("/facility/sensors/z2m-0x04/assign",
                         data={"resource": room.slug, "sensor_type": "radar", "hold_min": "4"})
    assert answer.status_code == 302
    assignment = registry.current_assignment("z2m-0x04")
    assert assignment is not None and assignment.resource_id == room.id


def test_staff_may_not_open_the_facility_sensor_page(client, auth, make_user) -> None:
    user = make_user(role="staff")
    auth.login(user.email)
    assert client.get("/facility/sensors/").status_code == 403


def test_state_now_is_unknown_while_the_gateway_is_offline(client, make_user, make_resource,
                                                          token_for) -> None:
    from hub.sensors.queries import unknown_intervals
    from hub.timeutil import utcnow

    now = utcnow()
    room = make_resource("room", slug="spreekkamer-3")
    registry.apply_status(GatewayStatus("gw-a", "online", "s1", now, "1.0"), now)
    registry.register_device("z2m-0x05", kind="presence", sensor_type="pir", now=now)
    registry.assign("z2m-0x05", room.slug, now=now - timedelta(hours=1))
    _ingest(event("z2m-0x05", occupied=False, observed_at=now), at=now)
    db.session.commit()
    headers = token_for(make_user())

    def state() -> str:
        items = client.get("/api/v1/resources", headers=headers).get_json()["items"]
        return items[0]["state_now"]

    assert state() == "free"
    registry.apply_status(GatewayStatus("gw-a", "offline", "s1", None, None),
                          now + timedelta(seconds=1))
    db.session.commit()
    assert state() == "unknown"
    [gap] = unknown_intervals([room.id], now - timedelta(hours=1), now + timedelta(hours=1))
    assert gap.start == now + timedelta(seconds=1)
