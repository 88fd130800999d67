"""The ingest worker in-process against a private mosquitto: events reach state_now, each is
stored once, and hostile messages never stop it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hub.extensions import db
from hub.sensors import registry
from hub.sensors.contract import event_topic
from hub.sensors.models import Device, Gateway, IngestReject, SensorEventRecord
from hub.sensors.worker import IngestWorker, WorkerOptions
from tests.integration.sensor_helpers import Publisher, event, wait_for

pytestmark = [pytest.mark.broker, pytest.mark.both_databases]


@pytest.fixture
def worker(app, broker) -> Iterator[IngestWorker]:
    w = IngestWorker(app, WorkerOptions(url=broker.url, client_id="hub-ingest-test",
                                        batch_wait_s=0.05))
    w.start()
    assert w.connected.wait(10)
    yield w
    w.stop()


@pytest.fixture
def publisher(broker) -> Iterator[Publisher]:
    p = Publisher(broker.port)
    yield p
    p.close()


def stored(event_id: str | None = None) -> int:
    db.session.rollback()  # see the worker's commits
    query = select(func.count()).select_from(SensorEventRecord)
    if event_id:
        query = query.where(SensorEventRecord.event_id == event_id)
    return int(db.session.scalar(query) or 0)


def test_a_published_event_makes_the_room_occupied(worker, publisher, client, make_user,
                                                   make_resource, token_for) -> None:
    room = make_resource("room", slug="spreekkamer-1")
    user = make_user()
    publisher.status("gw-a")
    publisher.event("gw-a", event("z2m-0xa1", occupied=False))
    wait_for(lambda: stored() == 1, what="the first event")
    # Unknown until assigned: listed, events kept, no state on any resource.
    assert db.session.get(Device, "z2m-0xa1") is not None
    registry.assign("z2m-0xa1", room.slug, now=datetime.now(UTC))
    db.session.commit()
    publisher.event("gw-a", event("z2m-0xa1", occupied=True))
    wait_for(lambda: stored() == 2, what="the second event")
    answer = client.get("/api/v1/resources", headers=token_for(user)).get_json()
    assert {r["slug"]: r["state_now"] for r in answer["items"]} == {"spreekkamer-1": "occupied"}


def test_the_same_event_id_twice_is_stored_once(worker, publisher) -> None:
    body = event("z2m-0xb2", event_id="01JQ7Z8M3K5V6B2C9D0E1F2G3H")
    publisher.event("gw-a", body)
    publisher.event("gw-a", body)
    publisher.event("gw-a", event("z2m-0xb2"))  # a later one proves the two were handled
    wait_for(lambda: stored() == 2, what="two distinct events")
    wait_for(lambda: worker.stats["messages"] >= 3, what="all three messages")
    assert stored("01JQ7Z8M3K5V6B2C9D0E1F2G3H") == 1
    assert stored() == 2


def test_a_will_of_an_older_session_is_ignored(worker, publisher) -> None:
    publisher.status("gw-b", "online", session="old")
    publisher.status("gw-b", "online", session="new")
    publisher.status("gw-b", "offline", session="old")  # the late will of the old connection
    publisher.event("gw-b", event("z2m-0xc3"))
    wait_for(lambda: stored() == 1, what="the event after the statuses")
    db.session.rollback()
    gateway = db.session.get(Gateway, "gw-b")
    assert (gateway.state, gateway.session) == ("online", "new")
    publisher.status("gw-b", "offline", session="new")
    publisher.event("gw-b", event("z2m-0xc3"))
    wait_for(lambda: stored() == 2, what="the second event")
    db.session.rollback()
    assert db.session.get(Gateway, "gw-b").state == "offline"


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=4), max_leaves=12)
HOSTILE = st.one_of(
    st.binary(max_size=300),
    JSONISH.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"schema": st.sampled_from(["hub.occupancy.v1", "x"]),
                           "event_id": JSONISH, "device_id": st.sampled_from(["z2m-0xd4", 5]),
                           "kind": st.sampled_from(["presence", "count", "x", None]),
                           "occupied": JSONISH, "people_count": JSONISH,
                           "observed_at": JSONISH | st.sampled_from(
                               ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00"]),
                           "battery_pct": JSONISH, "seq": JSONISH, "link": JSONISH,
                           "source": JSONISH}).map(lambda v: json.dumps(v).encode()),
)
TOPICS = st.sampled_from([event_topic("gw-h", "z2m-0xd4"), "hub/v1/gw/gw-h/status",
                          "hub/v1/gw/gw-h/heartbeat", "hub/v1/gw/GW/dev/x/event"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(st.tuples(TOPICS, HOSTILE), min_size=1, max_size=5))
def test_hostile_payloads_never_stop_the_worker(worker, publisher, messages) -> None:
    for topic, payload in messages:
        publisher.publish(topic, payload, qos=1)
    proof = event("z2m-0xd5")
    publisher.event("gw-h", proof)
    wait_for(lambda: stored(proof["event_id"]) == 1, timeout=10, what="the valid event")
    assert worker.writer.is_alive()


def test_invalid_messages_are_counted_per_reason(worker, publisher) -> None:
    publisher.publish(event_topic("gw-a", "z2m-0xe5"), b"not json")
    publisher.publish(event_topic("gw-a", "z2m-0xe5"), b"[1, 2]")
    publisher.publish(event_topic("gw-a", "z2m-0xe5"),
                      json.dumps(event("z2m-0xe5", observed_at=datetime.now(UTC)) |
                                 {"kind": "smell"}).encode())
    publisher.event("gw-a", event("z2m-0xe5"))
    wait_for(lambda: stored() == 1, what="the valid event")
    db.session.rollback()
    counts = {r.reason: r.count for r in db.session.scalars(select(IngestReject))}
    assert counts == {"bad_json": 2, "bad_kind": 1}
    assert db.session.get(IngestReject, "bad_json").last_excerpt == "[1, 2]"


def test_a_late_redelivered_event_does_not_turn_back_the_state(worker, publisher) -> None:
    now = datetime.now(UTC)
    publisher.event("gw-a", event("z2m-0xf6", occupied=False, observed_at=now))
    publisher.event("gw-a", event("z2m-0xf6", occupied=True,
                                  observed_at=now - timedelta(minutes=30)))
    wait_for(lambda: stored() == 2, what="both events")
    db.session.rollback()
    device = db.session.get(Device, "z2m-0xf6")
    assert device.last_state is False
    assert device.last_occupied_at == now - timedelta(minutes=30)


def test_a_heartbeat_at_the_edge_of_the_contract_is_stored(worker, publisher) -> None:
    beat = {"schema": "hub.heartbeat.v1", "session": "s1", "seq": 2**63 - 1,
            "sent_at": "2026-03-30T07:03:00Z", "queue_depth": 2**31}
    publisher.publish("hub/v1/gw/gw-e/heartbeat", json.dumps(beat).encode())
    publisher.event("gw-e", event("z2m-0xf7"))
    wait_for(lambda: stored() == 1, what="the event after the heartbeat")
    db.session.rollback()
    assert db.session.get(Gateway, "gw-e").queue_depth == 2**31
