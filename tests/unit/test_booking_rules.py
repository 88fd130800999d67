"""Booking rules: every rule refuses with its own name; DST weekends; recurrence."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.booking import rules
from hub.booking.rules import RuleError, check, expand, policy_for

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
ROOM, DESK = policy_for("room"), policy_for("desk")


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), AMS).astimezone(UTC)


TUE = date(2026, 3, 31)


def refused(policy: rules.Policy, start: datetime, end: datetime, now: datetime = NOW,
            **kw: object) -> str:
    with pytest.raises(RuleError) as info:
        check(policy, start, end, now, **kw)  # type: ignore[arg-type]
    return info.value.rule


def test_a_normal_room_booking_passes() -> None:
    check(ROOM, at(TUE, 9), at(TUE, 10, 30), NOW, attendees=3, capacity=4)


@pytest.mark.parametrize(("start", "end", "rule"), [
    (at(TUE, 7, 30), at(TUE, 9), "opening_hours"),
    (at(TUE, 17), at(TUE, 18, 15), "opening_hours"),
    (at(date(2026, 4, 4), 9), at(date(2026, 4, 4), 10), "closed_day"),   # Saturday
    (at(date(2026, 4, 27), 9), at(date(2026, 4, 27), 10), "closed_day"),  # King's Day
    (at(date(2026, 4, 6), 9), at(date(2026, 4, 6), 10), "closed_day"),   # Easter Monday
    (at(TUE, 9), at(TUE, 9, 10), "min_duration"),
    (at(TUE, 8), at(TUE, 16, 15), "max_duration"),
    (at(TUE, 9, 5), at(TUE, 10, 5), "step"),
    (at(TUE, 9), at(TUE, 9, 50), "step"),
    (at(date(2026, 3, 27), 9), at(date(2026, 3, 27), 10), "in_past"),
    (at(date(2026, 6, 1), 9), at(date(2026, 6, 1), 10), "horizon"),
])
def test_each_time_rule_refuses_by_name(start: datetime, end: datetime, rule: str) -> None:
    assert refused(ROOM, start, end) == rule


def test_room_for_the_current_quarter_may_still_be_booked() -> None:
    check(ROOM, at(date(2026, 3, 30), 10), at(date(2026, 3, 30), 11), NOW + timedelta(minutes=7))
    assert refused(ROOM, at(date(2026, 3, 30), 9, 30), at(date(2026, 3, 30), 11)) == "in_past"


def test_capacity_quota_and_lead_time() -> None:
    assert refused(ROOM, at(TUE, 9), at(TUE, 10), attendees=5, capacity=4) == "capacity"
    assert refused(DESK, at(TUE, 8), at(TUE, 12, 30), open_same_day=2) == "quota"
    check(DESK, at(TUE, 8), at(TUE, 12, 30), NOW, open_same_day=1)
    lead = policy_for("room", {"lead_minutes": 60 * 48})
    assert refused(lead, at(TUE, 9), at(TUE, 10)) == "lead_time"


def test_desks_are_booked_per_morning_afternoon_or_day() -> None:
    for hours in ((8, 0, 12, 30), (12, 30, 18, 0), (8, 0, 18, 0)):
        check(DESK, at(TUE, hours[0], hours[1]), at(TUE, hours[2], hours[3]), NOW)
    assert refused(DESK, at(TUE, 9), at(TUE, 11)) == "slot"
    # A running morning may still be taken (a walk-in at 10:00).
    check(DESK, at(date(2026, 3, 30), 8), at(date(2026, 3, 30), 12, 30), NOW)


def test_access_restricted_before_not_permitted() -> None:
    with pytest.raises(RuleError) as info:
        rules.check_access(restricted_ok=False, kind_ok=False)
    assert info.value.rule == "restricted"
    with pytest.raises(RuleError) as info:
        rules.check_access(restricted_ok=True, kind_ok=False)
    assert info.value.rule == "not_permitted"


def test_overrides_and_building_closing_days() -> None:
    policy = policy_for("room", {"max_minutes": 60, "closing_days": ["2026-03-31"]},
                        {"opens": "07:00"})
    assert policy.max_minutes == 60 and policy.opens == time(7)
    assert refused(policy, at(TUE, 9), at(TUE, 10)) == "closed_day"
    with pytest.raises(ValueError, match="unknown"):
        policy_for("room", {"colour": "blue"})


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_dst_sundays_a_nine_to_ten_booking_is_one_hour(day: date) -> None:
    policy = policy_for("room", {"open_weekdays": [6]})
    start, end = at(day, 9), at(day, 10)
    assert end - start == timedelta(hours=1)
    check(policy, start, end, datetime(2026, 3, 28, 12, tzinfo=UTC) if day.month == 3
          else datetime(2026, 10, 24, 12, tzinfo=UTC))
    # 29 March: summer time from 03:00 (UTC+2); 25 October: winter time from 03:00 (UTC+1).
    assert start.hour == (7 if day.month == 3 else 8)


def test_dst_monday_after_spring_forward_is_stored_in_summer_time() -> None:
    start = at(date(2026, 3, 30), 9)
    assert start == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert at(date(2026, 3, 27), 9) == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)


def test_overlap_is_half_open() -> None:
    a, b, c = at(TUE, 9), at(TUE, 10), at(TUE, 11)
    assert not rules.overlaps(a, b, b, c)
    assert rules.overlaps(a, c, b, c)
    assert rules.first_conflict(a, b, [(b, c), (a, b)]) == (a, b)


def test_weekly_series_keeps_local_time_across_dst() -> None:
    start = at(date(2026, 3, 24), 9)  # a Tuesday in winter time
    occurrences = expand("FREQ=WEEKLY;COUNT=3", start, start + timedelta(hours=3),
                         tz="Europe/Amsterdam", until=start + timedelta(days=60))
    assert [s.astimezone(AMS).time() for s, _ in occurrences] == [time(9)] * 3
    assert [s.hour for s, _ in occurrences] == [8, 7, 7]  # UTC shifts with DST
    assert all(e - s == timedelta(hours=3) for s, e in occurrences)


def test_open_series_stops_at_the_horizon_and_bad_rules_are_refused() -> None:
    start = at(TUE, 9)
    limit = NOW + timedelta(days=56)
    assert len(expand("RRULE:FREQ=WEEKLY", start, start + timedelta(hours=1),
                      tz="Europe/Amsterdam", until=limit)) == 8
    for bad in ("FREQ=SOMETIMES", "", "FREQ=MINUTELY", "DTSTART:20260101T000000\nFREQ=DAILY"):
        with pytest.raises(RuleError) as info:
            expand(bad, start, start + timedelta(hours=1), tz="Europe/Amsterdam", until=limit)
        assert info.value.rule == "recurrence"


def test_release_moments() -> None:
    assert rules.release_moment(ROOM, at(TUE, 9), at(TUE, 10)) == at(TUE, 9, 15)
    assert rules.release_moment(DESK, at(TUE, 8), at(TUE, 12, 30)) == at(TUE, 10)
    assert rules.release_moment(DESK, at(TUE, 12, 30), at(TUE, 18)) == at(TUE, 13, 30)
    assert rules.checkin_window(at(TUE, 9)) == (at(TUE, 8, 45), at(TUE, 9, 15))
