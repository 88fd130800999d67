"""A realistic simulated building day for the demo: arrivals, a lunch dip, meetings that
start late or end early, no-shows, and quiet weekends. The pattern is planned purely from a
seeded random generator; the runner plays it at `speed` simulated seconds per real second.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from firmware_bridge.config_sim import SimDevice, SimulateConfig
from firmware_bridge.events import CanonicalEvent

Interval = tuple[datetime, datetime, int]  # start, end, people
MAX_WAIT = 0.5  # real seconds between clock checks, so stop() is quick


@dataclass(frozen=True, slots=True)
class Step:
    """One planned change of a simulated sensor."""

    at: datetime
    device: SimDevice
    occupied: bool
    people: int


def _at(day: date, zone: ZoneInfo, hour: float) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=zone) + timedelta(hours=hour)


def room_intervals(rng: random.Random, day: date, zone: ZoneInfo, capacity: int) -> list[Interval]:
    """Meetings on the half hour; fewer over lunch; some booked but never attended."""
    out: list[Interval] = []
    slot = 8.5
    while slot < 17.5:
        lunch = 12.0 <= slot < 13.0
        if rng.random() < (0.15 if lunch else 0.5):
            length = rng.choice([0.5, 1.0, 1.0, 1.5, 2.0])
            if rng.random() >= 0.15:  # else a no-show: booked, nobody came
                start = _at(day, zone, slot) + timedelta(minutes=rng.randint(0, 10))
                end = _at(day, zone, slot + length) - timedelta(minutes=rng.randint(0, 12))
                out.append((start, max(end, start + timedelta(minutes=10)),
                            rng.randint(min(2, capacity), capacity)))
            slot += length
        else:
            slot += 0.5
    return out


def desk_intervals(rng: random.Random, day: date, zone: ZoneInfo, capacity: int) -> list[Interval]:
    """Arrive around nine, lunch away, leave around five; one in five days nobody comes."""
    if rng.random() < 0.2:
        return []
    arrive = min(max(rng.gauss(9.0, 0.6), 7.5), 11.0)
    leave = min(max(rng.gauss(17.0, 0.7), 14.5), 19.0)
    lunch = rng.uniform(12.0, 12.75)
    back = lunch + rng.uniform(0.4, 0.9)
    return [(_at(day, zone, arrive), _at(day, zone, lunch), 1),
            (_at(day, zone, back), _at(day, zone, leave), 1)]


def landing_intervals(rng: random.Random, day: date, zone: ZoneInfo,
                      capacity: int) -> list[Interval]:
    """Short visits by people passing through, now and then."""
    out: list[Interval] = []
    hour = rng.uniform(8.5, 10.5)
    while hour < 17.0 and rng.random() < 0.7:
        length = rng.uniform(0.75, 3.0)
        out.append((_at(day, zone, hour), _at(day, zone, min(hour + length, 18.0)), 1))
        hour += length + rng.uniform(0.25, 2.0)
    return out


PROFILES = {"room": room_intervals, "desk": desk_intervals, "landing_spot": landing_intervals}


def _steps(device: SimDevice, intervals: list[Interval], rng: random.Random) -> list[Step]:
    steps: list[Step] = []
    for start, end, people in intervals:
        steps.append(Step(start, device, True, people))
        if device.kind == "count":  # people come and go during a meeting
            at = start + timedelta(minutes=rng.randint(8, 20))
            while at < end - timedelta(minutes=5):
                people = max(1, min(device.capacity, people + rng.choice([-1, 0, 1])))
                steps.append(Step(at, device, True, people))
                at += timedelta(minutes=rng.randint(8, 20))
        elif device.kind == "motion":  # a PIR fires now and then while someone is there
            at = start + timedelta(minutes=rng.randint(3, 9))
            while at < end:
                steps.append(Step(at, device, True, people))
                at += timedelta(minutes=rng.randint(3, 9))
        steps.append(Step(end, device, False, 0))
    return steps


def plan_day(devices: Sequence[SimDevice], day: date, zone: ZoneInfo,
             rng: random.Random) -> list[Step]:
    """Every sensor change of one day, in time order; weekends stay empty."""
    if day.weekday() >= 5:
        return []
    steps: list[Step] = []
    for device in devices:
        intervals = PROFILES[device.profile](rng, day, zone, device.capacity)
        steps.extend(_steps(device, intervals, rng))
    return sorted(steps, key=lambda s: s.at)


def to_event(step: Step, now: datetime) -> CanonicalEvent:
    """A simulated step as a canonical event observed now (so the hub shows live state)."""
    count = step.device.kind == "count"
    return CanonicalEvent(
        device_id=step.device.device_id, kind=step.device.kind,
        occupied=None if count else step.occupied,
        people_count=(step.people if step.occupied else 0) if count else None,
        observed_at=now, observed_at_source="bridge", adapter="simulator",
        model=f"sim-{step.device.profile}", raw=f"simulated {step.at.isoformat()}",
    )


class Simulator:
    """Plays planned days at `speed`, handing each step's event to `sink`."""

    def __init__(self, config: SimulateConfig, sink: Callable[[Sequence[CanonicalEvent]], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self.sink = sink
        self.clock = clock
        self.zone = ZoneInfo(config.timezone)
        self.rng = random.Random(config.seed)
        self.stop_event = threading.Event()
        self.emitted = 0

    def run(self) -> None:
        """Run until stop_event is set; starts every sensor off as empty."""
        sim_start = self.config.start or datetime.now(self.zone)
        real_start = self.clock()
        self._emit([Step(sim_start, d, False, 0) for d in self.config.devices])
        day = sim_start.date()
        while not self.stop_event.is_set():
            plan = [s for s in plan_day(self.config.devices, day, self.zone, self.rng)
                    if s.at >= sim_start]
            for step in plan:
                if not self._wait_until(step.at, sim_start, real_start):
                    return
                self._emit([step])
            day += timedelta(days=1)
            if not self._wait_until(_at(day, self.zone, 0), sim_start, real_start):
                return

    def _wait_until(self, at: datetime, sim_start: datetime, real_start: float) -> bool:
        while not self.stop_event.is_set():
            sim_now = sim_start + timedelta(seconds=(self.clock() - real_start) * self.config.speed)
            ahead = (at - sim_now).total_seconds() / self.config.speed
            if ahead <= 0:
                return True
            self.stop_event.wait(min(ahead, MAX_WAIT))
        return False

    def _emit(self, steps: list[Step]) -> None:
        now = datetime.now(UTC)
        self.sink([to_event(s, now) for s in steps])
        self.emitted += len(steps)
