"""Truth test 2: a simulated building whose ground truth is known minute by minute.

Twelve rooms over eight weeks, bookings and sessions at arbitrary minutes (not on the 5-minute
grid), no-shows released at start + 15 minutes, sensor outages, people counts. The truth is
counted on a 1-minute grid here; the report's 5-minute slots must land within 1 point."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from hub.insights.facts import BookingFact, Facts, Known, Presence, Space, Viewer
from hub.insights.metrics import Occupancy
from hub.insights.window import open_days, weeks

FIRST, LAST = date(2026, 4, 6), date(2026, 5, 29)
ROOMS = [Space(i, "room", 4 if i % 3 else 8, f"r{i}", f"Room {i}", counting=i % 2 == 0)
         for i in range(1, 13)]
MINUTES = 600  # 08:00-18:00


class Truth:
    def __init__(self) -> None:
        self.arrays: dict[str, list[np.ndarray]] = {n: [] for n in
                                                    ("b", "p", "k", "n", "cap", "long")}
        self.bookings = self.no_shows = 0

    def add(self, **days: np.ndarray) -> None:
        for name, value in days.items():
            self.arrays[name].append(value)

    def share(self, num: np.ndarray, den: np.ndarray) -> float:
        return float(num.sum() / den.sum())


def _simulate(rng: random.Random):
    truth = Truth()
    bookings, presence, known = [], [], []
    for day in open_days(FIRST, LAST):
        at = lambda m, day=day: day.start + timedelta(minutes=m)  # noqa: E731
        for room in ROOMS:
            b, p, k, n, long = (np.zeros(MINUTES) for _ in range(5))
            k[:] = 1
            if rng.random() < 0.15:  # an outage: unknown, not vacant
                lo = rng.randrange(0, 500)
                hi = lo + rng.randrange(30, 240)
                k[lo:hi] = 0
                known += [Known(room.id, at(0), at(lo)), Known(room.id, at(min(hi, 600)), at(600))]
            else:
                known.append(Known(room.id, at(0), at(600)))
            cursor = rng.randrange(0, 60)
            while cursor < 540:
                length = rng.randrange(20, 120)
                end = min(cursor + length, 600)
                if rng.random() < 0.7:
                    _book(rng, truth, bookings, presence, room, at, cursor, end, b, p, n, long)
                else:  # unbooked use of 15+ minutes, or nobody
                    if rng.random() < 0.4:
                        people = rng.randint(1, room.capacity)
                        presence.append(Presence(room.id, at(cursor), at(end), people))
                        p[cursor:end], n[cursor:end], long[cursor:end] = 1, people, 1
                cursor = end + rng.randrange(0, 50)
            cap = np.full(MINUTES, room.capacity if room.counting else 0)
            truth.add(b=b, p=p, k=k, n=n * room.counting, cap=cap, long=long)
    return truth, bookings, presence, known


def _book(rng, truth, bookings, presence, room, at, start, end, b, p, n, long) -> None:
    truth.bookings += 1
    i = len(bookings) + 1
    if rng.random() < 0.15:  # no-show: nobody came, released a quarter of an hour in
        truth.no_shows += 1
        release = min(start + 15, end)
        bookings.append(BookingFact(i, room.id, 1, at(start), at(end), "released",
                                    at(0) - timedelta(days=2), released_at=at(release)))
        b[start:release] = 1
        return
    checked = at(start + 1) if rng.random() < 0.7 else None
    bookings.append(BookingFact(i, room.id, 1, at(start), at(end), "completed",
                                at(0) - timedelta(days=2), checked_in_at=checked))
    b[start:end] = 1
    s, e = start + rng.randrange(0, 10), end - rng.randrange(0, 10)
    if e - s >= 10:
        people = rng.randint(1, room.capacity)
        presence.append(Presence(room.id, at(s), at(e), people))
        p[s:e], n[s:e], long[s:e] = 1, people, 1


@pytest.fixture(scope="module")
def simulated():
    truth, bookings, presence, known = _simulate(random.Random(2026))
    occupancy = Occupancy(ROOMS, now=datetime(2026, 6, 1, tzinfo=UTC), viewer=Viewer(99))
    for chunk in weeks(open_days(FIRST, LAST)):
        lo, hi = chunk[0].start, chunk[-1].end
        occupancy.add(Facts(chunk, [b for b in bookings if b.start < hi and b.end > lo],
                            [s for s in presence if s.start < hi and s.end > lo],
                            [k for k in known if k.start < hi and k.end > lo]))
    t = {name: np.concatenate(v) for name, v in truth.arrays.items()}
    return truth, t, dict(occupancy.rows("kind"))["room"]


def test_simulated_building_within_one_point(simulated) -> None:
    truth, t, room = simulated
    b, p, k, n, cap, long = (t[x] for x in ("b", "p", "k", "n", "cap", "long"))
    expected = {
        "booked_share": b.mean(),
        "used_share": truth.share(p * k, k),
        "coverage": k.mean(),
        "unused_booked_time": truth.share(b * (1 - p) * k, b * k),
        "unbooked_use": truth.share(long * (1 - b) * k, p * k),
        "capacity_utilisation": truth.share(n * k, cap * k),
        "no_show_rate": truth.no_shows / truth.bookings,
    }
    for name, value in expected.items():
        assert room[name] == pytest.approx(value, abs=0.01), name
    assert 0.2 < expected["used_share"] < 0.8  # a real mix, not a trivial building
