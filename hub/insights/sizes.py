"""Rooms by size class, pure: a conversation of two does not need a room for eight.

Classes are nested. The N for the largest class is sized on the requests that need it; the
N for "this class or larger" on all requests that need at least this class; the count of a
class is the difference. Large rooms may serve small requests, never the other way round."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hub.insights.sizing import BAND, Curve, Demand, bootstrap, curve, needed

CLASSES = (2, 4, 6)  # rooms for 2, for 4, and 6 or more (a party of 5+ needs "6+")


def class_of_party(people: int, classes: Sequence[int] = CLASSES) -> int:
    """The smallest class that fits a party: 1-2 -> 2, 3-4 -> 4, 5 and more -> the last."""
    for bound in classes[:-1]:
        if people <= bound:
            return bound
    return classes[-1]


def class_of_room(capacity: int, classes: Sequence[int] = CLASSES) -> int:
    """The largest class a room can serve: a room for 3 counts as a room for 2."""
    fitting = [c for c in classes if c <= capacity] or [classes[0]]
    return fitting[-1]


@dataclass(frozen=True)
class ClassNeed:
    size: int
    current: int
    count: int
    low: int | None
    high: int | None
    requests: int


def by_size(demands: Sequence[Demand], capacities: Sequence[int], level: float, *,
            classes: Sequence[int] = CLASSES, replicates: int = 400,
            seed: int = 7) -> list[ClassNeed]:
    """Per class: the current count, the count needed at `level` and its band."""
    weeks = sorted({d.week for d in demands})
    sized = [class_of_party(max(1, d.people or 1), classes) for d in demands]
    tiers = []
    for size in classes:
        part = [d for d, c in zip(demands, sized, strict=True) if c >= size]
        tiers.append((curve(part, weeks), sum(1 for c in sized if c == size)))
    points = [int(needed(c.served_share(), level)) if c.total else 0 for c, _ in tiers]
    bands = _tier_bands([c for c, _ in tiers], level, replicates, seed)
    current = [class_of_room(cap, classes) for cap in capacities]
    out = []
    for i, size in enumerate(classes):
        nxt = points[i + 1] if i + 1 < len(classes) else 0
        low = high = None
        if bands is not None:
            diff = bands[i] - (bands[i + 1] if i + 1 < len(classes) else 0)
            lo, hi = np.quantile(np.maximum(diff, 0), BAND, method="inverted_cdf")
            low, high = int(lo), int(hi)
        out.append(ClassNeed(size, current.count(size), max(0, points[i] - nxt), low, high,
                             tiers[i][1]))
    return out


def _tier_bands(curves: list[Curve], level: float, replicates: int,
                seed: int) -> list[np.ndarray] | None:
    # The same resampled weeks for every tier keep the classes of one replicate consistent.
    if not curves or len(curves[0].weeks) < 2:
        return None
    out = []
    for c in curves:
        samples = bootstrap(c, replicates, seed)
        out.append(np.zeros(replicates, int) if samples is None or c.total == 0
                   else needed(samples, level))
    return out
