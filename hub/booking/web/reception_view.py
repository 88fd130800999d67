"""Reception's "today in the building", shaped for reading at a glance: grouped by floor and
by kind of place, a "now" line between what is over and what is coming, an organisation
named once for consecutive rows, and filters. Works on privacy-filtered rows only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KIND_ORDER = {"room": 0, "desk": 1, "landing_spot": 2}


@dataclass
class Line:
    """One row of the table: a booking (with its display hints) or the "now" marker."""

    row: Any = None
    now_marker: bool = False
    running: bool = False  # start <= now < end
    over: bool = False
    same_org_as_previous: bool = False


@dataclass
class Group:
    floor: str
    kind: str
    lines: list[Line] = field(default_factory=list)
    free_now: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    organisation: str | None = None
    free_now: bool = False


def _lines(rows: list[Any], now: datetime, with_marker: bool) -> list[Line]:
    lines: list[Line] = []
    marked = not with_marker
    previous_org: str | None = None
    for row in sorted(rows, key=lambda r: (r.start, r.resource_name)):
        if not marked and row.start > now:
            lines.append(Line(now_marker=True))
            marked, previous_org = True, None
        org = row.organisation
        lines.append(Line(row=row, running=row.start <= now < row.end, over=row.end <= now,
                          same_org_as_previous=org is not None and org == previous_org))
        previous_org = org
    if not marked and lines:
        lines.append(Line(now_marker=True))
    return lines


def group(rows: Iterable[Any], places: Iterable[tuple[str, str, str, int]], now: datetime,
          filters: Filters, *, today: bool) -> list[Group]:
    """Groups per (floor, kind) in building order.

    `places` are (floor name, kind, resource name, resource id) of every active resource in
    building order; a group lists its bookings (filtered) and, for "free now", the places
    with no booking running now."""
    rows = list(rows)
    if filters.organisation:
        rows = [r for r in rows if r.organisation == filters.organisation]
    busy_now = {r.resource_id for r in rows if r.start <= now < r.end
                and r.status not in ("cancelled", "released", "completed")}
    groups: dict[tuple[str, str], Group] = {}
    for floor, kind, name, resource_id in places:
        if filters.kind and kind != filters.kind:
            continue
        key = (floor, kind)
        groups.setdefault(key, Group(floor, kind))
        if filters.free_now and today and resource_id not in busy_now:
            groups[key].free_now.append(name)
    by_resource = {rid: (floor, kind) for floor, kind, _name, rid in places}
    members: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        place = by_resource.get(row.resource_id)
        if place is not None and place in groups:
            members.setdefault(place, []).append(row)
    for key, found in groups.items():
        if not filters.free_now:
            found.lines = _lines(members.get(key, []), now, with_marker=today)
    return [g for g in groups.values() if g.lines or g.free_now]


def person_label(name: str | None, organisation: str | None) -> str | None:
    """A name without its organisation in brackets when the next column names it already
    ("Daan (Centrum voor Jeugd en Gezin)" beside "Centrum voor Jeugd en Gezin")."""
    if name and organisation and name.endswith(f"({organisation})"):
        return name[: -len(organisation) - 2].rstrip() or name
    return name


def organisations(rows: Iterable[Any]) -> list[str]:
    """The organisations that appear, for the filter (sorted, each once)."""
    return sorted({r.organisation for r in rows if r.organisation})
