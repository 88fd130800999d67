"""Mail invitations (iTIP, RFC 5546): one booking, or a whole series as ONE event. Pure.

The hub is the ORGANIZER (the mail's From, so Gmail and Outlook apply updates and
cancellations), the person the booking is for the ATTENDEE, already accepted (no reply
expected). A series is a master event with an RRULE that ends at its last booked occurrence,
EXDATEs for the dates that were skipped or cancelled, and one override (RECURRENCE-ID) per
moved occurrence; every change re-sends that whole state with a higher SEQUENCE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vRecur

from hub.calendar.ical import PRODID, TZID, FeedEvent, _event, _timezone

METHODS = ("REQUEST", "CANCEL")


@dataclass(frozen=True, slots=True)
class Party:
    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Override:
    """One occurrence of a series that no longer sits where the RRULE puts it."""

    recurrence_id: datetime
    start: datetime
    end: datetime
    sequence: int


@dataclass(frozen=True, slots=True)
class SeriesEvent:
    uid: str
    rrule: str  # the stored rule; COUNT and UNTIL are replaced by the last occurrence
    start: datetime  # the first occurrence as booked (original)
    end: datetime
    last_start: datetime  # the last booked occurrence's original start
    summary: str
    location: str
    sequence: int
    last_modified: datetime
    exdates: tuple[datetime, ...] = ()
    overrides: tuple[Override, ...] = field(default_factory=tuple)
    description: str = ""
    cancelled: bool = False


def _address(party: Party, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{party.email}")
    if party.name:
        address.params["CN"] = party.name
    address.params.update(params)
    return address


def _people(event: Event, organizer: Party, attendee: Party) -> None:
    event.add("organizer", _address(organizer))
    event.add("attendee", _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="ACCEPTED",
                                   RSVP="FALSE", CUTYPE="INDIVIDUAL"))


def _calendar(method: str) -> Calendar:
    if method not in METHODS:
        raise ValueError(method)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_timezone())
    return cal


def booking_invitation(item: FeedEvent, *, organizer: Party, attendee: Party,
                       now: datetime) -> bytes:
    """REQUEST for an active booking; CANCEL (STATUS:CANCELLED) for a cancelled one."""
    cal = _calendar("CANCEL" if item.cancelled else "REQUEST")
    event = _event(item, stamp=now)
    _people(event, organizer, attendee)
    cal.add_component(event)
    return cal.to_ical()


def bounded_rrule(rule: str, last_start: datetime) -> vRecur:
    """The stored rule ending exactly at the last booked occurrence (UNTIL in UTC)."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    recur = vRecur.from_ical(text)
    for part in ("COUNT", "UNTIL"):
        recur.pop(part, None)
    recur["UNTIL"] = [last_start.astimezone(UTC)]
    return recur


def _master(series: SeriesEvent, now: datetime) -> Event:
    item = FeedEvent(uid=series.uid, start=series.start, end=series.end,
                     summary=series.summary, location=series.location,
                     sequence=series.sequence, last_modified=series.last_modified,
                     cancelled=series.cancelled, description=series.description)
    event = _event(item, stamp=now)
    event.add("rrule", bounded_rrule(series.rrule, series.last_start))
    if series.exdates:
        zone = ZoneInfo(TZID)
        event.add("exdate", sorted(d.astimezone(zone) for d in series.exdates))
    return event


def _override(series: SeriesEvent, change: Override, now: datetime) -> Event:
    item = FeedEvent(uid=series.uid, start=change.start, end=change.end,
                     summary=series.summary, location=series.location,
                     sequence=max(series.sequence, change.sequence),
                     last_modified=series.last_modified, description=series.description)
    event = _event(item, stamp=now)
    event.add("recurrence-id", change.recurrence_id.astimezone(ZoneInfo(TZID)))
    return event


def series_invitation(series: SeriesEvent, *, organizer: Party, attendee: Party,
                      now: datetime) -> bytes:
    """The series as one invitation (REQUEST), or its cancellation when nothing is left."""
    cal = _calendar("CANCEL" if series.cancelled else "REQUEST")
    master = _master(series, now)
    _people(master, organizer, attendee)
    cal.add_component(master)
    if not series.cancelled:
        for change in series.overrides:
            event = _override(series, change, now)
            _people(event, organizer, attendee)
            cal.add_component(event)
    return cal.to_ical()
