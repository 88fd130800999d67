"""Figures counted per booking or per request: no-show rate, check-in compliance, refused
demand (METRICS.md), grouped like the slot figures, pure."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from hub.insights.facts import BookingFact, Facts, Presence, Space, Viewer

BEFORE, AFTER = timedelta(minutes=5), timedelta(minutes=15)  # the no-show window
Key = tuple[str, Hashable]


class _Attributor(Protocol):
    def org_key(self, organisation_id: int, space: Space) -> int | str: ...


def _presence_index(presence: list[Presence]) -> dict[int, list[tuple[datetime, datetime]]]:
    out: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for p in presence:  # walk-throughs count here: someone was there
        out[p.resource_id].append((p.start, p.end))
    for spans in out.values():
        spans.sort()
    return out


def seen(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    """Any presence overlapping [start, end)?"""
    i = bisect.bisect_left(spans, (end,))
    return any(s < end and e > start for s, e in spans[max(0, i - 8):i])


def is_no_show(booking: BookingFact, spans: list[tuple[datetime, datetime]]) -> bool:
    """No check-in and no presence in [start - 5 min, start + 15 min]."""
    if booking.checked_in_at is not None:
        return False
    return not seen(spans, booking.start - BEFORE, booking.start + AFTER)


REACHED, NO_SHOW, CHECKED_IN, REFUSED = range(4)


def _week(local: datetime) -> str:
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"

NAMES = ("reached", "no_show", "checked_in", "refused")


class EventCounter:
    def __init__(self, spaces: list[Space], viewer: Viewer, attributor: _Attributor, *,
                 now: datetime, tz: str) -> None:
        self.spaces = {s.id: s for s in spaces}
        self.kinds = {s.kind for s in spaces}
        self.viewer, self.attributor = viewer, attributor
        self.now, self.zone = now, ZoneInfo(tz)
        self.by_key: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        self._static = {s.id: [("total", "all"), ("kind", s.kind), ("resource", s.id),
                               ("floor", s.floor_id)] for s in spaces}

    def _bump(self, keys: list[Key], *flags: tuple[int, int]) -> None:
        for key in keys:
            counts = self.by_key[key]
            for index, value in flags:
                counts[index] += value

    def add(self, facts: Facts) -> None:
        dates = {d.day for d in facts.days}
        scope = self.viewer.scope_organisation_id
        presence = _presence_index(facts.presence)
        for b in facts.bookings:
            space = self.spaces.get(b.resource_id)
            if (space is None or b.status == "cancelled" or b.start >= self.now
                    or (scope is not None and b.organisation_id != scope)):
                continue
            local = b.start.astimezone(self.zone)
            if local.date() not in dates:
                continue
            no_show = is_no_show(b, presence.get(b.resource_id, []))
            keys = [*self._static[space.id], ("week", _week(local)),
                    ("weekday_hour", (local.isoweekday(), local.hour)),
                    ("organisation", self.attributor.org_key(b.organisation_id, space))]
            self._bump(keys, (REACHED, 1), (NO_SHOW, no_show),
                       (CHECKED_IN, b.checked_in_at is not None))
        for r in facts.refusals:
            local = r.start.astimezone(self.zone)
            if (r.kind not in self.kinds or local.date() not in dates
                    or (scope is not None and r.organisation_id != scope)):
                continue
            found: list[Key] = [("total", "all"), ("kind", r.kind), ("week", _week(local)),
                                ("weekday_hour", (local.isoweekday(), local.hour)),
                                ("week_kind", (_week(local), r.kind))]
            if r.organisation_id is not None:
                found.append(("organisation", r.organisation_id))
            self._bump(found, (REFUSED, 1))

    def counts(self, key: Key) -> dict[str, int]:
        return dict(zip(NAMES, self.by_key.get(key, [0, 0, 0, 0]), strict=True))

    def keys(self) -> list[Key]:
        return list(self.by_key)
