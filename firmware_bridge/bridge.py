"""The running gateway: sources feed the outbox, the publisher drains it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from firmware_bridge.config import Config
from firmware_bridge.events import CanonicalEvent
from firmware_bridge.outbox import Outbox
from firmware_bridge.publisher import Publisher
from firmware_bridge.sources import MqttSource, SerialSource, build_source

log = logging.getLogger(__name__)


class Bridge:
    """Wires outbox, publisher and sources together; `start()` then `stop()`."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.outbox = Outbox(config.outbox_path)
        self.publisher = Publisher(config.gateway_id, config.hub, self.outbox)
        self.sources: list[MqttSource | SerialSource] = [
            build_source(s, self.store, config.gateway_id) for s in config.sources
        ]
        self._lock = threading.Lock()

    def store(self, events: Sequence[CanonicalEvent]) -> None:
        """Put events into the outbox (durably) and wake the publisher."""
        with self._lock:
            for event in events:
                self.outbox.add_event(event, gateway_id=self.config.gateway_id,
                                      prefix=self.config.hub.prefix)
        self.publisher.notify()

    def start(self) -> None:
        self.publisher.extra_heartbeat = lambda: {
            "adapters": {s.config.name: s.health() for s in self.sources},
            # Extra field (the contract allows them): unusable messages per source and reason.
            "unsupported": {s.config.name: s.unsupported_report() for s in self.sources
                            if s.unsupported},
        }
        self.publisher.start()
        for source in self.sources:
            source.start()
        log.info("bridge %s running: %d source(s), outbox %s (%d waiting)",
                 self.config.gateway_id, len(self.sources), self.config.outbox_path,
                 self.outbox.depth())

    def stop(self) -> None:
        for source in self.sources:
            source.stop()
        self.publisher.stop()
        self.outbox.close()
