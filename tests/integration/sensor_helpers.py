"""Helpers for the sensor ingest tests: a publisher and contract-shaped messages."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from hub.sensors.contract import event_topic, status_topic


def event(device: str = "z2m-0x01", *, occupied: bool = True, event_id: str | None = None,
          observed_at: datetime | None = None, kind: str = "presence",
          people: int | None = None) -> dict[str, Any]:
    return {"schema": "hub.occupancy.v1", "event_id": event_id or uuid.uuid4().hex,
            "device_id": device, "kind": kind,
            "occupied": occupied if kind != "count" else None, "people_count": people,
            "observed_at": (observed_at or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
            "seq": 1, "battery_pct": 87, "source": {"adapter": "zigbee2mqtt",
                                                    "model": "RTCGQ11LM"}}


def status(state: str = "online", session: str = "s1") -> bytes:
    return json.dumps({"schema": "hub.status.v1", "state": state, "session": session,
                       "since": datetime.now(UTC).isoformat(), "version": "test"}).encode()


class Publisher:
    """A paho client that publishes QoS 1 and waits for the broker's PUBACK."""

    def __init__(self, port: int, client_id: str | None = None) -> None:
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2,
                                  client_id=client_id or f"test-pub-{uuid.uuid4().hex[:6]}",
                                  protocol=mqtt.MQTTv5)
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.reconnect_delay_set(0.1, 1)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=qos, retain=retain).wait_for_publish(5)

    def event(self, gateway: str, body: dict[str, Any]) -> None:
        self.publish(event_topic(gateway, body["device_id"]), json.dumps(body).encode())

    def status(self, gateway: str, state: str = "online", session: str = "s1") -> None:
        self.publish(status_topic(gateway), status(state, session), retain=True)

    def publish_all(self, messages: Iterable[tuple[str, bytes]], timeout: float = 60) -> None:
        """Publish until every message got its PUBACK, resending across broker restarts."""
        pending = list(messages)
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            infos = [(m, self.client.publish(m[0], m[1], qos=1)) for m in pending]
            failed = []
            for m, info in infos:
                with contextlib.suppress(RuntimeError, ValueError):
                    info.wait_for_publish(max(0.01, min(5, deadline - time.monotonic())))
                if not info.is_published():
                    failed.append(m)
            pending = failed
            if pending:
                time.sleep(0.2)
        assert not pending, f"{len(pending)} messages never reached the broker"

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def wait_for(check: Callable[[], bool], timeout: float = 20, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
