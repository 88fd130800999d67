"""Sizing for the new building (METRICS.md), pure: replay demand against N resources.

Demand is the used bookings plus refused requests (no-shows left out). Requests are replayed
in time order, each week on its own, and each takes the free resource with the lowest
number. With that first-fit rule the requests served by N resources are exactly those that
landed on resources 1..N, so one replay gives the refused share for every N at once, and
the share can only fall as N grows. Whole weeks are resampled (bootstrap) for the band."""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

LEVELS = (0.9, 0.95, 0.99)
BOOTSTRAP = 400
BAND = (0.05, 0.95)  # a 90% band: what the council sees as "12 (11-13)"


@dataclass(frozen=True, slots=True)
class Demand:
    start: datetime
    end: datetime
    week: str
    people: int | None = None


def replay_levels(demands: Iterable[Demand]) -> list[int]:
    """The resource number (1, 2, ...) each request lands on, in start order; first fit."""
    ordered = sorted(demands, key=lambda d: (d.start, d.end))
    busy: list[tuple[datetime, int]] = []   # (end, resource number)
    free: list[int] = []
    opened = 0
    out = []
    for d in ordered:
        while busy and busy[0][0] <= d.start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            number = heapq.heappop(free)
        else:
            opened += 1
            number = opened
        heapq.heappush(busy, (d.end, number))
        out.append(number)
    return out


def with_growth(demands: Sequence[Demand], growth: float, seed: int = 1) -> list[Demand]:
    """Demand scaled by (1 + growth): extra requests copied from the same week at random
    (a week with 100 requests gets 15 more at +15%), so peaks grow where they were."""
    if growth <= 0:
        return list(demands)
    rng = random.Random(seed)
    by_week: dict[str, list[Demand]] = {}
    for d in demands:
        by_week.setdefault(d.week, []).append(d)
    out = list(demands)
    for week in sorted(by_week):
        items = by_week[week]
        extra = growth * len(items)
        count = int(extra) + (1 if rng.random() < extra - int(extra) else 0)
        out += [rng.choice(items) for _ in range(count)]
    return out


@dataclass
class Curve:
    """Per week: how many requests each resource number took (weeks x numbers)."""

    weeks: list[str]
    counts: np.ndarray  # (W, L + 1): column n = requests that landed on resource n

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    @property
    def max_needed(self) -> int:
        return self.counts.shape[1] - 1

    def served_share(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Served share for N = 0..L (one row per bootstrap replicate when rows is 2-D)."""
        counts = self.counts.sum(axis=0) if rows is None else self.counts[rows].sum(axis=-2)
        served = np.cumsum(counts, axis=-1)
        total = served[..., -1:]
        return np.where(total > 0, served / np.maximum(total, 1), 1.0)

    def refused_share(self, n: int) -> float | None:
        if self.total == 0:
            return None
        served = float(self.counts.sum(axis=0)[:min(n, self.max_needed) + 1].sum())
        return (self.total - served) / self.total


def curve(demands: Iterable[Demand], weeks: Sequence[str] | None = None) -> Curve:
    """Replay each week on its own and count the requests per resource number (pass `weeks`
    to line up curves of parts of the demand, weeks without requests included)."""
    by_week: dict[str, list[Demand]] = {}
    for d in demands:
        by_week.setdefault(d.week, []).append(d)
    weeks = sorted(by_week) if weeks is None else list(weeks)
    by_week = {w: by_week.get(w, []) for w in weeks}
    levels = [replay_levels(by_week[w]) for w in weeks]
    width = max((max(lv) for lv in levels if lv), default=0) + 1
    counts = np.zeros((len(weeks), width))
    for i, lv in enumerate(levels):
        counts[i] += np.bincount(lv, minlength=width)
    return Curve(weeks, counts)


def needed(served: np.ndarray, level: float) -> np.ndarray:
    """Smallest N whose served share reaches the level (per row)."""
    return np.argmax(served >= level - 1e-12, axis=-1)


@dataclass(frozen=True)
class Recommendation:
    level: float
    count: int
    low: int | None   # the band from resampling whole weeks; None without history
    high: int | None


def recommend(c: Curve, levels: Sequence[float] = LEVELS, *, replicates: int = BOOTSTRAP,
              seed: int = 7) -> list[Recommendation]:
    """N per service level with a bootstrap band over whole weeks."""
    if c.total == 0:
        return [Recommendation(level, 0, None, None) for level in levels]
    point = c.served_share()
    samples = bootstrap(c, replicates, seed)
    out = []
    for level in levels:
        count = int(needed(point, level))
        if samples is None:
            out.append(Recommendation(level, count, None, None))
            continue
        spread = needed(samples, level)
        low, high = np.quantile(spread, BAND, method="inverted_cdf")
        out.append(Recommendation(level, count, int(low), int(high)))
    return out


def bootstrap(c: Curve, replicates: int = BOOTSTRAP, seed: int = 7) -> np.ndarray | None:
    """Served share per N for each replicate history (as many weeks, drawn with replacement)."""
    if len(c.weeks) < 2:
        return None
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(c.weeks), size=(replicates, len(c.weeks)))
    return c.served_share(rows)


def curve_band(c: Curve, samples: np.ndarray | None,
               upto: int = 0) -> list[dict[str, float | int | None]]:
    """The sizing curve: refused share against N, with the band, for N = 0..max(L, upto)
    (beyond L nothing is refused)."""
    point = 1.0 - c.served_share()
    low = high = None
    if samples is not None:
        low, high = np.quantile(1.0 - samples, BAND, axis=0, method="inverted_cdf")
    out: list[dict[str, float | int | None]] = []
    for n in range(max(c.max_needed, upto) + 1):
        i = min(n, c.max_needed)
        out.append({"count": n, "refused_share": max(0.0, float(point[i])),
                    "low": None if low is None else max(0.0, float(low[i])),
                    "high": None if high is None else max(0.0, float(high[i]))})
    return out
