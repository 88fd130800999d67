"""Read side for insights: when each resource's sensor could be trusted, and which
resources count people. (Kept beside queries.py; same rules: read only, no booking.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from hub.extensions import db
from hub.sensors.models import Device, DeviceAssignment
from hub.sensors.queries import unknown_intervals

Span = tuple[datetime, datetime]


def known_intervals(resource_ids: list[int], start: datetime,
                    end: datetime) -> list[tuple[int, datetime, datetime]]:
    """Times a resource's sensor was assigned, online and fresh (k = 1 in METRICS.md): the
    assignment periods less `queries.unknown_intervals`."""
    if not resource_ids:
        return []
    periods: dict[int, list[Span]] = {}
    for a in db.session.scalars(select(DeviceAssignment).where(
            DeviceAssignment.resource_id.in_(resource_ids), DeviceAssignment.valid_from < end,
            or_(DeviceAssignment.valid_to.is_(None), DeviceAssignment.valid_to > start))):
        periods.setdefault(a.resource_id, []).append(
            (max(start, a.valid_from), min(end, a.valid_to or end)))
    holes: dict[int, list[Span]] = {}
    for u in unknown_intervals(list(periods), start, end):
        holes.setdefault(u.resource_id, []).append((u.start, u.end))
    return [(rid, lo, hi) for rid, spans in periods.items()
            for lo, hi in minus(union(spans), union(holes.get(rid, [])))]


def union(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        elif lo < hi:
            merged.append((lo, hi))
    return merged


def minus(spans: list[Span], holes: list[Span]) -> list[Span]:
    """Sorted, disjoint spans less sorted, disjoint holes."""
    out = []
    for lo, hi in spans:
        cursor = lo
        for h_lo, h_hi in holes:
            if h_hi <= cursor or h_lo >= hi:
                continue
            if h_lo > cursor:
                out.append((cursor, h_lo))
            cursor = max(cursor, h_hi)
        if cursor < hi:
            out.append((cursor, hi))
    return out


def counting_resources(resource_ids: list[int]) -> set[int]:
    """Resources with a people counter assigned now (capacity utilisation, fill when used)."""
    if not resource_ids:
        return set()
    return set(db.session.scalars(
        select(DeviceAssignment.resource_id).join(
            Device, Device.device_id == DeviceAssignment.device_id)
        .where(DeviceAssignment.resource_id.in_(resource_ids),
               DeviceAssignment.valid_to.is_(None),
               or_(Device.kind == "count", Device.sensor_type == "counter"))))
