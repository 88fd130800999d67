"""Helpers for bridge tests against real mosquitto brokers: a hub-side collector and configs."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from tests.support.broker import Broker


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll `predicate` every 20 ms; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Collector:
    """A hub-side subscriber with a persistent session, so a broker restart loses nothing."""

    def __init__(self, broker: Broker, topic: str = "hub/v1/#") -> None:
        self.messages: list[tuple[str, dict[str, Any], bool, float]] = []
        self._lock = threading.Lock()
        self.topic = topic
        self.port = broker.port
        self.client_id = f"collector-{uuid.uuid4().hex[:8]}"
        self.subscribed = threading.Event()
        # A clean session the first time only: paho's own reconnects (while the broker
        # restarts) then resume the session instead of wiping it.
        self.client = self._connect(clean_start=mqtt.MQTT_CLEAN_START_FIRST_ONLY)

    def _connect(self, clean_start: bool | int) -> mqtt.Client:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=self.client_id,
                             protocol=MQTTProtocolVersion.MQTTv5)
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 600  # the broker keeps our messages while we are away
        self.subscribed.clear()
        client.connect("127.0.0.1", self.port, keepalive=5, properties=props,
                       clean_start=clean_start)
        client.loop_start()
        wait_until(self.subscribed.is_set, 5, "collector subscription")
        return client

    def resume(self) -> None:
        """After a broker restart: a fresh connection to the same persistent session."""
        self.client.loop_stop()
        self.client = self._connect(clean_start=False)

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        if not rc.is_failure:
            client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, _c: mqtt.Client, _u: Any, _mid: int, codes: Any, _p: Any) -> None:
        # Only the broker's SUBACK proves the persistent session holds the subscription: a
        # broker stopped before it would lose what the bridge publishes after the restart.
        if not any(code.is_failure for code in codes):
            self.subscribed.set()

    def _on_message(self, _c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        with self._lock:
            self.messages.append((msg.topic, json.loads(msg.payload), bool(msg.retain),
                                  time.monotonic()))

    def where(self, suffix: str) -> list[dict[str, Any]]:
        with self._lock:
            return [body for topic, body, _r, _t in self.messages if topic.endswith(suffix)]

    def events(self) -> list[dict[str, Any]]:
        return self.where("/event")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def vendor_client(broker: Broker) -> mqtt.Client:
    """A plain publisher on the vendor-side broker (zigbee2mqtt's role)."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"z2m-{uuid.uuid4().hex[:6]}")
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    return client


def write_config(tmp_path: Path, hub: Broker, vendor: Broker | None, *,
                 gateway: str = "gw-test", will_delay_s: int = 2,
                 heartbeat_s: float = 0.5) -> Path:
    source = (f'[[sources]]\nadapter = "zigbee2mqtt"\nurl = "{vendor.url}"\n'
              f'base_topic = "zigbee2mqtt"\n') if vendor else ""
    path = tmp_path / "bridge.toml"
    path.write_text(
        f'gateway_id = "{gateway}"\n[hub]\nurl = "{hub.url}"\nwill_delay_s = {will_delay_s}\n'
        f"heartbeat_s = {heartbeat_s}\nkeepalive_s = 5\n"
        f'[outbox]\npath = "{tmp_path / "outbox.sqlite3"}"\n{source}'
    )
    return path


DEVICES = [{"ieee_address": "0x00158d0001a2b3c4", "type": "EndDevice",
            "friendly_name": "floor2/room214/pir",
            "definition": {"model": "RTCGQ11LM", "vendor": "Aqara"}}]


def occupancy(value: bool, n: int = 0) -> bytes:
    return json.dumps({"occupancy": value, "battery": 100, "illuminance": n,
                       "linkquality": 87}).encode()
