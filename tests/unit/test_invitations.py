"""Mail invitations as calendar clients read them: icalendar AND Mozilla's ical.js agree on
every start instant, across the DST changes, for a single booking and a whole series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from hub.calendar.ical import FeedEvent
from hub.calendar.invitations import (
    Override,
    Party,
    SeriesEvent,
    booking_invitation,
    bounded_rrule,
    series_invitation,
)
from tests.support import icaljs

AMS = ZoneInfo("Europe/Amsterdam")
HUB, WIM = Party("hub@hub.test", "Booking hub"), Party("wim@example.nl", "Wim de Vries")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def _local(y: int, m: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=AMS).astimezone(UTC)


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _single(start: datetime, *, cancelled: bool = False, sequence: int = 0) -> bytes:
    item = FeedEvent(uid="booking-7@hub.test", start=start, end=start + timedelta(hours=4),
                     summary="Plaza 1", location="Plaza 1", sequence=sequence,
                     last_modified=NOW, cancelled=cancelled)
    return booking_invitation(item, organizer=HUB, attendee=WIM, now=NOW)


@pytest.mark.parametrize("start", [
    _local(2026, 3, 28, 9), _local(2026, 3, 30, 9),   # the Saturday before and Monday after
    _local(2026, 10, 24, 9), _local(2026, 10, 26, 9),  # the spring and the autumn change
], ids=["before-march", "after-march", "before-october", "after-october"])
def test_both_parsers_read_the_same_start_instant_around_dst(start: datetime) -> None:
    body = _single(start)
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == start
    assert str(event["dtstart"].params["TZID"]) == "Europe/Amsterdam"
    (read,) = icaljs.read(body)
    assert read["method"] == "REQUEST" and read["timezones"] == ["Europe/Amsterdam"]
    (js_event,) = read["events"]
    assert js_event["start"] == _z(start) and js_event["end"] == _z(start + timedelta(hours=4))
    assert js_event["organizer"] == "mailto:hub@hub.test"
    assert js_event["attendees"] == ["mailto:wim@example.nl"]


def test_a_cancellation_keeps_the_uid_and_raises_the_sequence() -> None:
    start = _local(2026, 10, 26, 9)
    request, cancel = _single(start), _single(start, cancelled=True, sequence=1)
    first, second = icaljs.read(request, cancel)
    assert second["method"] == "CANCEL" and second["events"][0]["status"] == "CANCELLED"
    assert first["events"][0]["uid"] == second["events"][0]["uid"] == "booking-7@hub.test"
    assert second["events"][0]["sequence"] > first["events"][0]["sequence"]
    (event,) = Calendar.from_ical(cancel).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1


def _series(**changes: object) -> SeriesEvent:
    # Every Tuesday 09:00-12:00 from 13 October 2026 for five weeks: across the October change.
    values: dict[str, object] = dict(
        uid="series-3@hub.test", rrule="FREQ=WEEKLY;COUNT=5", start=_local(2026, 10, 13, 9),
        end=_local(2026, 10, 13, 12), last_start=_local(2026, 11, 10, 9),
        summary="Spreekuur", location="Spreekkamer 2", sequence=0, last_modified=NOW,
        exdates=(_local(2026, 10, 20, 9),))
    values.update(changes)
    return SeriesEvent(**values)  # type: ignore[arg-type]


def test_a_weekly_series_across_the_october_change_keeps_nine_oclock() -> None:
    body = series_invitation(_series(), organizer=HUB, attendee=WIM, now=NOW)
    expected = [_local(2026, 10, 13, 9), _local(2026, 10, 27, 9), _local(2026, 11, 3, 9),
                _local(2026, 11, 10, 9)]  # 20 October skipped (EXDATE)
    assert expected[0].hour == 7 and expected[1].hour == 8  # UTC moves, wall clock does not
    (read,) = icaljs.read(body)
    (master,) = read["events"]
    assert [o["start"] for o in master["occurrences"]] == [_z(s) for s in expected]
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert "UNTIL" in event["rrule"] and "COUNT" not in event["rrule"]
    assert [d.dt.astimezone(UTC) for d in event["exdate"].dts] == [_local(2026, 10, 20, 9)]


def test_a_moved_occurrence_is_an_override_and_a_cancelled_one_an_exdate() -> None:
    moved = Override(recurrence_id=_local(2026, 11, 3, 9), start=_local(2026, 11, 3, 13),
                     end=_local(2026, 11, 3, 16), sequence=1)
    series = _series(sequence=2, overrides=(moved,),
                     exdates=(_local(2026, 10, 20, 9), _local(2026, 10, 27, 9)))
    (read,) = icaljs.read(series_invitation(series, organizer=HUB, attendee=WIM, now=NOW))
    master, override = read["events"]
    assert override["recurrence_id"] == _z(_local(2026, 11, 3, 9))
    assert [o["start"] for o in master["occurrences"]] == [
        _z(_local(2026, 10, 13, 9)), _z(_local(2026, 11, 3, 13)), _z(_local(2026, 11, 10, 9))]


def test_a_series_with_nothing_left_is_cancelled_as_a_whole() -> None:
    body = series_invitation(_series(cancelled=True, sequence=3), organizer=HUB, attendee=WIM,
                             now=NOW)
    (read,) = icaljs.read(body)
    assert read["method"] == "CANCEL"
    assert [e["status"] for e in read["events"]] == ["CANCELLED"]
    assert read["events"][0]["uid"] == "series-3@hub.test"


def test_the_stored_rule_ends_at_the_last_booked_occurrence() -> None:
    recur = bounded_rrule("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270101", _local(2026, 11, 10, 9))
    assert recur["UNTIL"] == [_local(2026, 11, 10, 9)] and recur["FREQ"] == ["WEEKLY"]
