"""The METRICS.md figures over a period, grouped, pure: stream weeks in, rows out.

Slot sums follow the formulas literally: unknown slots (k = 0) are left out of numerator
and denominator alike, walk-throughs never reach the grid, released bookings count up to
their release. Organisation rows (and a coordinator's scope) count only the slots of that
organisation's own bookings: their "used share" is the used share of their booked time."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from hub.insights.events import EventCounter
from hub.insights.facts import Facts, Space, Viewer
from hub.insights.grid import Grid, GridBuilder
from hub.insights.window import SLOT

GROUPINGS = ("kind", "resource", "floor", "organisation", "weekday_hour", "week", "week_kind")
Q = ("window", "universe", "booked", "known", "used", "people_known", "cap_known",
     "people_present", "cap_present", "booked_known", "booked_unused", "present",
     "unbooked_long", "released", "released_reused")
LOW_COVERAGE = 0.9
Key = tuple[str, Hashable]


def percentile(values: list[int], q: float) -> int | None:
    """Nearest rank: an observed value (a daily peak really seen), never an interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _share(num: float, den: float) -> float | None:
    return None if den <= 0 else num / den


class Occupancy:
    """Accumulates one period, a week at a time; `rows(grouping)` gives the report rows."""

    def __init__(self, spaces: list[Space], *, now: datetime, viewer: Viewer | None = None,
                 tz: str = "Europe/Amsterdam") -> None:
        self.spaces, self.now, self.zone = spaces, now, ZoneInfo(tz)
        self.viewer = viewer or Viewer()
        self.builder = GridBuilder(spaces, self.viewer)
        self.sums: dict[Key, np.ndarray] = defaultdict(lambda: np.zeros(len(Q)))
        self.peaks: dict[Key, list[int]] = defaultdict(list)
        self.events = EventCounter(spaces, self.viewer, self.builder, now=now, tz=tz)
        self.scoped = self.viewer.scope_organisation_id is not None
        self.kinds = sorted({s.kind for s in spaces})
        self._static = self._static_groups()
        self.weeks = 0

    def _static_groups(self) -> tuple[list[Key], np.ndarray]:
        keys: list[Key] = [("total", "all")]
        keys += [("kind", k) for k in self.kinds]
        keys += [("floor", f) for f in sorted({s.floor_id for s in self.spaces})]
        keys += [("resource", s.id) for s in self.spaces]
        member = np.zeros((len(self.spaces), len(keys)))
        where = {k: i for i, k in enumerate(keys)}
        for r, s in enumerate(self.spaces):
            for key in (("total", "all"), ("kind", s.kind), ("floor", s.floor_id),
                        ("resource", s.id)):
                member[r, where[key]] = 1
        return keys, member

    # -- one week -----------------------------------------------------------------------
    def add(self, facts: Facts) -> None:
        if not facts.days or not self.spaces:
            return
        self.weeks += 1
        grid = self.builder.build(facts)
        booked = grid.booked_all
        if self.scoped:
            scope = self.builder.code(self.viewer.scope_organisation_id)  # type: ignore[arg-type]
            booked = grid.org == scope
        window = np.broadcast_to(grid.valid[:, None, :], booked.shape)
        universe = booked if self.scoped else window
        quantities = self._quantities(grid, booked, window, universe)
        self._add_static(quantities)
        self._add_hours(facts, quantities)
        self._add_orgs(grid, quantities, booked)
        self.events.add(facts)

    def _quantities(self, g: Grid, booked: np.ndarray, window: np.ndarray,
                    universe: np.ndarray) -> list[np.ndarray]:
        counting = np.array([s.counting for s in self.spaces])[None, :, None]
        cap = np.array([s.capacity for s in self.spaces], dtype=float)[None, :, None]
        known = g.known & universe
        used = g.present & known
        people = g.people.astype(float) * counting
        return [window, universe, booked, known, used, people * known, cap * known * counting,
                people * used, cap * used * counting, booked & g.known,
                booked & g.known & ~g.present, used, g.long & known & ~g.booked_all,
                g.released, g.released & (g.booked_all | (g.present & g.known))]

    def _add_static(self, qs: list[np.ndarray]) -> None:
        keys, member = self._static
        per_resource = np.stack([q.sum(axis=(0, 2)) for q in qs])  # (Q, R)
        totals = per_resource @ member  # (Q, G)
        for g, key in enumerate(keys):
            self.sums[key] += totals[:, g]
        # Daily peaks: concurrent spaces in use; a resource's own peak is 0 or 1.
        used = qs[4]  # (D, R, S)
        known: np.ndarray = np.asarray(qs[3].any(axis=2))  # (D, R): any known slot that day
        groups = [g for g, key in enumerate(keys) if key[0] != "resource"]
        concurrent = np.einsum("drs,rg->dgs", used.astype(np.float32), member[:, groups])
        daily = concurrent.max(axis=2)
        seen: np.ndarray = (known.astype(np.float32) @ member[:, groups]) > 0
        for col, g in enumerate(groups):
            self.peaks[keys[g]].extend(daily[seen[:, col], col].astype(int).tolist())
        per_day: np.ndarray = np.asarray(used.any(axis=2))
        for r, space in enumerate(self.spaces):
            self.peaks[("resource", space.id)].extend(per_day[known[:, r], r].astype(int).tolist())

    def _add_hours(self, facts: Facts, qs: list[np.ndarray]) -> None:
        shape = (qs[0].shape[0], qs[0].shape[2])
        cells = np.full(shape, 7 * 24, dtype=np.int64)  # (D, S); 168: outside W
        for d, day in enumerate(facts.days):
            n = int((day.end - day.start) / SLOT)
            opens = day.start.astimezone(self.zone)  # no clock change inside opening hours
            minute = opens.hour * 60 + opens.minute + np.arange(n) * 5
            cells[d, :n] = (opens.isoweekday() - 1) * 24 + minute // 60
        flat = cells.ravel()
        sums = np.stack([np.bincount(flat, weights=q.sum(axis=1).ravel(), minlength=169)
                         for q in qs])
        for cell in np.flatnonzero(sums[0][:168]):
            self.sums[("weekday_hour", (int(cell) // 24 + 1, int(cell) % 24))] += sums[:, cell]
        concurrent = qs[4].sum(axis=1)  # (D, S) spaces in use at once
        peaks = np.zeros((cells.shape[0], 169), dtype=np.int64)
        rows = np.broadcast_to(np.arange(cells.shape[0])[:, None], cells.shape)
        np.maximum.at(peaks, (rows.ravel(), flat), concurrent.ravel())
        for d in range(cells.shape[0]):
            for cell in np.unique(cells[d][cells[d] < 168]):
                key = ("weekday_hour", (int(cell) // 24 + 1, int(cell) % 24))
                self.peaks[key].append(int(peaks[d, cell]))

    def _add_orgs(self, g: Grid, qs: list[np.ndarray], booked: np.ndarray) -> None:
        # Per organisation the universe is its own booked slots (see the module docstring).
        cells = np.flatnonzero(booked)
        codes = g.org.ravel()[cells]
        n = len(self.builder.codes) + 1
        known = g.known.ravel()[cells]
        used = known & g.present.ravel()[cells]
        counting = np.array([s.counting for s in self.spaces])[None, :, None]
        people = (g.people * counting).ravel()[cells].astype(float)
        cap = np.broadcast_to(np.array([s.capacity * s.counting for s in self.spaces],
                                       float)[None, :, None], booked.shape).ravel()[cells]
        count = lambda w=None: np.bincount(codes, weights=w, minlength=n)  # noqa: E731
        universe, k, u = count(), count(known), count(used)
        zero = np.zeros(n)
        sums = np.stack([zero, universe, universe, k, u, count(people * known),
                         count(cap * known), count(people * used), count(cap * used), k, k - u,
                         u, zero, zero, zero])
        d, _, slots = booked.shape
        day_slot = (cells // (booked.shape[1] * slots)) * slots + cells % slots
        at = day_slot[used] * n + codes[used]
        concurrent = np.bincount(at, minlength=d * slots * n).reshape(d, slots, n)
        daily = concurrent.max(axis=1)  # (D, codes)
        total_window = float(qs[0].sum())
        names = {c: k for k, c in self.builder.codes.items()}
        for code in np.flatnonzero(universe):
            key: Key = ("organisation", names[int(code)])
            row = sums[:, code].copy()
            row[0] = total_window
            self.sums[key] += row
            self.peaks[key].extend(daily[:, code].astype(int).tolist())

    # -- the rows -----------------------------------------------------------------------
    def figures(self, key: Key) -> dict[str, Any]:
        s = dict(zip(Q, self.sums[key].tolist(), strict=True))
        ev = self.events.counts(key)
        attributed = self.scoped or key[0] == "organisation"
        peaks = self.peaks.get(key, [])
        coverage = _share(s["known"], s["universe"])
        return {
            "booked_share": _share(s["booked"], s["window"]),
            "used_share": _share(s["used"], s["known"]),
            "capacity_utilisation": _share(s["people_known"], s["cap_known"]),
            "fill_when_used": _share(s["people_present"], s["cap_present"]),
            "no_show_rate": _share(ev["no_show"], ev["reached"]),
            "unused_booked_time": _share(s["booked_unused"], s["booked_known"]),
            "unbooked_use": None if attributed else _share(s["unbooked_long"], s["present"]),
            "checkin_compliance": _share(ev["checked_in"], ev["reached"]),
            "released_reused": None if attributed else _share(s["released_reused"],
                                                               s["released"]),
            "coverage": coverage,
            "low_coverage": coverage is not None and coverage < LOW_COVERAGE,
            "peak_p50": percentile(peaks, 0.5), "peak_p90": percentile(peaks, 0.9),
            "peak_p95": percentile(peaks, 0.95), "peak_max": max(peaks) if peaks else None,
            "refused_demand": ev["refused"] if key[0] in ("total", "kind", "organisation",
                                                        "weekday_hour", "week",
                                                        "week_kind") else None,
            "bookings": ev["reached"],
            "booked_hours": s["booked"] * SLOT.total_seconds() / 3600,
        }

    def keys(self, grouping: str) -> list[Key]:
        if grouping == "total":
            return [("total", "all")]
        if grouping == "kind":
            return [("kind", k) for k in self.kinds]
        if grouping in ("resource", "floor"):
            return [k for k in self._static[0] if k[0] == grouping]
        found: Iterable[Key] = {*self.sums, *self.events.keys()}
        # Organisation ids sort as numbers, the private bucket last; hours in week order.
        return sorted((k for k in found if k[0] == grouping),
                      key=lambda k: (isinstance(k[1], str), k[1] if not isinstance(k[1], str)
                                     else 0, str(k[1])))

    def rows(self, grouping: str) -> list[tuple[Hashable, dict[str, Any]]]:
        return [(key[1], self.figures(key)) for key in self.keys(grouping)]
