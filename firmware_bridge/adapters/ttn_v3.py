"""The Things Stack v3 uplinks of PIR and people-counting sensors (sensors.md 1.6)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from firmware_bridge.adapters.base import (
    Adapter,
    AdapterError,
    AdapterOptions,
    Outcome,
    SourceState,
    VendorMessage,
    battery,
    load_object,
    on_change,
    parse_instant,
    pick_time,
    raw_of,
    unchanged,
    unusable,
)
from firmware_bridge.adapters.lorawan_codecs import (
    Decoded,
    decode_elsys,
    decode_vs121,
    decode_ws202,
)
from firmware_bridge.events import CanonicalEvent, Kind, TimeSource, device_id_for

NAME = "ttn_v3"
PREFIX = "ttn"
# Model ids of The Things Network device repository (vendor/elsys/index.yaml): the EMS
# family (ems-desk!) and the ELT family speak the same TLV as the ERS family.
ELSYS_MODELS = frozenset({
    "ers", "ers-co2", "ers-co2-lite", "ers-desk", "ers-eye", "ers-lite", "ers-sound",
    "ers-voc", "ems", "ems-desk", "ems-door", "ems-lite", "elt-2", "elt2", "elt-lite",
    "elt-ultrasonic",
})


@dataclass(frozen=True, slots=True)
class Uplink:
    """The parts of a TTS uplink the mapping needs."""

    device_id: str
    model: str | None
    brand: str | None
    frame: bytes
    decoded: dict[str, Any]
    normalized: list[Any]
    observed_at: datetime
    time_source: TimeSource
    frame_key: str


def subscriptions(options: AdapterOptions) -> list[str]:
    """Uplinks of every device of the application(s) the credentials give access to."""
    return [f"{options.base_topic}/devices/+/up" if options.base_topic else "v3/+/devices/+/up"]


def adapt(msg: VendorMessage, state: SourceState, options: AdapterOptions) -> Outcome:
    """Map one uplink to presence, motion or count events; duplicates and repeats are dropped."""
    if not msg.topic.endswith("/up") or "/devices/" not in msg.topic:
        return unchanged(state)
    up = _uplink(msg)
    last = state.device(up.device_id)
    if last.last_frame == up.frame_key:
        return unchanged(state)  # the same uplink again (QoS 0 redelivery, replay)
    state = state.with_device(up.device_id, replace(last, last_frame=up.frame_key))
    if not up.model and not up.decoded and not up.normalized:
        return unusable(state, "unsupported_model")  # nothing says what the bytes mean
    model = (up.model or _guess_model(up)).lower()
    if model == "vs121":
        return _vs121(msg, state, up)
    if model == "ws202":
        return _ws202(msg, state, up)
    if model in ELSYS_MODELS or up.brand == "elsys" or model == "elsys":
        return _elsys(msg, state, up)
    if model == "tbms100":
        return _browan(msg, state, up)
    return _normalized(msg, state, up)


def _pick(up: Uplink, raw: Decoded, wanted: tuple[str, ...],
          prefer_raw: bool) -> dict[str, Any] | None:
    """The first of our own decode and the network's decoded payload that has a wanted
    field; None when neither has one (then the frame is counted when ours stopped early)."""
    ordered = (raw.values, up.decoded) if prefer_raw else (up.decoded, raw.values)
    for values in ordered:
        if any(values.get(key) is not None for key in wanted):
            return values
    return None


def _nothing(state: SourceState, raw: Decoded) -> Outcome:
    # A whole frame with no presence field (a power-on or battery frame) is not news;
    # a frame our decoder could not read to its end, with no decoded payload, is counted.
    return unchanged(state) if raw.complete else unusable(state, "undecodable_frame")


def _uplink(msg: VendorMessage) -> Uplink:
    data = load_object(msg.payload)
    ids, up = data.get("end_device_ids"), data.get("uplink_message")
    if not isinstance(ids, dict) or not isinstance(up, dict):
        raise AdapterError("an uplink needs end_device_ids and uplink_message objects")
    native = ids.get("dev_eui") or ids.get("device_id")
    if not isinstance(native, str) or not native:
        raise AdapterError("end_device_ids has neither dev_eui nor device_id")
    try:
        frame = base64.b64decode(str(up.get("frm_payload") or ""), validate=True)
    except (binascii.Error, ValueError):
        raise AdapterError("frm_payload is not base64") from None
    versions = up.get("version_ids")
    model = versions.get("model_id") if isinstance(versions, dict) else None
    brand = versions.get("brand_id") if isinstance(versions, dict) else None
    decoded = up.get("decoded_payload")
    normalized = up.get("normalized_payload")
    lns_time = parse_instant(up.get("received_at") or data.get("received_at"))
    observed_at, source = pick_time(lns_time, msg.received_at, "lns")
    # TTS leaves out zero values, so a missing f_cnt is 0.
    key = f"{up.get('session_key_id')}:{up.get('f_cnt', 0)}"
    return Uplink(
        device_id=device_id_for(PREFIX, native), model=model if isinstance(model, str) else None,
        brand=brand.lower() if isinstance(brand, str) else None, frame=frame,
        decoded=decoded if isinstance(decoded, dict) else {},
        normalized=normalized if isinstance(normalized, list) else [],
        observed_at=observed_at, time_source=source, frame_key=key,
    )


def _guess_model(up: Uplink) -> str:
    fields = set(up.decoded)
    if fields & {"people_count_all", "people_counter_all"}:
        return "vs121"
    if "pir" in fields:
        return "ws202"
    if fields & {"occupancy", "motion"}:
        return "elsys"
    if {"status", "count"} <= fields:
        return "tbms100"
    return "unknown"


def _event(msg: VendorMessage, up: Uplink, kind: Kind, *, occupied: bool | None = None,
           people: int | None = None, battery_pct: int | None = None) -> CanonicalEvent:
    return CanonicalEvent(
        device_id=up.device_id, kind=kind, occupied=occupied, people_count=people,
        observed_at=up.observed_at, observed_at_source=up.time_source, adapter=NAME,
        battery_pct=battery_pct, model=up.model, raw=raw_of(msg), vendor_topic=msg.topic,
    )


def _vs121(msg: VendorMessage, state: SourceState, up: Uplink) -> Outcome:
    # The TTN repository decoder gets regions wrong ((region > idx) & 1): read the bytes.
    raw = decode_vs121(up.frame)
    values = _pick(up, raw, ("people_count_all", "people_counter_all"), prefer_raw=True)
    if values is None:
        return _nothing(state, raw)
    people = values.get("people_count_all", values.get("people_counter_all"))
    if isinstance(people, bool) or not isinstance(people, int) or not 0 <= people <= 100_000:
        return unchanged(state)  # a configuration or line-crossing frame, no count
    last = state.device(up.device_id)
    if last.people_count == people:
        return unchanged(state)
    new_state = state.with_device(up.device_id, replace(last, people_count=people))
    return Outcome((_event(msg, up, "count", people=people),), new_state)


def _ws202(msg: VendorMessage, state: SourceState, up: Uplink) -> Outcome:
    raw = decode_ws202(up.frame)
    values = _pick(up, raw, ("pir",), prefer_raw=False)
    if values is None:
        return _nothing(state, raw)
    pir = values.get("pir")
    if pir not in ("trigger", "normal"):
        return unchanged(state)
    occupied = pir == "trigger"
    pct = battery(values.get("battery"))
    return on_change(state, _event(msg, up, "presence", occupied=occupied, battery_pct=pct))


def _elsys(msg: VendorMessage, state: SourceState, up: Uplink) -> Outcome:
    raw = decode_elsys(up.frame)
    values = _pick(up, raw, ("occupancy", "motion"), prefer_raw=False)
    if values is None:
        return _nothing(state, raw)
    occupancy, motion = values.get("occupancy"), values.get("motion")
    if occupancy is not None:  # ERS Desk / Eye: occupancy wins over the PIR count
        if occupancy not in (0, 2):  # 1 is "movement, pending": wait for the sensor
            return unchanged(state)
        return on_change(state, _event(msg, up, "presence", occupied=occupancy == 2))
    if isinstance(motion, int) and not isinstance(motion, bool) and motion >= 0:
        last = state.device(up.device_id)
        # Motion is a count per interval: every interval with motion is news, quiet only once.
        if motion == 0 and last.occupied is not True:
            return unchanged(state)
        new_state = state.with_device(up.device_id, replace(last, occupied=motion > 0))
        return Outcome((_event(msg, up, "motion", occupied=motion > 0),), new_state)
    return unchanged(state)


def _browan(msg: VendorMessage, state: SourceState, up: Uplink) -> Outcome:
    status = up.decoded.get("status")
    if isinstance(status, bool) or not isinstance(status, int):
        return unchanged(state)
    occupied = bool(status & 1)
    return on_change(state, _event(msg, up, "presence", occupied=occupied))


def _normalized(msg: VendorMessage, state: SourceState, up: Uplink) -> Outcome:
    for item in up.normalized:
        action = item.get("action") if isinstance(item, dict) else None
        motion = action.get("motion") if isinstance(action, dict) else None
        detected = motion.get("detected") if isinstance(motion, dict) else None
        if isinstance(detected, bool):
            return on_change(state, _event(msg, up, "motion", occupied=detected))
    return unusable(state, "unsupported_model")


ADAPTER = Adapter(name=NAME, adapt=adapt, transport="mqtt", subscriptions=subscriptions)
