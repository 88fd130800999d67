"""Insights benchmark: the occupancy report and the sizing (with its bootstrap) over one and
two years of a 60-resource building, computed from generated facts, week by week.

`python -m bench` prints the figures and the two-year/one-year ratio (linear growth: ~2)."""

from __future__ import annotations

import random
import time
import tracemalloc
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hub.insights.facts import BookingFact, Facts, Known, Presence, Refusal, Space, Viewer
from hub.insights.metrics import Occupancy
from hub.insights.plan import demand_for, sizing
from hub.insights.window import open_days, weeks

FIRST = date(2024, 1, 1)


def spaces() -> list[Space]:
    rooms = [Space(i, "room", (2, 4, 6, 12)[i % 4], f"room-{i}", floor_id=1, counting=i < 3)
             for i in range(1, 13)]
    desks = [Space(100 + i, "desk", 1, f"desk-{i}", floor_id=2) for i in range(40)]
    spots = [Space(200 + i, "landing_spot", 1, f"spot-{i}", floor_id=0) for i in range(8)]
    return rooms + desks + spots


def week_facts(rng: random.Random, chunk: list, all_spaces: list[Space]) -> Facts:
    facts = Facts(chunk)
    for day in chunk:
        for s in all_spaces:
            facts.known.append(Known(s.id, day.start, day.end) if rng.random() > 0.03 else
                               Known(s.id, day.start, day.start + timedelta(hours=3)))
            if s.kind == "room":
                _room_day(rng, facts, s, day)
            elif rng.random() < 0.6:
                _place_day(rng, facts, s, day)
        for _ in range(rng.randint(0, 3)):
            start = day.start + timedelta(hours=rng.randint(1, 8))
            facts.refusals.append(Refusal(start - timedelta(days=1), "room", start,
                                          start + timedelta(hours=1), 1, rng.randint(1, 6)))
    return facts


def _booking(rng: random.Random, facts: Facts, s: Space, start, end) -> None:
    no_show = rng.random() < 0.12
    status = "released" if no_show else "completed"
    facts.bookings.append(BookingFact(
        len(facts.bookings) + 1, s.id, rng.randint(1, 25), start, end, status,
        start - timedelta(days=rng.randint(1, 10)),
        checked_in_at=None if no_show else start,
        released_at=start + timedelta(minutes=15) if no_show else None,
        attendees=rng.randint(1, s.capacity) if s.kind == "room" else None))
    if not no_show:
        facts.presence.append(Presence(s.id, start + timedelta(minutes=rng.randint(0, 9)),
                                       end - timedelta(minutes=rng.randint(0, 9)),
                                       rng.randint(1, s.capacity)))


def _room_day(rng: random.Random, facts: Facts, s: Space, day) -> None:
    cursor = day.start + timedelta(minutes=15 * rng.randint(0, 4))
    while cursor < day.end - timedelta(hours=1):
        length = timedelta(minutes=15 * rng.randint(2, 8))
        if rng.random() < 0.55:
            _booking(rng, facts, s, cursor, min(cursor + length, day.end))
        cursor += length + timedelta(minutes=15 * rng.randint(0, 3))


def _place_day(rng: random.Random, facts: Facts, s: Space, day) -> None:
    part = rng.choice(((0, 270), (270, 600), (0, 600)))
    _booking(rng, facts, s, day.start + timedelta(minutes=part[0]),
             day.start + timedelta(minutes=part[1]))


@dataclass
class Result:
    name: str
    weeks: int
    bookings: int
    seconds: float  # wall clock
    cpu: float      # process CPU time: the figure that holds on a shared, busy machine
    peak_mib: float = 0.0


class Timer:
    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def generate(years: int) -> list[Facts]:
    rng = random.Random(60)
    last = FIRST + timedelta(days=365 * years - 1)
    all_spaces = spaces()
    return [week_facts(rng, chunk, all_spaces) for chunk in weeks(open_days(FIRST, last))]


def run_one(years: int) -> list[Result]:
    """Compute only, from facts in memory: the report streams week by week, so its peak
    memory is one week's grid, whatever the period (tracemalloc measures it)."""
    chunks = generate(years)
    all_spaces = spaces()
    now = chunks[-1].days[-1].end + timedelta(days=1)
    bookings = sum(len(c.bookings) for c in chunks)
    out = []
    with Timer() as t:
        occupancy = Occupancy(all_spaces, now=now, viewer=Viewer(None))
        for chunk in chunks:
            occupancy.add(chunk)
        for grouping in ("kind", "resource", "organisation", "weekday_hour"):
            occupancy.rows(grouping)
    out.append(Result(f"occupancy report (compute), {years} y", len(chunks), bookings,
                      t.wall, t.cpu, _peak(all_spaces, chunks, now)))
    with Timer() as t:
        for kind in ("room", "desk", "landing_spot"):
            demand = demand_for(kind, all_spaces, [b for c in chunks for b in c.bookings],
                                [p for c in chunks for p in c.presence],
                                [r for c in chunks for r in c.refusals], now=now)
            sizing(kind, all_spaces, demand, count=8)
    out.append(Result(f"sizing + bootstrap (compute), 3 kinds, {years} y", len(chunks),
                      bookings, t.wall, t.cpu))
    return out


def _peak(all_spaces: list[Space], chunks: list[Facts], now: object) -> float:
    """Peak memory the report itself allocates while streaming the weeks."""
    tracemalloc.start()
    occupancy = Occupancy(all_spaces, now=now, viewer=Viewer(None))  # type: ignore[arg-type]
    for chunk in chunks:
        occupancy.add(chunk)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def run(folder: Path | None = None) -> list[Result]:
    """Compute-only figures, and (with a folder) the same from SQLite through the loaders."""
    results = run_one(1) + run_one(2)
    if folder is not None:
        from bench import insights_db

        results += insights_db.run(folder)
    return results


def table(results: list[Result]) -> str:
    """Figures and the two-year / one-year ratio per figure (linear growth: about 2)."""
    one = {r.name.rsplit(",", 1)[0]: r for r in results if r.name.endswith("1 y")}
    lines = [f"{'what':<58} {'wall s':>7} {'cpu s':>7} {'2y/1y cpu':>9} {'peak MiB':>9}"]
    for r in results:
        base = one.get(r.name.rsplit(",", 1)[0])
        ratio = f"{r.cpu / base.cpu:.2f}" if base is not None and base is not r else ""
        peak = f"{r.peak_mib:.1f}" if r.peak_mib else ""
        lines.append(f"{r.name:<58} {r.seconds:>7.2f} {r.cpu:>7.2f} {ratio:>9} {peak:>9}")
    return "\n".join(lines)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hub-bench-insights-") as d:
        print(table(run(Path(d))))
