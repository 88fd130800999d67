"""The sizing answer for one kind (CONTRACT section 2, /reports/sizing), pure."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.insights.events import is_no_show
from hub.insights.facts import BookingFact, Presence, Refusal, Space
from hub.insights.sizes import by_size
from hub.insights.sizing import (
    BOOTSTRAP,
    LEVELS,
    Demand,
    bootstrap,
    curve,
    curve_band,
    needed,
    recommend,
    with_growth,
)
from hub.insights.window import week_key


@dataclass
class DemandSet:
    demands: list[Demand]
    used_bookings: int
    refused: int
    size_known: int


def _party(b: BookingFact, space: Space, sessions: list[Presence]) -> tuple[int, bool]:
    """Attendees when given, else the people counter's highest count during the booking,
    else (assumption, conservative) the capacity of the room that was booked."""
    if b.attendees:
        return b.attendees, True
    if space.counting:
        i = bisect.bisect_left(sessions, b.end, key=lambda p: p.start)
        counts = [p.people for p in sessions[max(0, i - 6):i] if p.people and p.end > b.start]
        if counts:
            return max(counts), True
    return space.capacity, False


def demand_for(kind: str, spaces: Sequence[Space], bookings: Sequence[BookingFact],
               presence: Sequence[Presence], refusals: Sequence[Refusal], *, now: datetime,
               tz: str = "Europe/Amsterdam") -> DemandSet:
    """Used bookings (reached their start, not cancelled, not a no-show) plus refusals."""
    by_id = {s.id: s for s in spaces if s.kind == kind}
    sessions: dict[int, list[Presence]] = {}
    for p in presence:
        sessions.setdefault(p.resource_id, []).append(p)
    for found in sessions.values():
        found.sort(key=lambda p: p.start)
    spans = {rid: sorted((p.start, p.end) for p in ps) for rid, ps in sessions.items()}
    out: list[Demand] = []
    known = 0
    for b in bookings:
        space = by_id.get(b.resource_id)
        if space is None or b.status == "cancelled" or b.start >= now:
            continue
        if is_no_show(b, spans.get(b.resource_id, [])):
            continue
        people, certain = _party(b, space, sessions.get(b.resource_id, []))
        known += certain
        out.append(Demand(b.start, b.active_end, week_key(b.start, tz), people))
    used = len(out)
    for r in refusals:
        if r.kind == kind:
            known += r.people is not None
            out.append(Demand(r.start, r.end, week_key(r.start, tz), r.people or 1))
    return DemandSet(out, used, len(out) - used, known)


def sizing(kind: str, spaces: Sequence[Space], demand: DemandSet, *,
           service_level: float = 0.95, count: int | None = None, growth: float = 0.0,
           replicates: int = BOOTSTRAP) -> dict[str, Any]:
    """Recommended N for 90/95/99% (with bands), at the chosen level, the refused share for
    a typed-in N, the curve, and rooms by size class."""
    demands = with_growth(demand.demands, growth)
    c = curve(demands)
    levels = tuple(sorted({*LEVELS, service_level}))
    recs = {r.level: r for r in recommend(c, levels, replicates=replicates)}
    current = [s for s in spaces if s.kind == kind and s.bookable]
    chosen = recs[service_level]
    answer: dict[str, Any] = {
        "kind": kind, "current": len(current),
        "recommended": {str(level): recs[level].count for level in LEVELS},
        "service_level": service_level,
        "recommended_at_service_level": chosen.count,
        "refused_share_at_count": None if count is None else c.refused_share(count),
        "count": count, "growth": growth,
        "bands": {str(level): [recs[level].low, recs[level].high] for level in levels},
        "band_at_service_level": [chosen.low, chosen.high],
        "refused_share_now": c.refused_share(len(current)),
        "demand": {"requests": c.total, "used_bookings": demand.used_bookings,
                   "refused": demand.refused, "weeks": len(c.weeks),
                   "party_size_known": demand.size_known},
        "curve": curve_band(c, bootstrap(c, replicates), max(len(current), count or 0)),
    }
    if kind == "room":
        answer["by_size"] = [
            {"size": n.size, "current": n.current, "recommended": n.count,
             "band": [n.low, n.high], "requests": n.requests}
            for n in by_size(demands, [s.capacity for s in current], service_level,
                             replicates=replicates)]
    return answer


def needed_at(demands: Sequence[Demand], level: float) -> int:
    """The bare N for a level (tests and the what-if)."""
    return int(needed(curve(demands).served_share(), level))
