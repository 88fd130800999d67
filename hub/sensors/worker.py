"""The ingest worker: one paho-mqtt client whose thread only enqueues, and a writer thread
that stores batches and acknowledges QoS 1 messages only after their batch committed.

A SIGKILL before the commit leaves the messages unacknowledged in the broker's persistent
session, so they are delivered again: none lost, and `event_id` makes none stored twice.
"""

from __future__ import annotations

import logging
import queue
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from flask import Flask
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy.exc import InterfaceError, OperationalError

from hub.extensions import db
from hub.sensors.contract import excerpt
from hub.sensors.ingest import BatchResult, Incoming, store_batch

log = logging.getLogger("hub.sensors.worker")
SHARE_GROUP = "hub-ingest"
_STOPPED = BatchResult()  # "stopped before storing": acknowledge nothing


@dataclass(frozen=True)
class WorkerOptions:
    url: str
    prefix: str = "hub/v1"
    client_id: str = "hub-ingest-1"
    shared: bool = False
    session_expiry_s: int = 3600
    batch_size: int = 2000
    batch_wait_s: float = 0.2
    ca_file: str | None = None


@dataclass(frozen=True, slots=True)
class _Item:
    incoming: Incoming
    mid: int
    qos: int
    connection: int  # which connection delivered it: a packet id means nothing on another


def event_filter(prefix: str, shared: bool) -> str:
    topic = f"{prefix}/gw/+/dev/+/event"
    return f"$share/{SHARE_GROUP}/{topic}" if shared else topic


def subscriptions(options: WorkerOptions) -> list[tuple[str, int]]:
    prefix = options.prefix
    return [(event_filter(prefix, options.shared), 1), (f"{prefix}/gw/+/status", 1),
            (f"{prefix}/gw/+/heartbeat", 0)]


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or (8883 if parts.scheme == "mqtts" else 1883)


def make_client(options: WorkerOptions, *, manual_ack: bool) -> mqtt.Client:
    """The worker's client: fixed id, MQTT 5, credentials and TLS from the URL."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=options.client_id,
                         protocol=mqtt.MQTTv5, manual_ack=manual_ack)
    parts = urlsplit(options.url)
    if parts.username:
        client.username_pw_set(unquote(parts.username),
                               unquote(parts.password) if parts.password else None)
    if parts.scheme == "mqtts":
        client.tls_set(ca_certs=options.ca_file, tls_version=ssl.PROTOCOL_TLS_CLIENT)
    client.reconnect_delay_set(min_delay=1, max_delay=60)
    client.max_queued_messages_set(0)
    return client


def connect_properties(options: WorkerOptions) -> Properties:
    props = Properties(PacketTypes.CONNECT)
    # The broker keeps the subscriptions and undelivered QoS 1 events while we restart.
    props.SessionExpiryInterval = options.session_expiry_s
    # Acks wait for the batch commit: let the broker send many before the first ack.
    props.ReceiveMaximum = 65535
    return props


def open_session(options: WorkerOptions, timeout: float = 5.0) -> bool:
    """Create the worker's persistent session and subscriptions now, then leave, so the
    broker queues events for a worker that has not started yet (used by `make run`)."""
    subscribed = threading.Event()
    client = make_client(options, manual_ack=True)
    client.on_connect = lambda c, *_a: c.subscribe(subscriptions(options))
    client.on_subscribe = lambda *_a: subscribed.set()
    try:
        client.connect(*_address(options.url), keepalive=10, clean_start=False,
                       properties=connect_properties(options))
    except OSError:
        return False
    client.loop_start()
    ok = subscribed.wait(timeout)
    client.disconnect()
    client.loop_stop()
    return ok


class IngestWorker:
    """Runs until stop(); `stats` counts stored events, rejects and batches."""

    def __init__(self, app: Flask, options: WorkerOptions) -> None:
        self.app = app
        self.options = options
        self.queue: queue.Queue[_Item] = queue.Queue()
        self.stop_event = threading.Event()
        self.connected = threading.Event()
        self.stats: Counter[str] = Counter()
        self.connection = 0
        self.client = self._make_client()
        self.writer = threading.Thread(target=self._write_loop, name="hub-ingest-writer",
                                       daemon=True)

    def _make_client(self) -> mqtt.Client:
        client = make_client(self.options, manual_ack=True)
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    def start(self) -> None:
        self.writer.start()
        # connect_async: a broker that is down at start-up is retried, not an exception.
        self.client.connect_async(*_address(self.options.url), keepalive=30, clean_start=False,
                                  properties=connect_properties(self.options))
        self.client.loop_start()

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        self.writer.join(timeout)
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client: mqtt.Client, _userdata: object, flags: mqtt.ConnectFlags,
                    reason_code: mqtt.ReasonCode, _props: Properties | None) -> None:
        if reason_code.is_failure:
            log.error("broker refused the connection: %s", reason_code)
            return
        # Packet ids start again on a new connection: an ack still owed for the old one
        # could acknowledge another message that is not stored yet. Those are skipped;
        # the broker delivers the unacknowledged ones again and event_id stores them once.
        self.connection += 1
        client.subscribe(subscriptions(self.options))
        log.info("connected to the broker (session present: %s)", flags.session_present)

    def _on_subscribe(self, _client: mqtt.Client, _userdata: object, _mid: int,
                      reason_codes: list[mqtt.ReasonCode], _props: Properties | None) -> None:
        # Ready once the broker has the subscriptions (SUBACK), not at CONNACK: on a first
        # connection, what is published in between would reach no session.
        if any(code.is_failure for code in reason_codes):
            log.error("broker refused a subscription: %s", reason_codes)
            return
        self.connected.set()

    def _on_disconnect(self, _client: mqtt.Client, _userdata: object,
                       _flags: mqtt.DisconnectFlags, reason_code: mqtt.ReasonCode,
                       _props: Properties | None) -> None:
        self.connected.clear()
        if not self.stop_event.is_set():
            log.warning("disconnected from the broker (%s); reconnecting", reason_code)

    def _on_message(self, _client: mqtt.Client, _userdata: object,
                    message: mqtt.MQTTMessage) -> None:
        # Never block the network thread: hand over and return.
        self.queue.put(_Item(Incoming(message.topic, bytes(message.payload),
                                      datetime.now(UTC)), message.mid, message.qos,
                         self.connection))

    def _next_batch(self) -> list[_Item]:
        try:
            batch = [self.queue.get(timeout=0.5)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self.options.batch_wait_s
        while len(batch) < self.options.batch_size:
            left = deadline - time.monotonic()
            try:
                batch.append(self.queue.get(timeout=left) if left > 0 else
                             self.queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _write_loop(self) -> None:
        with self.app.app_context():
            while not self.stop_event.is_set():
                batch = self._next_batch()
                if batch:
                    self._store(batch)
            db.session.remove()

    def _store(self, batch: list[_Item]) -> None:
        result = self._attempt([i.incoming for i in batch])
        if result is None:
            # Something in this batch no check foresaw (a value the database refuses, a
            # bug): store one by one so only the culprit is dropped, and keep going.
            result = BatchResult()
            for item in batch:
                one = self._attempt([item.incoming])
                if one is _STOPPED:
                    return
                if one is None:
                    log.error("dropped a message on %s: %s", item.incoming.topic[:200],
                              excerpt(item.incoming.payload))
                    one = BatchResult()
                    one.rejected["internal_error"] += 1
                result.events += one.events
                result.rejected.update(one.rejected)
        if result is _STOPPED:
            return  # stopping before storing: unacknowledged, the broker delivers them again
        self._ack(batch, result)

    def _attempt(self, items: list[Incoming]) -> BatchResult | None:
        """Store; retry while the database is unreachable; None when the data is at fault."""
        while not self.stop_event.is_set():
            try:
                return store_batch(items, prefix=self.options.prefix, now=datetime.now(UTC))
            except (OperationalError, InterfaceError):
                # Database away or locked: keep the batch unacknowledged and try again.
                db.session.rollback()
                log.exception("storing %d messages failed; retrying", len(items))
                self.stop_event.wait(1.0)
            except Exception:
                db.session.rollback()
                log.exception("storing %d messages failed", len(items))
                return None
        return _STOPPED

    def _ack(self, batch: list[_Item], result: BatchResult) -> None:
        for item in batch:
            if item.qos > 0 and item.connection == self.connection:
                self.client.ack(item.mid, item.qos)
        self.stats["stored"] += result.events
        self.stats["messages"] += len(batch)
        self.stats["batches"] += 1
        self.stats.update({f"rejected_{k}": v for k, v in result.rejected.items()})
