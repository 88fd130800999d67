"""Vendor adapters: pure functions from a vendor message and the last state to events.

Nothing here touches MQTT, serial ports or the outbox (import-linter holds that line).
"""

from __future__ import annotations

from firmware_bridge.adapters import esphome, serial_line, shelly, tasmota, ttn_v3, zigbee2mqtt
from firmware_bridge.adapters.base import (
    Adapter,
    AdapterError,
    AdapterOptions,
    DeviceState,
    Outcome,
    SourceState,
    VendorMessage,
)

ADAPTERS: dict[str, Adapter] = {
    a.name: a
    for a in (zigbee2mqtt.ADAPTER, ttn_v3.ADAPTER, esphome.ADAPTER, tasmota.ADAPTER,
              shelly.ADAPTER, serial_line.ADAPTER)
}


def get_adapter(name: str) -> Adapter:
    """The registered adapter called `name` (KeyError when there is none)."""
    return ADAPTERS[name]


__all__ = [
    "ADAPTERS",
    "Adapter",
    "AdapterError",
    "AdapterOptions",
    "DeviceState",
    "Outcome",
    "SourceState",
    "VendorMessage",
    "get_adapter",
]
