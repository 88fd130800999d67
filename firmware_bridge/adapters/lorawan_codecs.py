"""Byte-level decoders for LoRaWAN sensors whose published TTS decoders are missing or wrong."""

from __future__ import annotations

from typing import Any

# Elsys TLV: type -> (field name, length in bytes). Decoding stops at an unknown type.
_ELSYS_TYPES: dict[int, tuple[str, int]] = {
    0x01: ("temperature", 2), 0x02: ("humidity", 1), 0x03: ("acceleration", 3),
    0x04: ("light", 2), 0x05: ("motion", 1), 0x06: ("co2", 2), 0x07: ("vdd", 2),
    0x08: ("analog1", 2), 0x09: ("gps", 6), 0x0A: ("pulse1", 2), 0x0B: ("pulse1_abs", 4),
    0x0C: ("external_temperature", 2), 0x0D: ("digital", 1), 0x0E: ("distance", 2),
    0x0F: ("acc_motion", 1), 0x10: ("ir_temperature", 4), 0x11: ("occupancy", 1),
    0x12: ("waterleak", 1), 0x14: ("pressure", 4), 0x15: ("sound", 2),
}


def decode_vs121(frame: bytes) -> dict[str, Any]:
    """Milesight VS121 channels as the vendor's VS121_Decoder.js reads them (regions by bit)."""
    out: dict[str, Any] = {}
    i = 0
    while i + 2 <= len(frame):
        channel, kind = frame[i], frame[i + 1]
        i += 2
        if channel == 0x04 and kind == 0xC9 and i + 4 <= len(frame):
            out["people_count_all"] = frame[i]
            regions = min(frame[i + 1], 16)
            mask = int.from_bytes(frame[i + 2 : i + 4], "big")
            for idx in range(regions):
                out[f"region_{idx + 1}"] = (mask >> idx) & 1
            i += 4
        elif channel == 0x05 and kind == 0xCC and i + 4 <= len(frame):
            out["people_in"] = int.from_bytes(frame[i : i + 2], "little", signed=True)
            out["people_out"] = int.from_bytes(frame[i + 2 : i + 4], "little", signed=True)
            i += 4
        elif channel == 0x06 and kind == 0xCD and i + 1 <= len(frame):
            out["people_count_max"] = frame[i]
            i += 1
        elif channel == 0x0F and kind == 0x85 and i + 4 <= len(frame):
            out["timestamp"] = int.from_bytes(frame[i : i + 4], "little")
            i += 4
        elif channel == 0xFF and kind == 0x01 and i + 1 <= len(frame):
            out["protocol_version"] = frame[i]
            i += 1
        else:
            break  # channels we do not need (flows, history, config answers)
    return out


def decode_ws202(frame: bytes) -> dict[str, Any]:
    """Milesight WS202 PIR: battery (0x01 0x75), pir (0x03 0x00), daylight (0x04 0x00)."""
    out: dict[str, Any] = {}
    i = 0
    while i + 3 <= len(frame):
        channel, kind, value = frame[i], frame[i + 1], frame[i + 2]
        if (channel, kind) == (0x01, 0x75):
            out["battery"] = value
        elif (channel, kind) == (0x03, 0x00):
            out["pir"] = "trigger" if value else "normal"
        elif (channel, kind) == (0x04, 0x00):
            out["daylight"] = "light" if value else "dark"
        else:
            break
        i += 3
    return out


def decode_elsys(frame: bytes) -> dict[str, Any]:
    """Elsys ERS family TLV frames: motion (count), occupancy (0/1/2), vdd and the rest."""
    out: dict[str, Any] = {}
    i = 0
    while i < len(frame):
        known = _ELSYS_TYPES.get(frame[i])
        if known is None or i + 1 + known[1] > len(frame):
            break
        name, size = known
        chunk = frame[i + 1 : i + 1 + size]
        signed = name in ("temperature", "external_temperature")
        value = int.from_bytes(chunk, "big", signed=signed)
        out[name] = value / 10 if signed else value
        i += 1 + size
    return out
