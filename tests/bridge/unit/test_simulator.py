"""The simulated building looks like a working day and plays at the configured speed."""

from __future__ import annotations

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from firmware_bridge.config_sim import SimDevice, SimulateConfig
from firmware_bridge.simulator import Simulator, plan_day

AMS = ZoneInfo("Europe/Amsterdam")
ROOM = SimDevice("sim-spreekkamer-1", "count", "room", 8)
DESK = SimDevice("sim-desk-1", "presence", "desk", 1)
SPOT = SimDevice("sim-landing-1", "motion", "landing_spot", 1)


def test_a_weekday_has_arrivals_a_lunch_dip_and_empty_evenings() -> None:
    rng = random.Random(7)
    desks = [SimDevice(f"sim-desk-{i}", "presence", "desk", 1) for i in range(40)]
    steps = plan_day(desks, date(2026, 3, 30), AMS, rng)
    occupied_at = {h: 0 for h in (8, 10, 12.5, 15, 20)}
    for hour in occupied_at:
        at = datetime(2026, 3, 30, int(hour), int(hour % 1 * 60), tzinfo=AMS)
        state: dict[str, bool] = {}
        for step in steps:
            if step.at <= at:
                state[step.device.device_id] = step.occupied
        occupied_at[hour] = sum(state.values())
    assert occupied_at[10] > occupied_at[8]
    assert occupied_at[12.5] < occupied_at[10] and occupied_at[12.5] < occupied_at[15]
    assert occupied_at[20] == 0
    assert 0 < len({s.device.device_id for s in steps}) < 40  # some no-shows


def test_weekend_is_quiet_and_counts_stay_within_capacity() -> None:
    assert plan_day([ROOM, DESK], date(2026, 3, 28), AMS, random.Random(1)) == []
    steps = plan_day([ROOM] * 5, date(2026, 3, 30), AMS, random.Random(2))
    assert steps and all(0 <= s.people <= 8 for s in steps)


def test_runner_emits_with_real_now_and_follows_speed() -> None:
    now = [0.0]
    got = []
    config = SimulateConfig(speed=3600, start=datetime(2026, 3, 30, 7, 0, tzinfo=AMS),
                            timezone="Europe/Amsterdam", seed=3, devices=(ROOM, DESK, SPOT))
    sim = Simulator(config, lambda events: got.extend(events), clock=lambda: now[0])

    def advance(_timeout: float | None = None) -> bool:
        now[0] += 1.0  # each wait moves the fake clock one real second = one simulated hour
        if now[0] > 13:
            sim.stop_event.set()
        return sim.stop_event.is_set()

    sim.stop_event.wait = advance  # type: ignore[method-assign]
    sim.run()
    assert len(got) > 3
    assert {e.adapter for e in got} == {"simulator"}
    first = got[0].observed_at
    assert abs((datetime.now(first.tzinfo) - first).total_seconds()) < 60
    assert {e.device_id for e in got} == {"sim-spreekkamer-1", "sim-desk-1", "sim-landing-1"}
