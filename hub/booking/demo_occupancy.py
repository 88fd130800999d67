"""What the demo building's sensors should see right now, from the bookings. Pure.

The live demo used to play a random day at five times real speed, so at 20:43 the board
showed rooms occupied in a building closed since six. Here occupancy follows the bookings
the way people really use them: some never come (no-shows, which the sweep then releases),
most arrive a few minutes late and leave a little early, and now and then someone uses a
free room or desk without booking it. Outside opening hours and on closing days the
building is empty. Every choice is a stable hash of the booking (or the place and the
hour), so a restarted simulator plays the same day."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

NO_SHOW_PERCENT = 15
UNBOOKED_PERCENT = {"room": 6, "desk": 4, "landing_spot": 8}  # per place per open hour


@dataclass(frozen=True)
class BookedSlot:
    booking_id: int
    start: datetime
    end: datetime
    checked_in: bool  # someone checked in: they did come
    attendees: int | None = None


@dataclass(frozen=True)
class Use:
    start: datetime
    end: datetime
    people: int


def _roll(*parts: object) -> int:
    """A stable number 0..9999 for the given parts (same parts, same number, every run)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 10_000


def booked_use(slot: BookedSlot, capacity: int) -> Use | None:
    """How a booking is really used, or None for a no-show."""
    roll = _roll("booking", slot.booking_id)
    if not slot.checked_in and roll % 100 < NO_SHOW_PERCENT:
        return None
    late = timedelta(minutes=roll % 11)
    early = timedelta(minutes=(roll // 11) % 13)
    start = slot.start + late
    end = max(start + timedelta(minutes=10), slot.end - early)
    people = slot.attendees or max(1, min(capacity, 1 + (roll // 143) % max(1, capacity)))
    return Use(start, end, min(people, capacity))


def unbooked_use(resource_id: int, kind: str, hour_start: datetime, capacity: int) -> Use | None:
    """Now and then a place is used in an open hour without a booking."""
    roll = _roll("walk-in", resource_id, hour_start.isoformat())
    if roll % 100 >= UNBOOKED_PERCENT.get(kind, 0):
        return None
    start = hour_start + timedelta(minutes=5 + roll // 100 % 25)
    return Use(start, start + timedelta(minutes=15 + roll // 2500 % 30),
               1 if kind != "room" else max(1, min(capacity, 2)))


def people_now(now: datetime, *, resource_id: int, kind: str, capacity: int,
               slots: Iterable[BookedSlot], open_now: bool) -> int:
    """How many people the sensor of a place sees at `now` (0: empty)."""
    if not open_now:
        return 0
    best = 0
    covered = False
    for slot in slots:
        if slot.start <= now < slot.end:
            covered = True
        use = booked_use(slot, capacity)
        if use is not None and use.start <= now < use.end:
            best = max(best, use.people)
    if best or covered:
        return best
    hour = now.replace(minute=0, second=0, microsecond=0)
    walk_in = unbooked_use(resource_id, kind, hour, capacity)
    if walk_in is not None and walk_in.start <= now < walk_in.end:
        return walk_in.people
    return 0
