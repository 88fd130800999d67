"""Truth test 3: the sizing replay on cases with a known answer, and the bootstrap band."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.insights.plan import needed_at
from hub.insights.sizes import by_size, class_of_party, class_of_room
from hub.insights.sizing import Demand, curve, recommend, replay_levels, with_growth

MONDAY = datetime(2026, 1, 5, 8, tzinfo=UTC)


def weekly(week: int, hour: float, minutes: int = 60, people: int | None = None) -> Demand:
    start = MONDAY + timedelta(weeks=week, hours=hour)
    return Demand(start, start + timedelta(minutes=minutes), f"w{week:03d}", people)


def test_k_always_overlapping_requests_need_k_rooms() -> None:
    for k in (1, 3, 7):
        demands = [weekly(w, 1 + i * 0.1) for w in range(10) for i in range(k)]
        assert needed_at(demands, 0.99) == k
        assert curve(demands).refused_share(k - 1) == (1 / k if k > 1 else 1.0)


def test_requests_one_after_another_need_one_room() -> None:
    demands = [weekly(0, h) for h in range(8)]  # 08-09, 09-10, ... half-open: no overlap
    assert needed_at(demands, 0.99) == 1


def test_service_levels_on_a_known_history() -> None:
    # 19 weeks with one request, one week with three at once: 22 requests.
    demands = [weekly(w, 1) for w in range(19)] + [weekly(19, 1) for _ in range(3)]
    c = curve(demands)
    assert c.refused_share(1) == 2 / 22 and c.refused_share(2) == 1 / 22
    assert [r.count for r in recommend(c, (0.9, 0.95, 0.99))] == [1, 2, 3]


def test_the_refused_share_for_a_typed_count_never_rises_with_more_rooms() -> None:
    rng = random.Random(3)
    demands = [weekly(w, rng.uniform(0, 9), rng.choice((30, 60, 90)))
               for w in range(6) for _ in range(40)]
    c = curve(demands)
    shares = [c.refused_share(n) for n in range(c.max_needed + 2)]
    assert shares == sorted(shares, reverse=True) and shares[-1] == 0.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), min_size=1, max_size=30),
       st.integers(0, 6))
def test_one_replay_equals_a_replay_with_n_rooms(spans: list[tuple[int, int]], n: int) -> None:
    demands = [Demand(MONDAY + timedelta(minutes=15 * s),
                      MONDAY + timedelta(minutes=15 * (s + d)), "w") for s, d in spans]
    busy: list[datetime] = []
    refused = 0
    for d in sorted(demands, key=lambda d: (d.start, d.end)):
        busy = [e for e in busy if e > d.start]
        if len(busy) < n:
            busy.append(d.end)
        else:
            refused += 1
    assert sum(1 for level in replay_levels(demands) if level > n) == refused


def test_growth_adds_requests_where_the_peaks_were() -> None:
    demands = [weekly(w, 1 + i * 0.1) for w in range(4) for i in range(3)]
    grown = with_growth(demands, 1.0)
    assert len(grown) == 24 and needed_at(grown, 0.99) == 6
    assert len(with_growth(demands, 0.5)) in range(16, 21)


def _history(weeks: int, seed: int) -> list[Demand]:
    rng = random.Random(seed)
    out = []
    for w in range(weeks):
        busy = rng.choice((6, 10, 14))  # quiet, normal and busy weeks
        out += [weekly(w, rng.uniform(0, 2), 60) for _ in range(busy)]
    return out


def test_the_band_narrows_as_the_history_grows() -> None:
    def width(weeks: int) -> float:
        widths = []
        for seed in range(5):
            (rec,) = recommend(curve(_history(weeks, seed)), (0.95,))
            assert rec.low is not None and rec.high is not None
            assert rec.low <= rec.count <= rec.high
            widths.append(rec.high - rec.low)
        return sum(widths) / len(widths)

    assert width(52) < width(6)


def test_one_week_of_history_has_no_band() -> None:
    (rec,) = recommend(curve([weekly(0, 1), weekly(0, 1.5)]), (0.95,))
    assert (rec.count, rec.low, rec.high) == (2, None, None)


def test_rooms_by_size_class() -> None:
    assert [class_of_party(p) for p in (1, 2, 3, 4, 5, 9)] == [2, 2, 4, 4, 6, 6]
    assert [class_of_room(c) for c in (2, 3, 4, 5, 6, 12)] == [2, 2, 4, 4, 6, 6]
    # Every week: two conversations of two and a meeting of five at the same time.
    demands = [weekly(w, 1, people=p) for w in range(8) for p in (2, 2, 5)]
    need = {n.size: n for n in by_size(demands, [4, 4, 6, 12], 0.99)}
    assert {s: n.count for s, n in need.items()} == {2: 2, 4: 0, 6: 1}
    assert {s: n.current for s, n in need.items()} == {2: 0, 4: 2, 6: 2}
    assert need[2].requests == 16 and (need[6].low, need[6].high) == (1, 1)
