"""Device assignment from the CLI, the API and the facility page (audited, with validity
periods), the vendor's own timeout per device, and the bridge's unsupported counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hub.audit.models import AuditEntry
from hub.extensions import db
from hub.sensors import queries, registry
from hub.sensors.contract import GatewayStatus, parse_heartbeat
from hub.sensors.ingest import Incoming, store_batch
from hub.sensors.models import Device, DeviceAssignment
from hub.timeutil import utcnow
from tests.integration.sensor_helpers import event


def _ingest(*bodies, gateway: str = "gw-a", at: datetime | None = None) -> None:
    at = at or utcnow()
    items = [Incoming(f"hub/v1/gw/{gateway}/dev/{b['device_id']}/event",
                      json.dumps(b).encode(), at) for b in bodies]
    store_batch(items, prefix="hub/v1", now=at)


def _online(gateway: str = "gw-a") -> None:
    now = utcnow()
    registry.apply_status(GatewayStatus(gateway, "online", "s1", now, "1.0"), now)
    db.session.commit()


def _periods(device_id: str) -> list[tuple[int, datetime, datetime | None]]:
    return [(a.resource_id, a.valid_from, a.valid_to) for a in db.session.scalars(
        select(DeviceAssignment).where(DeviceAssignment.device_id == device_id)
        .order_by(DeviceAssignment.valid_from))]


def test_cli_assigns_from_a_date_and_lists_the_state(runner, make_resource) -> None:
    first, second = make_resource("room", slug="spreekkamer-a"), make_resource("desk")
    _online()
    _ingest(event("z2m-0xc1", occupied=True))
    done = runner.invoke(args=["sensors", "assign", "z2m-0xc1", first.slug,
                               "--from", "2026-11-02"])
    assert done.exit_code == 0, done.output
    moved = runner.invoke(args=["sensors", "assign", "z2m-0xc1", str(second.id)])
    assert moved.exit_code == 0, moved.output
    [(r1, start1, end1), (r2, start2, end2)] = _periods("z2m-0xc1")
    # Midnight in Amsterdam (CET) is 23:00 UTC the day before; the first period ends where
    # the second begins, so earlier events keep their place.
    assert (r1, start1) == (first.id, datetime(2026, 11, 1, 23, tzinfo=UTC))
    assert end1 == start2 and (r2, end2) == (second.id, None)
    listed = runner.invoke(args=["sensors", "list"])
    line = next(x for x in listed.output.splitlines() if x.startswith("z2m-0xc1"))
    assert f"\t{second.slug}\toccupied\t" in line and "90s(default)" in line
    audit = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "sensor.assign")).all()
    assert [(a.channel, a.entity_id) for a in audit] == [("cli", "z2m-0xc1")] * 2


def test_cli_refuses_to_rewrite_history_and_unknown_devices(runner, make_resource) -> None:
    room = make_resource("room")
    _ingest(event("z2m-0xc2"))
    assert runner.invoke(args=["sensors", "assign", "z2m-0xc2", room.slug]).exit_code == 0
    earlier = runner.invoke(args=["sensors", "assign", "z2m-0xc2", "none",
                                  "--from", "2020-01-01"])
    assert earlier.exit_code != 0 and "niet eerder beginnen" in earlier.output
    unknown = runner.invoke(args=["sensors", "assign", "z2m-nope", room.slug])
    assert unknown.exit_code != 0 and "z2m-nope" in unknown.output
    garbled = runner.invoke(args=["sensors", "assign", "z2m-0xc2", room.slug, "--from", "soon"])
    assert garbled.exit_code == 2
    assert len(_periods("z2m-0xc2")) == 1


@pytest.mark.both_databases
def test_api_assignment_for_facility_only(client, make_user, make_resource, token_for) -> None:
    room = make_resource("room", slug="spreekkamer-b")
    _ingest(event("z2m-0xc3"))
    facility = token_for(make_user(role="facility"))
    url = "/api/v1/sensors/z2m-0xc3/assignment"
    staff = client.post(url, json={"resource": room.slug}, headers=token_for(make_user()))
    assert staff.status_code == 403
    bad = client.post(url, json={"resource": room.slug, "from": "tomorrow"}, headers=facility)
    assert bad.status_code == 400 and bad.get_json()["error"]["details"]["field"] == "from"
    missing = client.post(url, json={"resource": "no-such-room"}, headers=facility)
    assert missing.status_code == 404
    done = client.post(url, json={"resource": room.slug, "from": "2026-12-01T08:00:00+01:00"},
                       headers=facility)
    assert done.status_code == 200, done.get_json()
    assert done.get_json() == {"device_id": "z2m-0xc3", "resource": room.slug,
                               "valid_from": "2026-12-01T07:00:00Z"}
    listed = client.get("/api/v1/sensors", headers=facility).get_json()["devices"]
    assert listed[0]["resource"] == room.slug
    unassign = client.post(url, json={"resource": None}, headers=facility)
    assert unassign.status_code == 200 and unassign.get_json()["resource"] is None
    assert _periods("z2m-0xc3")[0][2] is not None
    assert db.session.scalar(select(AuditEntry.channel).where(
        AuditEntry.action == "sensor.assign").limit(1)) == "api"


def test_the_page_is_one_table_with_a_separate_assign_page(client, auth, make_user,
                                                           make_resource) -> None:
    room = make_resource("room", name="Spreekkamer Noord", slug="spreekkamer-n")
    _online()
    _ingest(event("z2m-0xc4", occupied=True), event("z2m-0xc5", occupied=False))
    auth.login(make_user(role="facility", language="nl").email)
    page = client.get("/facility/sensors/").get_data(as_text=True)
    assert page.count('<table class="utrecht-table') == 2 and "<select" not in page  # one form each
    assert "bezet" in page and "vrij" in page and "aanwezigheid" in page
    assert 'href="/facility/sensors/z2m-0xc4/assign"' in page
    form = client.get("/facility/sensors/z2m-0xc4/assign").get_data(as_text=True)
    assert 'name="from"' in form and "Spreekkamer Noord" in form
    saved = client.post("/facility/sensors/z2m-0xc4/assign",
                        data={"resource": room.slug, "sensor_type": "radar", "hold_min": "4",
                              "timeout_s": "45"})
    assert saved.status_code == 302
    page = client.get("/facility/sensors/").get_data(as_text=True)
    assert "Spreekkamer Noord" in page and "Ruimte" in page  # resource and its kind in Dutch
    device = db.session.get(Device, "z2m-0xc4")
    assert (device.sensor_type, device.hold_s, device.timeout_set_s) == ("radar", 240, 45)
    wrong = client.post("/facility/sensors/z2m-0xc4/assign",
                        data={"resource": room.slug, "timeout_s": "inf"})
    assert wrong.status_code == 302 and "assign" in wrong.headers["Location"]


def test_a_timeout_the_device_reports_beats_the_model_and_the_default(runner) -> None:
    _online()
    body = event("z2m-0xc6", occupied=True)
    _ingest({**body, "vendor_timeout_s": 180, "sensor_type": "pir"},
            event("z2m-0xc7", occupied=True))
    db.session.get(Device, "z2m-0xc7").model = "SNZB-03P"
    db.session.commit()
    assert runner.invoke(args=["sensors", "timeout", "30", "--model", "SNZB-03P"]).exit_code == 0
    assert runner.invoke(args=["sensors", "timeout", "120", "--device", "z2m-0xc6"]).exit_code == 0
    rows = {r["device"].device_id: r for r in queries.device_rows(utcnow())}
    assert (rows["z2m-0xc6"]["timeout_s"], rows["z2m-0xc6"]["timeout_source"]) == (180,
                                                                                   "reported")
    assert (rows["z2m-0xc7"]["timeout_s"], rows["z2m-0xc7"]["timeout_source"]) == (30, "model")
    assert runner.invoke(args=["sensors", "timeout", "x", "--device", "z2m-0xc6"]).exit_code == 2


def test_a_180_s_pir_ends_its_session_at_its_own_timeout(make_resource) -> None:
    """Vacant is reported 180 s after the last motion: the hold counts from that motion."""
    room = make_resource("room")
    t0 = utcnow() - timedelta(hours=2)
    _ingest({**event("z2m-0xc8", occupied=True, observed_at=t0), "vendor_timeout_s": 180},
            at=t0)
    registry.assign("z2m-0xc8", room.slug, now=t0 - timedelta(minutes=1))
    db.session.commit()
    vacant_at = t0 + timedelta(seconds=180)
    _ingest(event("z2m-0xc8", occupied=False, observed_at=vacant_at), at=vacant_at)
    [session] = queries.sessions([room.id], t0 - timedelta(hours=1), t0 + timedelta(hours=1))
    # Room hold 10 min from the last detection (t0), not from vacant + 10 - 1.5 minutes.
    assert session.end == t0 + timedelta(minutes=10)


def test_heartbeat_unsupported_counts_show_on_the_page(client, auth, make_user) -> None:
    beat = {"schema": "hub.heartbeat.v1", "session": "s1", "seq": 3,
            "sent_at": "2026-12-01T08:00:00Z", "queue_depth": 0,
            "unsupported": {"esp": {"non_occupancy_class": {
                "count": 7, "last_topic": "hall/binary_sensor/front_door/state",
                "last_excerpt": "ON", "last_at": "2026-12-01T07:59:00Z"}},
                "z2m": "garbage"}}
    parsed = parse_heartbeat("hub/v1/gw/gw-a/heartbeat", json.dumps(beat).encode())
    assert parsed.unsupported == {("esp", "non_occupancy_class"):
                                  (7, "hall/binary_sensor/front_door/state", "ON")}
    store_batch([Incoming("hub/v1/gw/gw-a/heartbeat", json.dumps(beat).encode(), utcnow())],
                prefix="hub/v1", now=utcnow())
    auth.login(make_user(role="facility", language="nl").email)
    page = client.get("/facility/sensors/").get_data(as_text=True)
    assert "geen aanwezigheidssensor" in page and "hall/binary_sensor/front_door/state" in page
    assert ">7<" in page


@pytest.mark.both_databases
def test_api_assignment_hostile_input_is_a_4xx(client, make_user, token_for) -> None:
    _ingest(event("z2m-0xd9"))
    headers = {**token_for(make_user(role="admin")), "Content-Type": "application/json"}
    url = "/api/v1/sensors/z2m-0xd9/assignment"
    for body, status in [('{"resource": "99999999999999"}', 404), ('{"resource": "\\udb46"}', 400),
                         ('{"resource": "x", "from": "9999-01-01"}', 400), ("[]", 400),
                         ('{"from": "2026-01-01"}', 400)]:
        assert client.post(url, data=body, headers=headers).status_code == status, body
    assert client.post("/api/v1/sensors/nobody/assignment", json={"resource": None},
                       headers=headers).status_code == 404
    assert _periods("z2m-0xd9") == []
