"""Truth test 1: a small hand-computed building, every METRICS.md figure exact.

One Monday (08:00-18:00, 120 five-minute slots), two rooms and a desk:
- room A (capacity 4, people counter, sensor known all day), room B (capacity 2, PIR, sensor
  known 08:00-13:00 only), desk C (no sensor);
- organisation 10 and 20; the figures below are worked out by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hub.insights.facts import PRIVATE, BookingFact, Facts, Known, Presence, Refusal, Space, Viewer
from hub.insights.metrics import Occupancy, percentile
from hub.insights.window import open_days

DAY = date(2026, 3, 2)  # a Monday, winter time: local = UTC + 1
A = Space(1, "room", 4, "a", "Room A", floor_id=1, counting=True)
B = Space(2, "room", 2, "b", "Room B", floor_id=1)
C = Space(3, "desk", 1, "c", "Desk C", floor_id=2)


def at(hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 3, 2, hh - 1, mm, tzinfo=UTC)  # local hh:mm


def booking(i: int, room: Space, org: int, start: datetime, end: datetime, status: str,
            **extra: object) -> BookingFact:
    return BookingFact(i, room.id, org, start, end, status, created_at=at(8) .replace(day=1),
                       **extra)  # type: ignore[arg-type]


BOOKINGS = [
    booking(1, A, 10, at(9), at(10), "completed", checked_in_at=at(9, 2)),
    booking(2, A, 20, at(11), at(12), "released", released_at=at(11, 15)),
    booking(3, B, 10, at(9), at(11), "completed"),  # no check-in, but presence at 09:10
    booking(4, B, 20, at(14), at(15), "completed", checked_in_at=at(14)),
    booking(5, C, 10, at(8), at(12, 30), "completed", checked_in_at=at(8, 5)),
    booking(6, A, 10, at(15), at(16), "cancelled", cancelled_at=at(8)),
]
PRESENCE = [
    Presence(1, at(9, 5), at(9, 55), people=3),
    Presence(1, at(13), at(13, 30), people=2),            # unbooked, 30 minutes
    Presence(1, at(11, 30), at(11, 33), walk_through=True),  # left out of statistics
    Presence(2, at(9, 10), at(10, 40)),
    Presence(2, at(12), at(12, 8)),                        # unbooked but shorter than 10 min
]
KNOWN = [Known(1, at(8), at(18)), Known(2, at(8), at(13))]
REFUSALS = [Refusal(at(7), "room", at(10), at(11), organisation_id=20, people=2)]
NOW = at(20)


def report(viewer: Viewer | None = None, spaces: list[Space] | None = None) -> Occupancy:
    occupancy = Occupancy(spaces or [A, B, C], now=NOW, viewer=viewer or Viewer(99))
    occupancy.add(Facts(open_days(DAY, DAY), BOOKINGS, PRESENCE, KNOWN, REFUSALS))
    return occupancy


def rows(occupancy: Occupancy, grouping: str) -> dict:
    return dict(occupancy.rows(grouping))


def test_room_figures_by_kind_are_exact() -> None:
    room = rows(report(), "kind")["room"]
    assert room["booked_share"] == pytest.approx(51 / 240)  # A 12+3 slots, B 24+12; |W| 240
    assert room["used_share"] == pytest.approx(36 / 180)    # p*k: A 10+6, B 18+2; k: 120+60
    assert room["capacity_utilisation"] == pytest.approx(42 / 480)  # A: 3*10 + 2*6 over 4*120
    assert room["fill_when_used"] == pytest.approx(42 / 64)  # over 4 * 16 present slots
    assert room["no_show_rate"] == pytest.approx(1 / 4)     # only booking 2; 6 was cancelled
    assert room["checkin_compliance"] == pytest.approx(2 / 4)
    assert room["unused_booked_time"] == pytest.approx(11 / 39)  # A 2+3, B 6; b*k = 15+24
    assert room["unbooked_use"] == pytest.approx(6 / 36)    # A 13:00-13:30 only
    assert room["released_reused"] == 0.0                   # 11:15-12:00 stayed empty
    assert room["coverage"] == pytest.approx(180 / 240)
    assert room["low_coverage"] is True
    assert (room["peak_p50"], room["peak_p95"], room["peak_max"]) == (2, 2, 2)
    assert room["refused_demand"] == 1


def test_a_space_without_sensor_has_no_sensor_figures_but_booking_ones() -> None:
    desk = rows(report(), "kind")["desk"]
    assert desk["booked_share"] == pytest.approx(54 / 120)  # 08:00-12:30
    assert desk["used_share"] is None and desk["coverage"] == 0.0 and desk["low_coverage"]
    assert desk["checkin_compliance"] == 1.0 and desk["no_show_rate"] == 0.0
    assert desk["refused_demand"] == 0


def test_by_resource_and_weekday_hour() -> None:
    by_resource = rows(report(), "resource")
    assert by_resource[2]["used_share"] == pytest.approx(20 / 60)
    assert by_resource[2]["unused_booked_time"] == pytest.approx(6 / 24)
    assert by_resource[2]["refused_demand"] is None  # a request names a kind, not a room
    monday_nine = rows(report(), "weekday_hour")[(1, 9)]
    assert monday_nine["booked_share"] == 1.0             # A, B and C all booked 09-10
    assert monday_nine["used_share"] == pytest.approx(20 / 24)
    assert monday_nine["peak_max"] == 2


def test_organisation_rows_count_their_own_booked_time() -> None:
    by_org = rows(report(), "organisation")
    ten, twenty = by_org[10], by_org[20]
    # Organisation 10 (rooms and desk): 12 + 24 + 54 booked slots of |W| = 360.
    assert ten["booked_share"] == pytest.approx(90 / 360)
    assert ten["used_share"] == pytest.approx(28 / 36)  # the desk has no sensor
    assert ten["coverage"] == pytest.approx(36 / 90)
    assert ten["capacity_utilisation"] == pytest.approx(30 / 48)
    assert ten["no_show_rate"] == 0.0 and ten["unbooked_use"] is None
    assert twenty["booked_share"] == pytest.approx(15 / 360)
    assert twenty["used_share"] == 0.0 and twenty["coverage"] == pytest.approx(3 / 15)
    assert twenty["no_show_rate"] == 0.5 and twenty["refused_demand"] == 1


def test_private_resource_bookings_are_not_attributed_to_outsiders() -> None:
    private_b = Space(2, "room", 2, "b", "Room B", floor_id=1, private=True,
                      owners=frozenset({20}))
    spaces = [A, private_b, C]
    facility = rows(report(Viewer(99), spaces), "organisation")
    assert facility[10]["booked_share"] == pytest.approx(66 / 360)  # booking 3 hidden
    assert facility[20]["booked_share"] == pytest.approx(3 / 360)   # booking 4 hidden
    assert facility[PRIVATE]["booked_share"] == pytest.approx(36 / 360)
    # Building totals still count the private room in full.
    assert rows(report(Viewer(99), spaces), "kind")["room"]["booked_share"] == \
        pytest.approx(51 / 240)
    owner = rows(report(Viewer(20), spaces), "organisation")
    assert owner[20]["booked_share"] == pytest.approx(15 / 360) and 10 in owner
    booker = rows(report(Viewer(10), spaces), "organisation")
    assert booker[10]["booked_share"] == pytest.approx(90 / 360)
    assert booker[PRIVATE]["booked_share"] == pytest.approx(12 / 360)


def test_a_coordinator_sees_only_the_own_organisation() -> None:
    room = rows(report(Viewer(10, scope_organisation_id=10)), "kind")["room"]
    assert room["booked_share"] == pytest.approx(36 / 240)
    assert room["used_share"] == pytest.approx(28 / 36)
    assert room["no_show_rate"] == 0.0 and room["refused_demand"] == 0
    assert room["unbooked_use"] is None  # nobody's use outside a booking is theirs
    assert list(rows(report(Viewer(10, scope_organisation_id=10)), "organisation")) == [10]


def test_percentiles_are_observed_daily_peaks() -> None:
    peaks = [1, 2, 2, 3, 3, 3, 4, 5, 8, 9]
    assert (percentile(peaks, 0.5), percentile(peaks, 0.9), percentile(peaks, 0.95)) == (3, 8, 9)
    assert percentile([], 0.5) is None
