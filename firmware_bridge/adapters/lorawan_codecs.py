"""Byte-level decoders for LoRaWAN sensors whose published TTS decoders are missing or wrong.

Each decoder skips the channels it does not need by their length (the vendors' length
tables), so a frame with a version or serial-number channel before the data still decodes.
It stops only at a channel whose length it cannot know; `Decoded.complete` then says the
frame was not read to its end, and the caller falls back to the network's decoded payload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Elsys TLV (TheThingsNetwork/lorawan-devices vendor/elsys/elsys.js): type -> (name, bytes).
_ELSYS_TYPES: dict[int, tuple[str, int]] = {
    0x01: ("temperature", 2), 0x02: ("humidity", 1), 0x03: ("acceleration", 3),
    0x04: ("light", 2), 0x05: ("motion", 1), 0x06: ("co2", 2), 0x07: ("vdd", 2),
    0x08: ("analog1", 2), 0x09: ("gps", 6), 0x0A: ("pulse1", 2), 0x0B: ("pulse1_abs", 4),
    0x0C: ("external_temperature", 2), 0x0D: ("digital", 1), 0x0E: ("distance", 2),
    0x0F: ("acc_motion", 1), 0x10: ("ir_temperature", 4), 0x11: ("occupancy", 1),
    0x12: ("waterleak", 1), 0x13: ("grideye", 65), 0x14: ("pressure", 4),
    0x15: ("sound", 2), 0x16: ("pulse2", 2), 0x17: ("pulse2_abs", 4), 0x18: ("analog2", 2),
    0x19: ("external_temperature2", 2), 0x1A: ("digital2", 1), 0x1B: ("analog_uv", 4),
    0x1C: ("tvoc", 2), 0x3D: ("debug", 4),
}
# Milesight (channel id, channel type) -> bytes, from Milesight-IoT/SensorDecoders
# (VS_Series/VS121/README.md, WS_Series/WS202/WS202_Decoder.js): device information
# channels every Milesight device may put before its data.
_MILESIGHT_INFO: dict[tuple[int, int], int] = {
    (0xFF, 0x01): 1, (0xFF, 0x08): 6, (0xFF, 0x09): 2, (0xFF, 0x0A): 2, (0xFF, 0x0B): 1,
    (0xFF, 0x0F): 1, (0xFF, 0x16): 8, (0xFF, 0x1F): 4, (0xFF, 0xFE): 1, (0xFF, 0xFF): 2,
}
_VS121_DATA: dict[tuple[int, int], int] = {
    (0x04, 0xC9): 4, (0x05, 0xCC): 4, (0x06, 0xCD): 1, (0x07, 0xD5): 8, (0x08, 0xD5): 8,
    (0x09, 0xDA): 8, (0x0A, 0xDA): 8, (0x0B, 0xDA): 8, (0x0C, 0xDA): 8, (0x0F, 0x85): 4,
}
_WS202_DATA: dict[tuple[int, int], int] = {(0x01, 0x75): 1, (0x03, 0x00): 1, (0x04, 0x00): 1}


@dataclass
class Decoded:
    """The fields read from a frame, and whether the whole frame was understood."""

    values: dict[str, Any] = field(default_factory=dict)
    complete: bool = True


Reader = Callable[[tuple[int, int], bytes, dict[str, Any]], None]


def _milesight(frame: bytes, lengths: dict[tuple[int, int], int], read: Reader) -> Decoded:
    out = Decoded()
    table = {**_MILESIGHT_INFO, **lengths}
    i = 0
    while i < len(frame):
        key = (frame[i], frame[i + 1]) if i + 1 < len(frame) else (frame[i], -1)
        size = table.get(key)
        if size is None or i + 2 + size > len(frame):
            out.complete = False  # an unknown channel: its length (and the rest) is unknown
            break
        read(key, frame[i + 2 : i + 2 + size], out.values)
        i += 2 + size
    return out


def _vs121_channel(key: tuple[int, int], data: bytes, out: dict[str, Any]) -> None:
    if key == (0x04, 0xC9):
        out["people_count_all"] = data[0]
        regions = min(data[1], 16)
        mask = int.from_bytes(data[2:4], "big")
        for idx in range(regions):  # the vendor's decoder: a bit per region
            out[f"region_{idx + 1}"] = (mask >> idx) & 1
    elif key == (0x05, 0xCC):
        out["people_in"] = int.from_bytes(data[0:2], "little", signed=True)
        out["people_out"] = int.from_bytes(data[2:4], "little", signed=True)
    elif key == (0x06, 0xCD):
        out["people_count_max"] = data[0]
    elif key == (0x0F, 0x85):
        out["timestamp"] = int.from_bytes(data, "little")
    elif key == (0xFF, 0x01):
        out["protocol_version"] = data[0]


def _ws202_channel(key: tuple[int, int], data: bytes, out: dict[str, Any]) -> None:
    if key == (0x01, 0x75):
        out["battery"] = data[0]
    elif key == (0x03, 0x00):
        out["pir"] = "trigger" if data[0] else "normal"
    elif key == (0x04, 0x00):
        out["daylight"] = "light" if data[0] else "dark"


def decode_vs121(frame: bytes) -> Decoded:
    """Milesight VS121 channels as the vendor's VS121_Decoder.js reads them (regions by bit)."""
    return _milesight(frame, _VS121_DATA, _vs121_channel)


def decode_ws202(frame: bytes) -> Decoded:
    """Milesight WS202 PIR: battery (0x01 0x75), pir (0x03 0x00), daylight (0x04 0x00)."""
    return _milesight(frame, _WS202_DATA, _ws202_channel)


def decode_elsys(frame: bytes) -> Decoded:
    """Elsys ERS/EMS family TLV frames: motion (count), occupancy (0/1/2), vdd and the rest."""
    out = Decoded()
    i = 0
    while i < len(frame):
        known = _ELSYS_TYPES.get(frame[i])
        if known is None or i + 1 + known[1] > len(frame):
            out.complete = False
            break
        name, size = known
        chunk = frame[i + 1 : i + 1 + size]
        if size <= 2 or name in ("pressure", "pulse1_abs", "pulse2_abs"):
            signed = name in ("temperature", "external_temperature", "external_temperature2")
            value = int.from_bytes(chunk, "big", signed=signed)
            out.values[name] = value / 10 if signed else value
        i += 1 + size
    return out
