"""One week of facts laid on the 5-minute slot grid (days x resources x slots), pure.

Memory holds one week at a time, whatever the length of the period: the report streams."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from hub.insights.facts import PRIVATE, Facts, OpenDay, Space, Viewer
from hub.insights.window import SLOT, slots_in

LONG_SESSION = timedelta(minutes=10)  # unbooked use counts sessions of 10+ minutes
Bool = npt.NDArray[np.bool_]
STEP = SLOT.total_seconds()
HALF = STEP / 2


@dataclass
class Grid:
    """The slot arrays of one week (D days, R resources, S slots a day)."""

    valid: Bool           # (D, S) slot inside the window
    booked_all: Bool      # (D, R, S) any active booking (cut at its release)
    org: npt.NDArray[np.int32]  # (D, R, S) attribution code of the booking, 0 none
    known: Bool           # k: sensor online and fresh
    present: Bool         # p: presence, walk-throughs left out
    long: Bool            # presence in a session of 10+ minutes
    people: npt.NDArray[np.int16]  # n: people count (counting sensors only)
    released: Bool        # the rest of a released booking after its release moment


def _ceil(x: float) -> int:
    whole = int(x)
    return whole + 1 if x > whole else whole


class _Days:
    """Day starts and ends as POSIX seconds: laying 100k facts must not cost datetime maths."""

    def __init__(self, days: list[OpenDay]) -> None:
        self.starts = [d.start.timestamp() for d in days]
        self.ends = [d.end.timestamp() for d in days]
        self.slots = [slots_in(d) for d in days]

    def lay(self, start: datetime, end: datetime) -> Iterator[tuple[int, int, int]]:
        """(day, first slot, end slot) for each day [start, end) touches; the midpoint rule
        of `window.slot_range`."""
        s, e = start.timestamp(), end.timestamp()
        d = max(0, bisect.bisect_right(self.starts, s) - 1)
        while d < len(self.starts) and self.starts[d] < e:
            if self.ends[d] > s:
                t0, n = self.starts[d], self.slots[d]
                i = max(0, min(n, _ceil((s - t0 - HALF) / STEP)))
                j = max(0, min(n, _ceil((e - t0 - HALF) / STEP)))
                if i < j:
                    yield d, i, j
            d += 1


class GridBuilder:
    """Lays facts on the grid; keeps the organisation codes stable across weeks."""

    def __init__(self, spaces: list[Space], viewer: Viewer) -> None:
        self.spaces = spaces
        self.index = {s.id: i for i, s in enumerate(spaces)}
        self.viewer = viewer
        self.codes: dict[int | str, int] = {}

    def code(self, key: int | str) -> int:
        return self.codes.setdefault(key, len(self.codes) + 1)

    def org_key(self, organisation_id: int, space: Space) -> int | str:
        return organisation_id if self.viewer.may_attribute(organisation_id, space) else PRIVATE

    def build(self, facts: Facts) -> Grid:
        days = facts.days
        size = (len(days), len(self.spaces), max(slots_in(d) for d in days))
        valid = np.zeros((size[0], size[2]), dtype=bool)
        for d, day in enumerate(days):
            valid[d, :slots_in(day)] = True
        grid = Grid(valid, np.zeros(size, bool), np.zeros(size, np.int32), np.zeros(size, bool),
                    np.zeros(size, bool), np.zeros(size, bool), np.zeros(size, np.int16),
                    np.zeros(size, bool))
        lay = _Days(days)
        self._bookings(grid, facts, lay)
        self._sensors(grid, facts, lay)
        return grid

    def _bookings(self, grid: Grid, facts: Facts, lay: _Days) -> None:
        for b in facts.bookings:
            r = self.index.get(b.resource_id)
            if r is None or b.status == "cancelled":
                continue
            code = self.code(self.org_key(b.organisation_id, self.spaces[r]))
            for d, i, j in lay.lay(b.start, b.active_end):
                grid.booked_all[d, r, i:j] = True
                grid.org[d, r, i:j] = code
            if b.active_end < b.end:
                for d, i, j in lay.lay(b.active_end, b.end):
                    grid.released[d, r, i:j] = True

    def _sensors(self, grid: Grid, facts: Facts, lay: _Days) -> None:
        for k in facts.known:
            r = self.index.get(k.resource_id)
            if r is not None:
                for d, i, j in lay.lay(k.start, k.end):
                    grid.known[d, r, i:j] = True
        for p in facts.presence:
            r = self.index.get(p.resource_id)
            if r is None or p.walk_through:
                continue
            long = p.end - p.start >= LONG_SESSION
            count = p.people if self.spaces[r].counting and p.people is not None else None
            for d, i, j in lay.lay(p.start, p.end):
                grid.present[d, r, i:j] = True
                grid.long[d, r, i:j] |= long
                if count is not None:
                    cell = grid.people[d, r, i:j]
                    np.maximum(cell, min(count, 32000), out=cell)
