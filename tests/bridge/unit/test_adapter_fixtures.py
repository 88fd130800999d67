"""Every captured vendor payload gives exactly the events its fixture expects."""

from __future__ import annotations

import pytest

from firmware_bridge.adapters import ADAPTERS
from firmware_bridge.events import RAW_CAP, rfc3339
from tests.bridge.vendor_fixtures import all_fixtures, run_counting

FIXTURES = all_fixtures()


def test_every_adapter_has_fixtures() -> None:
    assert {f.adapter for f in FIXTURES} == set(ADAPTERS)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.id)
def test_fixture_gives_expected_events(fixture) -> None:
    events, unsupported = run_counting(fixture)
    got = []
    for event, want in zip(events, fixture.expect, strict=False):
        view = {
            "device_id": event.device_id, "kind": event.kind, "occupied": event.occupied,
            "people_count": event.people_count, "model": event.model,
            "battery_pct": event.battery_pct, "observed_at": rfc3339(event.observed_at),
            "observed_at_source": event.observed_at_source,
            "sensor_type": event.sensor_type, "vendor_timeout_s": event.vendor_timeout_s,
        }
        got.append({key: view[key] for key in want})
    assert got == fixture.expect
    assert len(events) == len(fixture.expect)
    assert unsupported == fixture.unsupported  # what the bridge's heartbeat counts
    for event in events:
        assert event.adapter == fixture.adapter
        assert 0 < len(event.raw) <= RAW_CAP
