"""Defaults and local-to-UTC conversion of the booking pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from hub.booking.web.times import (
    Search,
    default_search,
    interval,
    next_quarter,
    parse_day,
    to_utc,
)

TZ = "Europe/Amsterdam"


def test_next_quarter_rounds_up_and_keeps_exact_quarters() -> None:
    assert next_quarter(datetime(2026, 3, 30, 9, 1, 30)).time() == time(9, 15)
    assert next_quarter(datetime(2026, 3, 30, 9, 45)).time() == time(9, 45)
    assert next_quarter(datetime(2026, 3, 30, 9, 46)).time() == time(10, 0)


def test_default_is_today_at_the_next_quarter_in_local_time() -> None:
    # 08:07 UTC on a Monday in summer time is 10:07 in Amsterdam.
    search = default_search(datetime(2026, 3, 30, 8, 7, tzinfo=UTC), TZ)
    assert (search.day, search.start, search.minutes, search.people) == (
        date(2026, 3, 30), time(10, 15), 60, 2)


def test_before_opening_the_default_is_opening_time() -> None:
    search = default_search(datetime(2026, 3, 30, 4, 0, tzinfo=UTC), TZ)
    assert (search.day, search.start) == (date(2026, 3, 30), time(8, 0))


def test_after_hours_and_at_weekends_the_default_is_the_next_weekday() -> None:
    friday_evening = datetime(2026, 4, 3, 16, 30, tzinfo=UTC)  # 18:30 local
    assert default_search(friday_evening, TZ).day == date(2026, 4, 6)
    saturday = datetime(2026, 4, 4, 9, 0, tzinfo=UTC)
    assert default_search(saturday, TZ) == Search(date(2026, 4, 6), time(8, 0), 60)


def test_local_times_become_utc_with_the_right_offset_across_dst() -> None:
    assert to_utc(date(2026, 3, 27), time(9, 0), TZ) == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
    assert to_utc(date(2026, 3, 30), time(9, 0), TZ) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    start, end = interval(Search(date(2026, 10, 26), time(9, 0), 90), TZ)
    assert (start, end) == (datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
                            datetime(2026, 10, 26, 9, 30, tzinfo=UTC))


def test_a_bad_day_in_the_query_falls_back() -> None:
    assert parse_day("2026-13-01", date(2026, 1, 1)) == date(2026, 1, 1)
    assert parse_day("2026-02-03", date(2026, 1, 1)) == date(2026, 2, 3)
