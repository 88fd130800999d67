"""Load the captured vendor fixtures in tests/fixtures/vendor/ and run them through adapters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from firmware_bridge.adapters import AdapterOptions, SourceState, VendorMessage, get_adapter
from firmware_bridge.events import CanonicalEvent

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vendor"
DEFAULT_RECEIVED_AT = "2026-03-30T07:02:12Z"


@dataclass(frozen=True)
class VendorFixture:
    path: Path
    adapter: str
    options: AdapterOptions
    messages: list[VendorMessage]
    expect: list[dict[str, Any]]
    unsupported: list[str]  # reasons the adapter counts, in message order

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"


def _payload(raw: Any) -> bytes:
    if isinstance(raw, str):
        return raw.encode("utf-8")
    return json.dumps(raw).encode("utf-8")


def load(path: Path) -> VendorFixture:
    data = json.loads(path.read_text(encoding="utf-8"))
    messages = [
        VendorMessage(
            topic=m["topic"],
            payload=_payload(m["payload"]),
            received_at=datetime.fromisoformat(m.get("received_at", DEFAULT_RECEIVED_AT)),
            retained=m.get("retained", False),
        )
        for m in data["messages"]
    ]
    assert data.get("source"), f"{path.name}: cite where the message shapes come from"
    return VendorFixture(path, data["adapter"], AdapterOptions(**data.get("options", {})),
                         messages, data["expect"], data.get("unsupported", []))


def all_fixtures() -> list[VendorFixture]:
    return [load(p) for p in sorted(FIXTURES.glob("*/*.json"))]


def run(fixture: VendorFixture) -> list[CanonicalEvent]:
    """Feed every message in order, threading the adapter state; collect the events."""
    return run_counting(fixture)[0]


def run_counting(fixture: VendorFixture) -> tuple[list[CanonicalEvent], list[str]]:
    """The events and the unsupported reasons the adapter gave, message by message."""
    adapter = get_adapter(fixture.adapter)
    state = SourceState()
    events: list[CanonicalEvent] = []
    unsupported: list[str] = []
    for message in fixture.messages:
        outcome = adapter.adapt(message, state, fixture.options)
        events.extend(outcome.events)
        if outcome.unsupported:
            unsupported.append(outcome.unsupported)
        state = outcome.state
    return events, unsupported
