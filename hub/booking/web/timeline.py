"""Layout of a day timeline: busy blocks and free gaps as percentages of the opening hours. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_GAP = timedelta(minutes=15)


@dataclass(frozen=True)
class Busy:
    start: datetime
    end: datetime
    label: str
    kind: str = "busy"  # "busy", or "mine" for the viewer's own bookings


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    kind: str  # busy, mine, free
    label: str
    left: float  # percent of the window
    width: float


def _percent(part: timedelta, whole: timedelta) -> float:
    return round(100 * part / whole, 3)


def _segment(start: datetime, end: datetime, kind: str, label: str,
             window: tuple[datetime, datetime]) -> Segment:
    total = window[1] - window[0]
    return Segment(start, end, kind, label, _percent(start - window[0], total),
                   _percent(end - start, total))


def layout(window: tuple[datetime, datetime], busy: list[Busy]) -> list[Segment]:
    """Busy blocks clipped to the window, and the free gaps of at least 15 minutes between."""
    begin, end = window
    segments: list[Segment] = []
    cursor = begin
    for block in sorted(busy, key=lambda b: b.start):
        start, stop = max(block.start, begin), min(block.end, end)
        if stop <= start:
            continue
        if start - cursor >= MIN_GAP:
            segments.append(_segment(cursor, start, "free", "", window))
        segments.append(_segment(start, stop, block.kind, block.label, window))
        cursor = max(cursor, stop)
    if end - cursor >= MIN_GAP:
        segments.append(_segment(cursor, end, "free", "", window))
    return segments


def hour_marks(window: tuple[datetime, datetime]) -> list[tuple[datetime, float]]:
    """Whole hours inside the window with their position in percent."""
    begin, end = window
    first = begin.replace(minute=0, second=0, microsecond=0)
    if first < begin:
        first += timedelta(hours=1)
    marks = []
    moment = first
    while moment <= end:
        marks.append((moment, _percent(moment - begin, end - begin)))
        moment += timedelta(hours=1)
    return marks
