"""Waiting for a room, pure: when someone searched (made a booking, or found nothing), how
far ahead lay the first free slot of a typical length? Median and P90 per kind and week.

The state of the building at each search is rebuilt from the bookings themselves: a booking
exists from its creation until its cancellation or release, so the replay needs no log."""

from __future__ import annotations

import bisect
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.insights.facts import BookingFact, OpenDay, Refusal, Space
from hub.insights.window import week_key

STEP = timedelta(minutes=15)
HORIZON = timedelta(days=56)  # bookings open 8 weeks ahead: later than that is "no slot"


@dataclass
class _Calendar:
    """Active bookings per resource as sorted, non-overlapping (start, end) pairs."""

    spans: dict[int, list[tuple[datetime, datetime]]]

    def add(self, rid: int, span: tuple[datetime, datetime]) -> None:
        bisect.insort(self.spans.setdefault(rid, []), span)

    def remove(self, rid: int, span: tuple[datetime, datetime]) -> None:
        spans = self.spans.get(rid, [])
        i = bisect.bisect_left(spans, span)
        if i < len(spans) and spans[i] == span:
            spans.pop(i)

    def blocked_until(self, rid: int, start: datetime, end: datetime) -> datetime | None:
        """None when [start, end) is free on this resource, else the end of the blocker."""
        spans = self.spans.get(rid, [])
        i = bisect.bisect_left(spans, (end,))
        for s, e in reversed(spans[max(0, i - 4):i]):
            if e > start and s < end:
                return e
        return None


def typical_length(bookings: Sequence[BookingFact]) -> timedelta:
    """The median booked length: the slot a typical search asks for."""
    lengths = sorted(b.end - b.start for b in bookings)
    return lengths[len(lengths) // 2] if lengths else timedelta(hours=1)


def _ceil(moment: datetime, origin: datetime) -> datetime:
    steps = -((origin - moment) // STEP)
    return origin + steps * STEP


def first_free(cal: _Calendar, rids: Sequence[int], days: Sequence[OpenDay],
               at: datetime, length: timedelta) -> datetime | None:
    """The earliest start >= at, on the 15-minute grid inside opening hours, at which some
    resource is free for `length`; None when nothing within the horizon."""
    starts = [d.start for d in days]
    d = max(0, bisect.bisect_right(starts, at) - 1)
    candidate = at
    while d < len(days) and days[d].start < at + HORIZON:
        day = days[d]
        c = max(day.start, _ceil(candidate, day.start))
        while c + length <= day.end:
            blocks = []
            for rid in rids:
                until = cal.blocked_until(rid, c, c + length)
                if until is None:
                    return c
                blocks.append(until)
            c = _ceil(min(blocks), day.start)
        d += 1
        candidate = days[d].start if d < len(days) else candidate
    return None


def lead_times(spaces: Sequence[Space], bookings: Sequence[BookingFact],
               refusals: Sequence[Refusal], days: Sequence[OpenDay], *, since: datetime,
               until: datetime, tz: str = "Europe/Amsterdam") -> list[dict[str, object]]:
    """Per kind and week of the search: searches, median and P90 lead time in days."""
    kinds: dict[str, list[int]] = defaultdict(list)
    for s in spaces:
        if s.bookable:
            kinds[s.kind].append(s.id)
    by_resource = {s.id: s.kind for s in spaces}
    length = {k: typical_length([b for b in bookings if by_resource.get(b.resource_id) == k])
              for k in kinds}
    moments: list[tuple[datetime, int, str, object]] = []
    for b in bookings:
        if b.resource_id not in by_resource:
            continue
        span = (b.start, b.end)  # as it stood when made; a release frees it again
        moments.append((b.created_at, 1, "search", by_resource[b.resource_id]))
        moments.append((b.created_at, 2, "add", (b.resource_id, span)))
        gone = b.cancelled_at if b.status == "cancelled" else (
            b.released_at if b.status == "released" else None)
        if gone is not None:
            moments.append((gone, 0, "remove", (b.resource_id, span)))
    moments += [(r.at, 1, "search", r.kind) for r in refusals if r.kind in kinds]
    moments.sort(key=lambda m: (m[0], m[1]))
    cal = _Calendar({})
    waits: dict[tuple[str, str], list[float]] = defaultdict(list)
    for at, _, what, value in moments:
        if what == "add":
            cal.add(*value)  # type: ignore[misc]
        elif what == "remove":
            cal.remove(*value)  # type: ignore[misc]
        elif since <= at < until:
            kind = str(value)
            slot = first_free(cal, kinds[kind], days, at, length[kind])
            wait = (slot - at) if slot else HORIZON
            waits[(kind, week_key(at, tz))].append(wait / timedelta(days=1))
    for (kind, _week), v in list(waits.items()):
        waits[(kind, "all")] += v  # the whole period, per kind
    return [{"kind": kind, "week": week, "searches": len(v),
             "median_days": statistics.median(v), "p90_days": _p90(v),
             "typical_minutes": int(length[kind] / timedelta(minutes=1))}
            for (kind, week), v in sorted(waits.items())]


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]
