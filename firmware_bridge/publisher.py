"""The hub-side MQTT 5 client: birth and Last Will, heartbeats, and the outbox pump.

One paho client per process (client id = gateway id). paho's callbacks only hand facts to
the pump thread through a queue; the pump alone reads the outbox and maps message ids to
rows, so no lock is ever held while paho holds its own.
"""

from __future__ import annotations

import logging
import queue
import ssl
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from firmware_bridge import __version__
from firmware_bridge.config import BrokerUrl, HubConfig
from firmware_bridge.events import heartbeat_payload, heartbeat_topic, status_payload, status_topic
from firmware_bridge.outbox import Outbox

log = logging.getLogger(__name__)
WINDOW = 100  # messages handed to paho and not yet acknowledged, at most


def configure_client(client: mqtt.Client, url: BrokerUrl, ca_file: str | None = None) -> None:
    """Credentials, TLS and reconnect backoff from a broker URL."""
    if url.username:
        client.username_pw_set(url.username, url.password)
    if url.tls:
        client.tls_set(ca_certs=ca_file, tls_version=ssl.PROTOCOL_TLS_CLIENT)
    client.reconnect_delay_set(min_delay=1, max_delay=30)


class Publisher:
    """Publishes the outbox to the hub broker and keeps the gateway's status honest."""

    def __init__(self, gateway_id: str, hub: HubConfig, outbox: Outbox) -> None:
        self.gateway_id = gateway_id
        self.hub = hub
        self.outbox = outbox
        self.session = uuid.uuid4().hex[:16]
        self.since = datetime.now(UTC)
        self.extra_heartbeat: Callable[[], dict[str, Any]] = dict
        self._acks: queue.SimpleQueue[tuple[int, ReasonCode]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self.connected = threading.Event()
        self._inflight: dict[int, int] = {}  # mid -> outbox row id; pump thread only
        self._handed = 0  # highest outbox row id handed to paho
        self._heartbeat_seq = 0
        self._threads: list[threading.Thread] = []
        self.client = self._build_client()

    @property
    def status_topic(self) -> str:
        return status_topic(self.gateway_id, self.hub.prefix)

    def _build_client(self) -> mqtt.Client:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=self.gateway_id,
                             protocol=MQTTProtocolVersion.MQTTv5)
        configure_client(client, self.hub.url, self.hub.ca_file)
        will_props = Properties(PacketTypes.WILLMESSAGE)
        will_props.WillDelayInterval = self.hub.will_delay_s
        will = status_payload("offline", self.session, None, __version__, reason="lwt")
        client.will_set(self.status_topic, will, qos=1, retain=True, properties=will_props)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        client.enable_logger(log)
        return client

    def start(self) -> None:
        """Connect in the background and start the pump and heartbeat threads."""
        props = Properties(PacketTypes.CONNECT)
        # The session must outlive the will delay, or the broker sends the will at once.
        props.SessionExpiryInterval = self.hub.session_expiry_s
        self.client.connect_async(self.hub.url.host, self.hub.url.port,
                                  keepalive=self.hub.keepalive_s, properties=props)
        self.client.loop_start()
        for target, name in ((self._pump, "outbox-pump"), (self._heartbeat, "heartbeat")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def notify(self) -> None:
        """New rows are in the outbox."""
        self._wake.set()

    def stop(self, timeout: float = 3.0) -> None:
        """Clean shutdown: an `offline` status (reason shutdown), then DISCONNECT."""
        self._stopping.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        if self.connected.is_set():
            payload = status_payload("offline", self.session, datetime.now(UTC), __version__,
                                     reason="shutdown")
            info = self.client.publish(self.status_topic, payload, qos=1, retain=True)
            try:
                info.wait_for_publish(timeout)
            except (RuntimeError, ValueError):
                log.warning("shutdown status was not acknowledged")
        self.client.disconnect()
        self.client.loop_stop()

    # paho callbacks (network thread): keep them short, hand over to the pump.
    def _on_connect(self, client: mqtt.Client, _userdata: Any, flags: mqtt.ConnectFlags,
                    reason_code: ReasonCode, _props: Properties | None) -> None:
        if reason_code.is_failure:
            log.error("hub broker refused the connection: %s", reason_code)
            return
        birth = status_payload("online", self.session, self.since, __version__)
        client.publish(self.status_topic, birth, qos=1, retain=True)
        log.info("connected to hub broker (session present: %s)", flags.session_present)
        self.connected.set()
        self._wake.set()

    def _on_disconnect(self, _client: mqtt.Client, _userdata: Any,
                       _flags: mqtt.DisconnectFlags, reason_code: ReasonCode,
                       _props: Properties | None) -> None:
        self.connected.clear()
        if not self._stopping.is_set():
            log.warning("lost the hub broker (%s); events wait in the outbox", reason_code)

    def _on_publish(self, _client: mqtt.Client, _userdata: Any, mid: int,
                    reason_code: ReasonCode, _props: Properties | None) -> None:
        self._acks.put((mid, reason_code))
        self._wake.set()

    # pump thread
    def _pump(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(timeout=1.0)
            self._wake.clear()
            try:
                self._settle_acks()
                if self.connected.is_set():
                    self._hand_over()
                self._settle_acks()
            except Exception:
                log.exception("outbox pump failed; retrying")
                self._stopping.wait(1.0)

    def _settle_acks(self) -> None:
        done: list[int] = []
        while True:
            try:
                mid, reason = self._acks.get_nowait()
            except queue.Empty:
                break
            row_id = self._inflight.pop(mid, None)
            if row_id is None:
                continue  # a status message, not an outbox row
            if reason.is_failure:
                log.error("hub broker refused outbox row %d: %s", row_id, reason)
                self.outbox.bury(row_id, str(reason))
            else:
                done.append(row_id)
        self.outbox.remove(done)

    def _hand_over(self) -> None:
        room = WINDOW - len(self._inflight)
        if room <= 0:
            return
        for row in self.outbox.pending(after_id=self._handed, limit=room):
            info = self.client.publish(row.topic, row.payload, qos=1)
            if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
                log.warning("paho did not take outbox row %d: %s", row.id, info.rc)
                break
            # Once paho holds a QoS 1 message it resends it after a reconnect by itself.
            self._inflight[info.mid] = row.id
            self._handed = row.id
        if len(self._inflight) < WINDOW and self.outbox.pending(self._handed, 1):
            self._wake.set()

    # heartbeat thread
    def _heartbeat(self) -> None:
        while not self._stopping.wait(self.hub.heartbeat_s):
            if not self.connected.is_set():
                continue
            self._heartbeat_seq += 1
            payload = heartbeat_payload(self.session, self._heartbeat_seq, datetime.now(UTC),
                                        self.outbox.depth(), self.extra_heartbeat())
            self.client.publish(heartbeat_topic(self.gateway_id, self.hub.prefix), payload, qos=0)
