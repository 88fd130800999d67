from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from hub.calendar.ical import FeedEvent, render_feed, render_invitation

NOW = datetime(2026, 3, 27, 12, tzinfo=UTC)


def _event(**overrides) -> FeedEvent:
    values = {"uid": "booking-7@hub.test", "start": datetime(2026, 3, 30, 7, tzinfo=UTC),
              "end": datetime(2026, 3, 30, 8, tzinfo=UTC), "summary": "Bezet",
              "location": "Spreekkamer 1", "sequence": 2, "last_modified": NOW}
    return FeedEvent(**{**values, **overrides})


def test_feed_has_the_contract_headers_and_a_local_time_event() -> None:
    body = render_feed(name="Mijn reserveringen", uid="feed-1@hub.test", events=[_event()],
                       now=NOW)
    text = body.decode()
    for line in ("METHOD:PUBLISH", "NAME:Mijn reserveringen", "X-WR-CALNAME:Mijn reserveringen",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
                 "UID:booking-7@hub.test", "SEQUENCE:2", "STATUS:CONFIRMED",
                 # Monday after the spring DST change: 07:00Z is 09:00 local (CEST).
                 "DTSTART;TZID=Europe/Amsterdam:20260330T090000"):
        assert line in text, line
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert "\r\n" in text
    parsed = Calendar.from_ical(body)
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 3, 30, 9, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_cancelled_events_stay_seven_days_then_go() -> None:
    cancelled = _event(cancelled=True, last_modified=NOW - timedelta(days=3))
    assert b"STATUS:CANCELLED" in render_feed(name="x", uid="u", events=[cancelled], now=NOW)
    old = _event(cancelled=True, last_modified=NOW - timedelta(days=8))
    assert b"VEVENT" not in render_feed(name="x", uid="u", events=[old], now=NOW)


def test_vtimezone_agrees_with_the_time_zone_database() -> None:
    body = render_feed(name="x", uid="u", events=[], now=NOW)
    (tz,) = Calendar.from_ical(body).walk("VTIMEZONE")
    ours = tz.to_tz()
    zone = ZoneInfo("Europe/Amsterdam")
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    while moment < datetime(2028, 12, 31, tzinfo=UTC):
        assert moment.astimezone(ours).utcoffset() == moment.astimezone(zone).utcoffset(), moment
        moment += timedelta(hours=6)


def test_invitation_carries_method_request_and_cancel() -> None:
    body = render_invitation(_event(), method="REQUEST", organizer="hub@hub.test",
                             attendee="wim@example.nl", now=NOW).decode()
    assert "METHOD:REQUEST" in body and "ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:wim@example.nl" in body
    cancel = render_invitation(_event(cancelled=True), method="CANCEL", organizer="hub@hub.test",
                               attendee="wim@example.nl", now=NOW).decode()
    assert "METHOD:CANCEL" in cancel and "STATUS:CANCELLED" in cancel


def test_hostile_text_is_escaped() -> None:
    body = render_feed(name="x", uid="u", events=[_event(summary="a;b,c\r\nEND:VCALENDAR")],
                       now=NOW)
    assert body.split(b"\r\n").count(b"END:VCALENDAR") == 1
    assert b"SUMMARY:a\\;b\\,c\\nEND:VCALENDAR" in body
