"""Random junk never makes an adapter raise anything but AdapterError."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firmware_bridge.adapters import ADAPTERS, AdapterError, SourceState, VendorMessage
from firmware_bridge.adapters.base import AdapterOptions
from firmware_bridge.events import NAME_RE
from tests.bridge.vendor_fixtures import all_fixtures

T0 = datetime(2026, 3, 30, 7, 2, 12, tzinfo=UTC)
TOPICS = sorted({m.topic for f in all_fixtures() for m in f.messages})
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=6),
    max_leaves=20,
)
KEYS = st.sampled_from(["occupancy", "battery", "last_seen", "Time", "Switch1", "motion",
                        "timestamp", "src", "method", "params", "uplink_message",
                        "end_device_ids", "state", "device_class", "state_topic", "bat"])
LIKELY = st.dictionaries(KEYS, JSON, max_size=6).map(lambda d: json.dumps(d).encode())
PAYLOADS = st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()) | LIKELY


@pytest.mark.parametrize("name", sorted(ADAPTERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(topic=st.sampled_from(TOPICS) | st.text(max_size=40), payload=PAYLOADS)
def test_junk_gives_events_or_adapter_error(name: str, topic: str, payload: bytes) -> None:
    adapter = ADAPTERS[name]
    message = VendorMessage(topic, payload, T0)
    try:
        outcome = adapter.adapt(message, SourceState(), AdapterOptions())
    except AdapterError:
        return
    for event in outcome.events:
        assert NAME_RE.match(event.device_id)
        assert (event.people_count is not None) == (event.kind == "count")
