"""The outbox keeps events across restarts, replays them in order, and numbers them per device."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from firmware_bridge.events import CanonicalEvent
from firmware_bridge.outbox import Outbox

T0 = datetime(2026, 3, 30, 7, 2, 11, tzinfo=UTC)


def event(device: str = "z2m-0x00158d0001a2b3c4", occupied: bool = True) -> CanonicalEvent:
    return CanonicalEvent(device_id=device, kind="presence", occupied=occupied,
                          people_count=None, observed_at=T0, adapter="zigbee2mqtt")


def test_replay_after_restart_keeps_ids_times_and_order(tmp_path) -> None:
    path = tmp_path / "outbox.sqlite3"
    box = Outbox(path)
    ids = [box.add_event(event(occupied=i % 2 == 0), gateway_id="gw-1") for i in range(50)]
    box.close()

    reopened = Outbox(path)
    rows = reopened.pending(limit=1000)
    bodies = [json.loads(r.payload) for r in rows]
    assert [b["event_id"] for b in bodies] == ids
    assert [b["seq"] for b in bodies] == list(range(1, 51))
    assert {b["observed_at"] for b in bodies} == {"2026-03-30T07:02:11.000Z"}
    assert rows[0].topic == "hub/v1/gw/gw-1/dev/z2m-0x00158d0001a2b3c4/event"


def test_only_acknowledged_rows_leave(tmp_path) -> None:
    box = Outbox(tmp_path / "o.sqlite3")
    for _ in range(5):
        box.add_event(event(), gateway_id="gw-1")
    rows = box.pending()
    box.remove([rows[0].id, rows[2].id])
    assert [r.id for r in box.pending()] == [rows[1].id, rows[3].id, rows[4].id]
    assert [r.id for r in box.pending(after_id=rows[3].id)] == [rows[4].id]
    assert box.depth() == 3


def test_refused_rows_go_to_dead_letter(tmp_path) -> None:
    box = Outbox(tmp_path / "o.sqlite3")
    box.add_event(event(), gateway_id="gw-1")
    row = box.pending()[0]
    box.bury(row.id, "Not authorized")
    assert box.depth() == 0 and box.dead_count() == 1


def test_seq_is_per_device_and_survives_restart(tmp_path) -> None:
    path = tmp_path / "o.sqlite3"
    box = Outbox(path)
    box.add_event(event("a"), gateway_id="gw-1")
    box.add_event(event("b"), gateway_id="gw-1")
    box.close()
    box = Outbox(path)
    box.add_event(event("a"), gateway_id="gw-1")
    seqs = [(json.loads(r.payload)["device_id"], json.loads(r.payload)["seq"])
            for r in box.pending()]
    assert seqs == [("a", 1), ("b", 1), ("a", 2)]
