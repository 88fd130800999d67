"""`hub demo live`: the demo building's sensors, live, following the bookings.

A gateway of its own (`gw-demo`, the demo devices' gateway) that publishes the MQTT contract
(birth and Last Will, heartbeats, events) for every demo device, in real time: a place is
occupied when the people who booked it are there (hub.booking.demo_occupancy decides who
comes, late or early, and who never shows up), now and then without a booking, and never
outside opening hours or on a closing day. So the board at 20:43 shows an empty building,
and the sweep releases the no-shows as it would in the real one."""

from __future__ import annotations

import json
import logging
import signal
import ssl
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import Any
from urllib.parse import unquote, urlsplit

import click
import paho.mqtt.client as mqtt
from flask import current_app
from flask.cli import with_appcontext
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy import select

from hub.booking.demo_occupancy import BookedSlot, people_now
from hub.booking.models import Booking
from hub.booking.policies import policy_of
from hub.booking.rules import is_closed
from hub.building.models import Resource
from hub.extensions import db
from hub.sensors.contract import (
    EVENT_SCHEMA,
    HEARTBEAT_SCHEMA,
    STATUS_SCHEMA,
    event_topic,
    heartbeat_topic,
    status_topic,
)
from hub.sensors.models import Device, DeviceAssignment
from hub.timeutil import rfc3339, utcnow

log = logging.getLogger("hub.demo.live")
GATEWAY = "gw-demo"
TICK_S = 20.0
HEARTBEAT_S = 60.0
MOTION_REPEAT = timedelta(minutes=2)  # a PIR fires now and then while someone is there
demo_cli = click.Group("demo", help="The demo building, live.")


@dataclass(frozen=True)
class Sensor:
    device_id: str
    kind: str  # presence, motion or count
    resource: Resource
    last_state: bool | None = None


def sensors() -> list[Sensor]:
    rows = db.session.execute(
        select(Device.device_id, Device.kind, Resource, Device.last_state)
        .join(DeviceAssignment, DeviceAssignment.device_id == Device.device_id)
        .join(Resource, Resource.id == DeviceAssignment.resource_id)
        .where(DeviceAssignment.valid_to.is_(None), Device.gateway_id == GATEWAY)).all()
    return [Sensor(device_id, kind, resource, last) for device_id, kind, resource, last in rows]


def _open_now(resource: Resource, now: datetime) -> bool:
    policy = policy_of(resource)
    local = now.astimezone(policy.zone)
    return (not is_closed(policy, local.date())
            and policy.opens <= local.time() < policy.closes)


def wanted_states(now: datetime) -> dict[str, int]:
    """People each demo sensor sees now (0 = empty), from the bookings around now."""
    found = sensors()
    ids = [s.resource.id for s in found]
    slots: dict[int, list[BookedSlot]] = {}
    for b in db.session.scalars(select(Booking).where(
            Booking.resource_id.in_(ids), Booking.status != "cancelled",
            Booking.start <= now + timedelta(minutes=1), Booking.end > now - timedelta(hours=1))):
        # A released booking was a no-show; it still says nobody came.
        if b.status == "released":
            continue
        slots.setdefault(b.resource_id, []).append(BookedSlot(
            b.id, b.start, b.end, b.checked_in_at is not None, b.attendees))
    return {s.device_id: people_now(now, resource_id=s.resource.id, kind=s.resource.kind,
                                    capacity=s.resource.capacity,
                                    slots=slots.get(s.resource.id, []),
                                    open_now=_open_now(s.resource, now))
            for s in found}


def event_payload(sensor_kind: str, device_id: str, people: int, now: datetime,
                  seq: int) -> dict[str, Any]:
    body: dict[str, Any] = {"schema": EVENT_SCHEMA, "event_id": uuid.uuid4().hex,
                            "device_id": device_id, "kind": sensor_kind,
                            "observed_at": rfc3339(now), "seq": seq,
                            "source": {"adapter": "simulator", "model": "hub-demo-live"}}
    if sensor_kind == "count":
        body["people_count"] = people
    else:
        body["occupied"] = people > 0
    return body


class Player:
    """Publishes what changed since the last tick (and a motion sensor's repeats)."""

    def __init__(self, client: mqtt.Client, prefix: str, kinds: dict[str, str]) -> None:
        self.client, self.prefix, self.kinds = client, prefix, kinds
        self.last: dict[str, int] = {}
        self.last_sent: dict[str, datetime] = {}
        self.seq = 0

    def tick(self, wanted: dict[str, int], now: datetime) -> int:
        sent = 0
        for device_id, people in sorted(wanted.items()):
            kind = self.kinds.get(device_id, "presence")
            repeat = (kind == "motion" and people > 0
                      and now - self.last_sent.get(device_id, now) >= MOTION_REPEAT)
            if self.last.get(device_id) == people and not repeat:
                continue
            self.seq += 1
            payload = event_payload(kind, device_id, people, now, self.seq)
            self.client.publish(event_topic(GATEWAY, device_id, self.prefix),
                                json.dumps(payload), qos=1)
            self.last[device_id], self.last_sent[device_id] = people, now
            sent += 1
        return sent


def _client(url: str, session: str, prefix: str) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"{GATEWAY}-live",
                         protocol=mqtt.MQTTv5)
    parts = urlsplit(url)
    if parts.username:
        client.username_pw_set(unquote(parts.username),
                               unquote(parts.password) if parts.password else None)
    if parts.scheme == "mqtts":
        client.tls_set(tls_version=ssl.PROTOCOL_TLS_CLIENT)
    will = Properties(PacketTypes.WILLMESSAGE)
    will.WillDelayInterval = 5
    client.will_set(status_topic(GATEWAY, prefix), _status("offline", session), qos=1,
                    retain=True, properties=will)
    client.connect(parts.hostname or "127.0.0.1",
                   parts.port or (8883 if parts.scheme == "mqtts" else 1883), keepalive=30)
    return client


def _status(state: str, session: str) -> str:
    return json.dumps({"schema": STATUS_SCHEMA, "state": state, "session": session,
                       "since": rfc3339(utcnow()), "version": "hub-demo-live"})


@demo_cli.command("live")
@with_appcontext
def live() -> None:
    """Play the demo building's sensors live from the bookings until Ctrl-C."""
    url, prefix = current_app.config["HUB_MQTT_URL"], current_app.config["HUB_MQTT_PREFIX"]
    session = uuid.uuid4().hex[:12]
    client = _client(url, session, prefix)
    client.loop_start()
    client.publish(status_topic(GATEWAY, prefix), _status("online", session), qos=1,
                   retain=True)
    stop = threading.Event()

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    found = sensors()
    player = Player(client, prefix, {s.device_id: s.kind for s in found})
    # A sensor already reporting "vacant" is not told so again: a vacant report holds a
    # place as used for a while (bridges report transitions), which would light up the
    # whole board for minutes after every restart.
    player.last.update({s.device_id: 0 for s in found if s.last_state is False})
    beat, last_beat = 0, None
    click.echo(f"demo sensors live on {url} as {GATEWAY}")
    while not stop.is_set():
        now = utcnow()
        player.tick(wanted_states(now), now)
        db.session.rollback()  # end the read: the next tick sees new bookings
        if last_beat is None or (now - last_beat).total_seconds() >= HEARTBEAT_S:
            beat += 1
            client.publish(heartbeat_topic(GATEWAY, prefix), json.dumps(
                {"schema": HEARTBEAT_SCHEMA, "session": session, "seq": beat,
                 "sent_at": rfc3339(now), "queue_depth": 0}), qos=0)
            last_beat = now
        stop.wait(TICK_S)
    client.publish(status_topic(GATEWAY, prefix), _status("offline", session), qos=1,
                   retain=True).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()
