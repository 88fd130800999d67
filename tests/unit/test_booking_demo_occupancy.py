"""The live demo's sensors follow the bookings and the opening hours (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.booking.demo_occupancy import BookedSlot, booked_use, people_now

NINE = datetime(2026, 3, 31, 7, 0, tzinfo=UTC)  # Tuesday 09:00 in Amsterdam


def slots(n: int, checked_in: bool = False) -> list[BookedSlot]:
    return [BookedSlot(i, NINE, NINE + timedelta(hours=1), checked_in) for i in range(n)]


def test_closed_building_is_empty_whatever_is_booked() -> None:
    late = NINE + timedelta(hours=11, minutes=43)  # 20:43
    assert all(people_now(late, resource_id=r, kind="room", capacity=4, slots=slots(3),
                          open_now=False) == 0 for r in range(50))


def test_most_bookings_are_used_some_are_no_shows_checked_in_ones_always_come() -> None:
    uses = [booked_use(s, 4) for s in slots(400)]
    no_shows = sum(u is None for u in uses) / len(uses)
    assert 0.08 < no_shows < 0.22
    assert all(booked_use(s, 4) is not None for s in slots(100, checked_in=True))
    for use in filter(None, uses):  # a little late, a little early, never outside the slot
        assert NINE <= use.start <= NINE + timedelta(minutes=10)
        assert use.end <= NINE + timedelta(hours=1) and 1 <= use.people <= 4


def test_some_unbooked_use_in_open_hours_and_a_booked_no_show_stays_empty() -> None:
    at = NINE + timedelta(minutes=30)
    unbooked = sum(people_now(at + timedelta(hours=h, minutes=m), resource_id=r, kind="room",
                              capacity=4, slots=[], open_now=True) > 0
                   for r in range(40) for h in range(8) for m in (10, 20, 30))
    assert 0 < unbooked < 40 * 8 * 3 * 0.1
    no_show = next(s for s in slots(200) if booked_use(s, 4) is None)
    assert people_now(at, resource_id=1, kind="room", capacity=4, slots=[no_show],
                      open_now=True) == 0  # booked but nobody came: no walk-in either
    # the same inputs give the same answer: a restarted simulator plays the same day
    assert [booked_use(s, 4) for s in slots(20)] == [booked_use(s, 4) for s in slots(20)]
