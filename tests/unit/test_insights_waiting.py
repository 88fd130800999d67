"""Waiting for a room: the first free slot at the moment of each search."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hub.insights.facts import BookingFact, Refusal, Space
from hub.insights.waiting import lead_times
from hub.insights.window import open_days

DAYS = open_days(date(2026, 2, 23), date(2026, 3, 20))
ROOM = Space(1, "room", 4)
BEFORE = datetime(2026, 2, 27, 12, tzinfo=UTC)  # made the week before: not a search counted


def local(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 3, day, tzinfo=UTC) + timedelta(hours=hh - 1, minutes=mm)


def tuesday_full(status: str = "completed",
                 cancelled_at: datetime | None = None) -> list[BookingFact]:
    return [BookingFact(i, 1, 10, local(3, 8 + i), local(3, 9 + i), status, BEFORE,
                        cancelled_at=cancelled_at) for i in range(10)]


def waits(bookings, refusals=()):
    return {r["week"]: r for r in lead_times([ROOM], bookings, list(refusals), DAYS,
                                             since=local(2, 0), until=local(20, 23))}


SEARCH = Refusal(local(3, 7), "room", local(3, 9), local(3, 10))


def test_a_full_day_pushes_the_first_free_hour_to_the_next_morning() -> None:
    week = waits(tuesday_full(), [SEARCH])["2026-W10"]
    assert week["searches"] == 1 and week["typical_minutes"] == 60
    assert week["median_days"] == pytest.approx(25 / 24)  # Tuesday 07:00 -> Wednesday 08:00


def test_a_cancellation_frees_the_slot_for_later_searches() -> None:
    cancelled = tuesday_full(status="cancelled", cancelled_at=local(2, 10))
    assert waits(cancelled, [SEARCH])["2026-W10"]["median_days"] == pytest.approx(1 / 24)


def test_a_search_on_saturday_waits_for_monday_morning() -> None:
    made = datetime(2026, 3, 7, 11, tzinfo=UTC)  # Saturday 12:00 local
    booking = BookingFact(1, 1, 10, local(9, 9), local(9, 10), "completed", made)
    week = waits([booking])["2026-W10"]
    assert week["median_days"] == pytest.approx(44 / 24)  # Monday 08:00
    assert week["p90_days"] == week["median_days"]
