"""Hold times, merged gaps, walk-throughs and unknown state (METRICS.md, debounce and hold)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.sensors.rules import (
    Reading,
    gateway_online,
    hold_for,
    sessions_from,
    state_now,
    vendor_timeout,
)

T = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def test_hold_times_follow_the_sensor_type_and_place() -> None:
    assert hold_for("pir", "room") == 10 * MIN
    assert hold_for("pir", "desk") == 15 * MIN
    assert 2 * MIN <= hold_for("radar", "desk") <= 5 * MIN
    assert 2 * MIN <= hold_for("counter", "room") <= 5 * MIN
    assert hold_for("pir", "room", hold_s=420) == 7 * MIN


def test_a_pir_keeps_the_room_occupied_for_the_hold_after_the_last_motion() -> None:
    readings = [Reading(T, True), Reading(T + 90 * timedelta(seconds=1), False)]
    [session] = sessions_from(1, readings, 10 * MIN, until=T + 60 * MIN,
                              timeout=vendor_timeout("pir"))
    # The vendor's 90 s timeout counts towards the hold, it is not added to it.
    assert (session.start, session.end) == (T, T + 10 * MIN)
    assert not session.walk_through


def test_gaps_shorter_than_the_hold_are_merged_and_longer_ones_are_not() -> None:
    # Detections 8 min apart (hold 10): one session. 15 min apart: the room was empty for
    # 5 min in between, as the live board showed; merging would stack the hold twice.
    readings = [Reading(T, True), Reading(T + 1 * MIN, False),
                Reading(T + 8 * MIN, True), Reading(T + 9 * MIN, False),
                Reading(T + 23 * MIN, True), Reading(T + 24 * MIN, False)]
    sessions = sessions_from(1, readings, 10 * MIN, until=T + 120 * MIN, timeout=MIN)
    assert [(s.start, s.end) for s in sessions] == [(T, T + 18 * MIN),
                                                    (T + 23 * MIN, T + 33 * MIN)]


def test_the_hold_follows_a_long_stretch_without_the_vendor_timeout_stacked() -> None:
    # Bridges send transitions only: a PIR says occupied at 9:00 and, 90 s after the last
    # motion, vacant at 9:47. The last motion was 9:45:30, so the room is held to 9:55:30.
    vacant = T + 47 * MIN
    readings = [Reading(T, True), Reading(vacant, False)]
    pir = {"hold": 10 * MIN, "timeout": vendor_timeout("pir")}
    [session] = sessions_from(1, readings, until=T + 120 * MIN, **pir)
    assert session.end == vacant + 10 * MIN - 90 * timedelta(seconds=1)
    live = {"last_state": False, "last_occupied_at": T, "last_state_at": vacant,
            "last_seen": vacant, "online": True, **pir}
    assert state_now(now=session.end - timedelta(seconds=1), **live) == "occupied"
    assert state_now(now=session.end, **live) == "vacant"
    # A radar reports vacant at once: its hold runs from the report.
    [radar] = sessions_from(1, readings, 3 * MIN, until=T + 120 * MIN,
                            timeout=vendor_timeout("radar"))
    assert radar.end == vacant + 3 * MIN


def test_short_sessions_are_walk_throughs() -> None:
    readings = [Reading(T, True), Reading(T + 1 * MIN, False)]
    [session] = sessions_from(1, readings, 3 * MIN, until=T + 60 * MIN)
    assert session.walk_through


def test_state_now_is_unknown_when_the_gateway_is_offline() -> None:
    values = {"last_state": True, "last_occupied_at": T, "last_seen": T, "hold": 10 * MIN,
              "now": T + MIN}
    assert state_now(online=True, **values) == "occupied"
    assert state_now(online=False, **values) == "unknown"


def test_state_now_holds_then_turns_vacant() -> None:
    values = {"last_state": False, "last_occupied_at": T, "last_seen": T + MIN,
              "hold": 10 * MIN, "online": True}
    assert state_now(now=T + 9 * MIN, **values) == "occupied"
    assert state_now(now=T + 11 * MIN, **values) == "vacant"


def test_a_gateway_is_stale_after_three_missed_heartbeats() -> None:
    assert gateway_online(state="online", last_heartbeat=T, since=T, now=T + 3 * MIN)
    assert not gateway_online(state="online", last_heartbeat=T, since=T,
                              now=T + 3 * MIN + timedelta(seconds=1))
    assert not gateway_online(state="offline", last_heartbeat=T, since=T, now=T)
