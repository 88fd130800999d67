"""Recurrence as people choose it, and the occurrence report (pure, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.booking.recurrence import Repeat, occurrences, sort_out, to_rrule, week_of_month
from hub.booking.rules import RuleError, policy_for

AMS = ZoneInfo("Europe/Amsterdam")
ROOM = policy_for("room")


def local(y: int, m: int, d: int, h: int = 9, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=AMS).astimezone(UTC)


def local_days(intervals: list[tuple[datetime, datetime]]) -> list[date]:
    return [s.astimezone(AMS).date() for s, _e in intervals]


def test_every_two_weeks_on_tuesday_and_thursday_for_six_times() -> None:
    rule = to_rrule(Repeat("weekly", interval=2, weekdays=(1, 3), count=6), date(2026, 3, 3))
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6"
    found = occurrences(rule, local(2026, 3, 3), local(2026, 3, 3, 10), tz="Europe/Amsterdam",
                        horizon_end=local(2026, 12, 31))
    assert local_days(found) == [date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 17),
                                 date(2026, 3, 19), date(2026, 3, 31), date(2026, 4, 2)]
    # 09:00 stays 09:00 on the far side of the DST change of 29 March
    assert {s.astimezone(AMS).hour for s, _e in found} == {9}


def test_monthly_on_the_second_tuesday_until_a_date() -> None:
    first = date(2026, 3, 10)  # the 2nd Tuesday of March
    rule = to_rrule(Repeat("monthly", until=date(2026, 6, 30)), first)
    assert rule == "FREQ=MONTHLY;BYDAY=+2TU;UNTIL=20260630T235959"
    found = occurrences(rule, local(2026, 3, 10), local(2026, 3, 10, 10),
                        tz="Europe/Amsterdam", horizon_end=local(2026, 12, 31))
    assert local_days(found) == [date(2026, 3, 10), date(2026, 4, 14), date(2026, 5, 12),
                                 date(2026, 6, 9)]


def test_the_last_weekday_of_a_month_repeats_as_the_last() -> None:
    assert week_of_month(date(2026, 3, 31)) == -1  # fifth and last Tuesday
    assert week_of_month(date(2026, 3, 24)) == 4  # fourth, not the last
    assert week_of_month(date(2026, 2, 24)) == -1  # fourth and last of February
    rule = to_rrule(Repeat("monthly", count=3), date(2026, 3, 31))
    assert "BYDAY=-1TU" in rule


@pytest.mark.parametrize("repeat", [
    Repeat("daily", count=3), Repeat("weekly"), Repeat("weekly", count=3, until=date(2026, 5, 1)),
    Repeat("weekly", count=500), Repeat("weekly", interval=0, count=2),
    Repeat("weekly", until=date(2026, 1, 1))])
def test_impossible_choices_are_refused_by_name(repeat: Repeat) -> None:
    with pytest.raises(RuleError) as refused:
        to_rrule(repeat, date(2026, 3, 3))
    assert refused.value.rule == "recurrence"


def test_every_occurrence_not_booked_is_reported_with_its_reason() -> None:
    now = local(2026, 3, 30, 8)
    # 10 Thursdays from 2 April 2026: 14 May is Ascension Day (a public holiday).
    rule = to_rrule(Repeat("weekly", count=10), date(2026, 4, 2))
    found = occurrences(rule, local(2026, 4, 2), local(2026, 4, 2, 10), tz="Europe/Amsterdam",
                        horizon_end=now + timedelta(days=57))
    bookable, skipped = sort_out(ROOM, found, now)
    reasons = {s.start.astimezone(AMS).date(): s.reason for s in skipped}
    assert reasons[date(2026, 5, 14)] == "closed_day"  # Hemelvaartsdag
    # the horizon is 8 weeks (56 days) from 30 March: 25 May is the last bookable day
    assert [d for d, r in reasons.items() if r == "horizon"] == [
        date(2026, 5, 28), date(2026, 6, 4)]
    assert len(bookable) == 7 and max(local_days(bookable)) == date(2026, 5, 21)


def test_an_open_rule_stops_at_the_horizon_without_a_report() -> None:
    now = local(2026, 3, 30, 8)
    found = occurrences("FREQ=WEEKLY", local(2026, 3, 31), local(2026, 3, 31, 10),
                        tz="Europe/Amsterdam", horizon_end=now + timedelta(days=57))
    bookable, skipped = sort_out(ROOM, found, now)
    assert skipped == [] and len(bookable) == 8  # 31 March to 19 May


def test_a_series_outside_opening_hours_is_refused_whole() -> None:
    rule = to_rrule(Repeat("weekly", count=3), date(2026, 3, 31))
    found = occurrences(rule, local(2026, 3, 31, 19), local(2026, 3, 31, 20),
                        tz="Europe/Amsterdam", horizon_end=local(2026, 12, 31))
    with pytest.raises(RuleError) as refused:
        sort_out(ROOM, found, local(2026, 3, 30, 8))
    assert refused.value.rule == "opening_hours"
