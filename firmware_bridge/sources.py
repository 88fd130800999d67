"""Where vendor messages come from: a vendor-side MQTT subscriber or a serial port.

Each source owns its adapter state and hands canonical events to a sink. A message that
breaks the vendor's format is logged (topic and at most 256 bytes) and skipped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from firmware_bridge.adapters import (
    AdapterError,
    AdapterOptions,
    SourceState,
    VendorMessage,
    get_adapter,
)
from firmware_bridge.config import SourceConfig
from firmware_bridge.events import CanonicalEvent, rfc3339
from firmware_bridge.publisher import configure_client

log = logging.getLogger(__name__)
Sink = Callable[[Sequence[CanonicalEvent]], None]
PRIME_TIMEOUT = 2.0
EXCERPT = 256  # bytes of the last unusable payload kept for the heartbeat


class AdaptingSource:
    """Runs one adapter over incoming messages, keeping its state and counters."""

    def __init__(self, config: SourceConfig, sink: Sink) -> None:
        self.config = config
        self.adapter = get_adapter(config.adapter)
        self.options = AdapterOptions(base_topic=config.base_topic, timezone=config.timezone,
                                      discovery_prefix=config.discovery_prefix)
        self.state = SourceState()
        self.sink = sink
        self.counters = {"messages": 0, "events": 0, "rejected": 0}
        # Every message the adapter could not use, per reason, with the last one's excerpt.
        self.unsupported: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _count(self, reason: str, topic: str, payload: bytes, at: datetime) -> None:
        entry = self.unsupported.setdefault(reason, {"count": 0})
        entry.update(count=entry["count"] + 1, last_topic=topic[:EXCERPT],
                     last_excerpt=payload[:EXCERPT].decode("utf-8", errors="replace"),
                     last_at=rfc3339(at))

    def feed(self, topic: str, payload: bytes, retained: bool = False) -> None:
        """Adapt one message and pass its events on; never raises."""
        msg = VendorMessage(topic, payload, datetime.now(UTC), retained)
        try:
            with self._lock:
                self.counters["messages"] += 1
                outcome = self.adapter.adapt(msg, self.state, self.options)
                if outcome.events:
                    self.sink(outcome.events)
                # Only a stored transition is remembered: if the outbox write failed, the
                # next report of the same state is news again instead of lost for good.
                self.state = outcome.state
                self.counters["events"] += len(outcome.events)
                if outcome.unsupported:
                    self._count(outcome.unsupported, topic, payload, msg.received_at)
        except AdapterError as exc:
            self.counters["rejected"] += 1
            with self._lock:
                self._count("malformed", topic, payload, msg.received_at)
            log.warning("%s: dropped message on %s: %s (payload=%r)", self.config.name,
                        topic, exc, payload[:256])
        except Exception:
            self.counters["rejected"] += 1
            with self._lock:
                self._count("internal_error", topic, payload, msg.received_at)
            log.exception("%s: failed on message on %s (payload=%r)", self.config.name,
                          topic, payload[:256])

    def health(self) -> dict[str, Any]:
        return {"adapter": self.config.adapter, "upstream_online": self.state.upstream_online,
                **self.counters}

    def unsupported_report(self) -> dict[str, dict[str, Any]]:
        """A copy of the unsupported counters (since the bridge started), for the heartbeat."""
        with self._lock:
            return {reason: dict(entry) for reason, entry in self.unsupported.items()}


class MqttSource(AdaptingSource):
    """Subscribes to a vendor broker (MQTT 3.1.1, which The Things Stack also speaks)."""

    def __init__(self, config: SourceConfig, sink: Sink, gateway_id: str) -> None:
        super().__init__(config, sink)
        assert config.url is not None
        self.url = config.url
        client_id = config.client_id or f"{gateway_id}-{config.name}"
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id,
                                  protocol=MQTTProtocolVersion.MQTTv311)
        configure_client(self.client, config.url)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.ready = threading.Event()  # connected and every subscription acknowledged
        self._final_mid: int | None = None
        self._acked: set[int] = set()  # SUBACKed mids of this connection
        self._subscribed: set[str] = set()
        self._primed = threading.Event()
        # Guards the bookkeeping only; never held while calling paho, whose callbacks run
        # under paho's own lock (holding ours there too could deadlock with the timer thread).
        self._sub_lock = threading.Lock()

    def start(self) -> None:
        self.client.connect_async(self.url.host, self.url.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _subscribe(self, topics: Sequence[str]) -> int | None:
        with self._sub_lock:
            fresh = [t for t in topics if t not in self._subscribed]
            self._subscribed.update(fresh)
        if not fresh:
            return None
        try:
            _rc, mid = self.client.subscribe([(t, 1) for t in fresh])
        except ValueError as exc:  # a filter paho cannot send; not retried
            log.warning("%s: cannot subscribe to %r: %s", self.config.name,
                        [t[:80] for t in fresh], exc)
            return None
        return mid

    def _subscribe_last(self, topics: Sequence[str]) -> None:
        """Subscribe to the rest; ready once that SUBACK is in, whichever thread sees it first."""
        mid = self._subscribe(topics)
        self._final_mid = mid
        if mid is not None and mid in self._acked:
            self.ready.set()

    def _on_connect(self, client: mqtt.Client, _u: Any, _f: mqtt.ConnectFlags,
                    reason_code: ReasonCode, _p: Properties | None) -> None:
        if reason_code.is_failure:
            log.error("%s: vendor broker refused the connection: %s", self.config.name,
                      reason_code)
            return
        with self._sub_lock:
            self._subscribed.clear()
            self._acked.clear()
            self._final_mid = None
            self.ready.clear()
            self._primed.clear()
        topics = self.adapter.subscriptions(self.options)
        if self.adapter.prime_first and len(topics) > 1:
            self._subscribe(topics[:1])
            timer = threading.Timer(PRIME_TIMEOUT, self._finish_subscribing)
            timer.daemon = True
            timer.start()
        else:
            self._subscribe_last(topics)

    def _finish_subscribing(self) -> None:
        with self._sub_lock:  # the timer and the first message may race here
            if self._primed.is_set():
                return
            self._primed.set()
        self._subscribe_last(self.adapter.subscriptions(self.options))

    def _on_subscribe(self, _client: mqtt.Client, _u: Any, mid: int,
                      _codes: list[ReasonCode], _p: Properties | None) -> None:
        self._acked.add(mid)
        if mid == self._final_mid:
            self.ready.set()

    def _on_message(self, _client: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        # Nothing may raise from here: paho would end its network thread and the source
        # would go deaf without a word.
        try:
            self.feed(msg.topic, bytes(msg.payload), bool(msg.retain))
            if self.adapter.prime_first and not self._primed.is_set():
                self._finish_subscribing()
            extra = self.adapter.dynamic_subscriptions(self.state)
            if extra - self._subscribed:
                self._subscribe(sorted(extra))
        except Exception:
            log.exception("%s: failed after a message on %r", self.config.name,
                          msg._topic[:256])


class SerialSource(AdaptingSource):
    """Reads protocol lines from a serial port (or a pyserial URL such as socket://)."""

    def __init__(self, config: SourceConfig, sink: Sink) -> None:
        super().__init__(config, sink)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"serial-{config.name}",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(3)

    def _run(self) -> None:
        import serial  # pyserial; only a serial source needs it

        port = self.config.port or ""
        while not self._stop.is_set():
            try:
                with serial.serial_for_url(port, self.config.baudrate, timeout=0.5) as link:
                    log.info("%s: reading %s", self.config.name, port)
                    self._read_lines(link)
            except (serial.SerialException, OSError) as exc:
                log.warning("%s: serial port %s: %s; retrying in 5 s", self.config.name,
                            port, exc)
                self._stop.wait(5)

    def _read_lines(self, link: Any) -> None:
        buffer = b""
        while not self._stop.is_set():
            buffer += link.read(256)
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                self.feed(self.config.port or "serial", line.rstrip(b"\r"))
            if len(buffer) > 4096:  # a device that never sends a newline
                buffer = b""


def build_source(config: SourceConfig, sink: Sink, gateway_id: str) -> MqttSource | SerialSource:
    """The right kind of source for a `[[sources]]` entry."""
    if get_adapter(config.adapter).transport == "serial":
        return SerialSource(config, sink)
    return MqttSource(config, sink, gateway_id)
