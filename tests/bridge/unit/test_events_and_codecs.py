"""Encoding, names and the byte decoders the adapters rely on."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from firmware_bridge.adapters.lorawan_codecs import decode_elsys, decode_vs121, decode_ws202
from firmware_bridge.adapters.tasmota import local_to_utc
from firmware_bridge.events import CanonicalEvent, device_id_for, encode, new_event_id


def test_vs121_regions_are_a_bitmask() -> None:
    decoded = decode_vs121(bytes.fromhex("04C9030800A106CD05")).values
    assert decoded["people_count_all"] == 3 and decoded["people_count_max"] == 5
    occupied = [i for i in range(1, 9) if decoded[f"region_{i}"]]
    assert occupied == [1, 6, 8]


def test_ws202_and_elsys_frames() -> None:
    assert decode_ws202(bytes.fromhex("017510030001040000")).values == {
        "battery": 16, "pir": "trigger", "daylight": "dark"}
    elsys = decode_elsys(bytes.fromhex("0100E2022904006E0500070E411102")).values
    assert elsys == {"temperature": 22.6, "humidity": 41, "light": 110, "motion": 0,
                     "vdd": 3649, "occupancy": 2}


def test_known_channels_are_skipped_by_length() -> None:
    # VS121 (Milesight-IoT/SensorDecoders VS121 README): hardware version ff09 (2 bytes)
    # and firmware ff1f (4 bytes) before the people count.
    vs121 = decode_vs121(bytes.fromhex("FF090100FF1F1F07004B04C9030800A1"))
    assert vs121.complete and vs121.values["people_count_all"] == 3
    # WS202 (WS202_Decoder.js): ipso version ff01 first.
    ws202 = decode_ws202(bytes.fromhex("FF0110017510030001"))
    assert ws202.complete and ws202.values["pir"] == "trigger"
    # Elsys (elsys.js): grideye 0x13 (65 bytes) and tvoc 0x1C before motion.
    elsys = decode_elsys(bytes.fromhex("13" + "14" + "00" * 64 + "1C0100" + "0503"))
    assert elsys.complete and elsys.values["motion"] == 3 and elsys.values["tvoc"] == 256


def test_unknown_channel_stops_and_says_so() -> None:
    partial = decode_ws202(bytes.fromhex("01751099AA01030001"))
    assert partial.values == {"battery": 16} and not partial.complete
    assert not decode_elsys(bytes.fromhex("05017F0000")).complete


def test_tasmota_local_time() -> None:
    zone = "Europe/Amsterdam"
    assert local_to_utc("2026-03-30T09:02:01", zone) == datetime(2026, 3, 30, 7, 2, 1, tzinfo=UTC)
    assert local_to_utc("2025-10-26T02:30:00", zone) is None  # fall-back hour: ambiguous
    assert local_to_utc("2026-03-29T02:30:00", zone) is None  # spring gap: never happened
    assert local_to_utc("2025-10-26T02:30:00+01:00", zone) == datetime(
        2025, 10, 26, 1, 30, tzinfo=UTC)
    assert ZoneInfo(zone).key == zone and date(2025, 10, 26).weekday() == 6


def test_device_ids_fit_the_contract() -> None:
    assert device_id_for("z2m", "0x00158D0001A2B3C4") == "z2m-0x00158d0001a2b3c4"
    assert device_id_for("z2m", "Floor 2/Room 2.14 PIR") == "z2m-floor-2-room-2-14-pir"
    long_a, long_b = device_id_for("z2m", "x" * 90 + "a"), device_id_for("z2m", "x" * 90 + "b")
    assert len(long_a) == 64 and long_a != long_b


def test_event_ids_are_unique_and_sortable() -> None:
    ids = [new_event_id() for _ in range(1000)]
    assert len(set(ids)) == 1000 and all(len(i) == 26 for i in ids)


def test_encode_count_event() -> None:
    event = CanonicalEvent(device_id="ttn-24e1641092176759", kind="count", occupied=None,
                           people_count=3, observed_at=datetime(2026, 3, 30, 7, 2, tzinfo=UTC),
                           adapter="ttn_v3", model="vs121", raw="x" * 10)
    topic, payload = encode(event, gateway_id="gw-plaza", event_id="E1", seq=7)
    body = json.loads(payload)
    assert topic == "hub/v1/gw/gw-plaza/dev/ttn-24e1641092176759/event"
    assert body["people_count"] == 3 and body["occupied"] is None and body["seq"] == 7
    assert body["observed_at"] == "2026-03-30T07:02:00.000Z"
    assert body["source"] == {"adapter": "ttn_v3", "model": "vs121", "raw": "x" * 10}
