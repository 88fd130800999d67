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
from sqlalchemy.exc import SQLAlchemyError

from hub.extensions import db
from hub.sensors.contract import excerpt
from hub.sensors.ingest import BatchResult, Incoming, store_batch

log = logging.getLogger("hub.sensors.worker")
SHARE_GROUP = "hub-ingest"


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


def event_filter(prefix: str, shared: bool) -> str:
    topic = f"{prefix}/gw/+/dev/+/event"
    return f"$share/{SHARE_GROUP}/{topic}" if shared else topic


class IngestWorker:
    """Runs until stop(); `stats` counts stored events, rejects and batches."""

    def __init__(self, app: Flask, options: WorkerOptions) -> None:
        self.app = app
        self.options = options
        self.queue: queue.Queue[_Item] = queue.Queue()
        self.stop_event = threading.Event()
        self.connected = threading.Event()
        self.stats: Counter[str] = Counter()
        self.client = self._make_client()
        self.writer = threading.Thread(target=self._write_loop, name="hub-ingest-writer",
                                       daemon=True)

    def _make_client(self) -> mqtt.Client:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=self.options.client_id,
                             protocol=mqtt.MQTTv5, manual_ack=True)
        parts = urlsplit(self.options.url)
        if parts.username:
            client.username_pw_set(unquote(parts.username),
                                   unquote(parts.password) if parts.password else None)
        if parts.scheme == "mqtts":
            client.tls_set(ca_certs=self.options.ca_file, tls_version=ssl.PROTOCOL_TLS_CLIENT)
        client.reconnect_delay_set(min_delay=1, max_delay=60)
        client.max_queued_messages_set(0)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    def _connect_properties(self) -> Properties:
        props = Properties(PacketTypes.CONNECT)
        # The broker keeps the subscriptions and undelivered QoS 1 events while we restart.
        props.SessionExpiryInterval = self.options.session_expiry_s
        # Acks wait for the batch commit: let the broker send many before the first ack.
        props.ReceiveMaximum = 65535
        return props

    def start(self) -> None:
        parts = urlsplit(self.options.url)
        default_port = 8883 if parts.scheme == "mqtts" else 1883
        self.writer.start()
        # connect_async: a broker that is down at start-up is retried, not an exception.
        self.client.connect_async(parts.hostname or "127.0.0.1", parts.port or default_port,
                                  keepalive=30, clean_start=False,
                                  properties=self._connect_properties())
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
        prefix = self.options.prefix
        client.subscribe([(event_filter(prefix, self.options.shared), 1),
                          (f"{prefix}/gw/+/status", 1), (f"{prefix}/gw/+/heartbeat", 0)])
        log.info("connected to the broker (session present: %s)", flags.session_present)
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
                                      datetime.now(UTC)), message.mid, message.qos))

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
        while not self.stop_event.is_set():
            try:
                result = store_batch([i.incoming for i in batch], prefix=self.options.prefix,
                                     now=datetime.now(UTC))
                break
            except SQLAlchemyError:
                # Database away or locked: keep the batch unacknowledged and try again.
                db.session.rollback()
                log.exception("storing a batch of %d failed; retrying", len(batch))
                self.stop_event.wait(1.0)
            except Exception:
                # A message we did not foresee must not stop the worker: store one by one.
                db.session.rollback()
                log.exception("a batch of %d failed; storing its messages one by one",
                              len(batch))
                result = self._store_singly(batch)
                break
        else:
            return  # stopping: unacknowledged messages come back after the restart
        self._ack(batch, result)

    def _store_singly(self, batch: list[_Item]) -> BatchResult:
        total = BatchResult()
        for item in batch:
            try:
                one = store_batch([item.incoming], prefix=self.options.prefix,
                                  now=datetime.now(UTC))
            except Exception:
                db.session.rollback()
                log.exception("dropped a message on %s: %s", item.incoming.topic[:200],
                              excerpt(item.incoming.payload))
                total.rejected["internal_error"] += 1
                continue
            total.events += one.events
            total.rejected.update(one.rejected)
        return total

    def _ack(self, batch: list[_Item], result: BatchResult) -> None:
        for item in batch:
            if item.qos > 0:
                self.client.ack(item.mid, item.qos)
        self.stats["stored"] += result.events
        self.stats["messages"] += len(batch)
        self.stats["batches"] += 1
        self.stats.update({f"rejected_{k}": v for k, v in result.rejected.items()})
