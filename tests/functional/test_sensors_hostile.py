"""Sensor ingest and facility page against bad input: a clock in the future, acks owed to a
dropped connection, hostile assign forms and forged posts."""

from __future__ import annotations

import json
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.packettypes import PacketTypes

from hub.extensions import db
from hub.sensors import registry
from hub.sensors.contract import GatewayStatus, Heartbeat
from hub.sensors.ingest import BatchResult, Incoming, store_batch
from hub.sensors.models import Device
from hub.sensors.queries import unknown_intervals
from hub.sensors.worker import IngestWorker, WorkerOptions
from tests.hub_fixtures import T0
from tests.integration.sensor_helpers import event


def _ingest(body: dict, at=T0) -> None:
    topic = f"hub/v1/gw/gw-a/dev/{body['device_id']}/event"
    store_batch([Incoming(topic, json.dumps(body).encode(), at)], prefix="hub/v1", now=at)


def test_a_device_clock_in_the_future_does_not_pin_its_state(app) -> None:
    # An "occupied" stamped in the year 9999 would make every later report look older.
    _ingest(event("z2m-0xaa", occupied=True, observed_at=T0.replace(year=9999)))
    _ingest(event("z2m-0xaa", occupied=False, observed_at=T0 + timedelta(minutes=5)),
            at=T0 + timedelta(minutes=5))
    device = db.session.get(Device, "z2m-0xaa")
    assert device.last_state is False
    assert device.last_occupied_at == T0


def _message(mid: int) -> mqtt.MQTTMessage:
    message = mqtt.MQTTMessage(mid=mid, topic=b"hub/v1/gw/gw-a/dev/z2m-0x01/event")
    message.qos, message.payload = 1, b"{}"
    return message


def test_an_ack_owed_to_a_dropped_connection_is_not_sent_on_the_next(app) -> None:
    worker = IngestWorker(app, WorkerOptions(url="mqtt://127.0.0.1:1"))
    acked: list[int] = []
    worker.client.ack = lambda mid, qos: acked.append(mid)  # type: ignore[method-assign]
    ok = mqtt.ReasonCode(PacketTypes.CONNACK, "Success")
    flags = mqtt.ConnectFlags(session_present=True)
    worker._on_connect(worker.client, None, flags, ok, None)
    worker._on_message(worker.client, None, _message(7))
    old = [worker.queue.get_nowait()]
    worker._on_connect(worker.client, None, flags, ok, None)  # reconnected before the commit
    worker._on_message(worker.client, None, _message(8))
    worker._ack([*old, worker.queue.get_nowait()], BatchResult())
    # Packet id 7 on the new connection may be another, unstored message; the old one
    # comes again (same event_id) and is acknowledged then.
    assert acked == [8]


def test_a_will_read_hours_late_makes_the_whole_silence_unknown(app, make_resource) -> None:
    # The hub's worker was down when the gateway died; on its return it reads the retained
    # will. The time in between was not vacant: it is unknown from the missed heartbeats on.
    room = make_resource("room")
    registry.apply_status(GatewayStatus("gw-a", "online", "s1", T0, "1.0"), T0)
    registry.apply_heartbeat(Heartbeat("gw-a", "s1", 1, T0, 0), T0 + timedelta(minutes=1))
    _ingest(event("z2m-0xae", occupied=False, observed_at=T0))
    registry.assign("z2m-0xae", room.slug, now=T0)
    registry.apply_status(GatewayStatus("gw-a", "offline", "s1", None, None),
                          T0 + timedelta(hours=2))
    db.session.commit()
    window = (T0, T0 + timedelta(hours=3))
    [gap] = unknown_intervals([room.id], *window)
    assert (gap.start, gap.end) == (T0 + timedelta(minutes=4), window[1])


@pytest.fixture
def facility(client, auth, make_user):
    auth.login(make_user(role="facility").email)
    return client


@pytest.mark.parametrize("hold", ["inf", "-1e999", "nan", "1e400", "0", "241", "x"])
def test_a_bad_hold_time_is_refused_with_a_message(facility, make_resource, hold) -> None:
    room = make_resource("room")
    registry.register_device("z2m-0xab", kind="presence", sensor_type="pir", now=T0)
    db.session.commit()
    answer = facility.post("/facility/sensors/z2m-0xab/assign", follow_redirects=True,
                           data={"resource": room.slug, "hold_min": hold})
    assert answer.status_code == 200
    assert b"1 en 240" in answer.data or b"1 and 240" in answer.data  # the flashed advice
    assert registry.current_assignment("z2m-0xab") is None


def test_unknown_devices_resources_and_types_change_nothing(facility, make_resource) -> None:
    room = make_resource("room")
    registry.register_device("z2m-0xac", kind="presence", sensor_type="pir", now=T0)
    db.session.commit()
    for device, data in [("nobody", {"resource": room.slug}),
                         ("z2m-0xac", {"resource": "no-such-room"}),
                         ("z2m-0xac", {"resource": room.slug, "sensor_type": "camera"})]:
        answer = facility.post(f"/facility/sensors/{device}/assign", data=data)
        assert answer.status_code == 302
    db.session.rollback()
    assert registry.current_assignment("z2m-0xac") is None
    assert db.session.get(Device, "z2m-0xac").sensor_type == "pir"
    assert db.session.get(Device, "nobody") is None


def test_a_post_without_the_csrf_token_is_refused(app, facility, make_resource) -> None:
    room = make_resource("room")
    registry.register_device("z2m-0xad", kind="presence", sensor_type="pir", now=T0)
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    answer = facility.post("/facility/sensors/z2m-0xad/assign", data={"resource": room.slug})
    assert answer.status_code == 400
    assert registry.current_assignment("z2m-0xad") is None


@pytest.mark.parametrize("role", ["staff", "coordinator", "reception"])
def test_only_facility_and_admin_see_sensors(client, auth, make_user, token_for, role) -> None:
    user = make_user(role=role)
    assert client.get("/api/v1/sensors", headers=token_for(user)).status_code == 403
    auth.login(user.email)
    assert client.get("/facility/sensors/").status_code == 403
    assert client.post("/facility/sensors/x/assign", data={}).status_code == 403
