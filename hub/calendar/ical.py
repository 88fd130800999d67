"""iCalendar rendering (RFC 5545): feeds (METHOD:PUBLISH) and one-off invitations.

Pure: takes plain event values that the privacy layer already filtered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDuration

TZID = "Europe/Amsterdam"
PRODID = "-//Hub//Booking hub//NL"
# The RRULE form Outlook and Google emit themselves; generated RDATE lists confuse Outlook.
AMSTERDAM_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""
CANCELLED_KEPT = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class FeedEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    sequence: int
    last_modified: datetime
    cancelled: bool = False
    description: str = ""


def _timezone() -> Timezone:
    return Timezone.from_ical(AMSTERDAM_VTIMEZONE.replace("\n", "\r\n"))


def _event(item: FeedEvent, *, stamp: datetime) -> Event:
    zone = ZoneInfo(TZID)
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start.astimezone(zone))
    event.add("dtend", item.end.astimezone(zone))
    event.add("summary", item.summary)
    event.add("location", item.location)
    event.add("sequence", item.sequence)
    event.add("last-modified", item.last_modified)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if item.description:
        event.add("description", item.description)
    return event


def render_feed(*, name: str, uid: str, events: Iterable[FeedEvent], now: datetime) -> bytes:
    """A subscribable calendar; cancelled events stay for 7 days after they changed."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("uid", uid)
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(timedelta(hours=1)))
    cal.add_component(_timezone())
    for item in events:
        if item.cancelled and now - item.last_modified > CANCELLED_KEPT:
            continue
        cal.add_component(_event(item, stamp=now))
    return cal.to_ical()


def render_invitation(item: FeedEvent, *, method: str, organizer: str, attendee: str,
                      now: datetime) -> bytes:
    """A one-off METHOD:REQUEST (or CANCEL) for a confirmation mail or download."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(method)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_timezone())
    event = _event(item, stamp=now)
    event.add("organizer", f"mailto:{organizer}")
    event.add("attendee", f"mailto:{attendee}", parameters={"ROLE": "REQ-PARTICIPANT"})
    cal.add_component(event)
    return cal.to_ical()
