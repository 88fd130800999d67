"""The insight use cases (read-only): plain values in, report answers out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hub.booking.rules import DEFAULTS
from hub.insights import data
from hub.insights.facts import Facts, OpenDay, Space, Viewer
from hub.insights.metrics import Occupancy
from hub.insights.plan import DemandSet, demand_for, sizing
from hub.insights.report import API_GROUPINGS, occupancy_answer
from hub.insights.waiting import lead_times
from hub.insights.window import open_days
from hub.timeutil import local_midnight

KINDS = ("room", "desk", "landing_spot")


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def label(self) -> tuple[str, str]:
        return self.first.isoformat(), self.last.isoformat()

    def end(self, tz: str) -> datetime:
        return local_midnight(self.last + timedelta(days=1), tz)


@dataclass(frozen=True)
class Scope:
    """What to count and for whom."""

    viewer: Viewer
    kind: str | None = None
    site: str | None = None


def _days(first: date, last: date, tz: str) -> list[OpenDay]:
    return open_days(first, last, replace(DEFAULTS["room"], tz=tz))


def _local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


@dataclass
class Loaded:
    """The facts of a period held in memory, for a page that computes several answers."""

    spaces: list[Space]
    weeks: list[Facts]


def load(period: Period, *, site: str | None, tz: str) -> Loaded:
    spaces = data.spaces(site=site)
    return Loaded(spaces, list(data.blocks(spaces, _days(period.first, period.last, tz))))


def _stream(period: Period, spaces: list[Space], tz: str, loaded: Loaded | None,
            progress: data.Progress | None = None) -> Iterable[Facts]:
    if loaded is None:
        return data.blocks(spaces, _days(period.first, period.last, tz), progress=progress)
    return loaded.weeks


def occupancy(period: Period, scope: Scope, *, now: datetime, tz: str,
              private_label: str, groupings: tuple[str, ...] = API_GROUPINGS,
              progress: data.Progress | None = None,
              loaded: Loaded | None = None) -> dict[str, dict[str, Any]]:
    """The occupancy answers for each grouping, from one pass over the period."""
    spaces = data.spaces(kind=scope.kind, site=scope.site) if loaded is None else \
        [s for s in loaded.spaces if scope.kind in (None, s.kind)]
    report = Occupancy(spaces, now=now, viewer=scope.viewer, tz=tz)
    for facts in _stream(period, spaces, tz, loaded, progress):
        report.add(facts)
    names = data.names(spaces, private_label)
    start, end = period.label
    return {g: occupancy_answer(report, g, names, start=start, end=end) for g in groupings}


def demand(period: Period, kind: str, *, site: str | None, now: datetime, tz: str,
           loaded: Loaded | None = None) -> tuple[list[Space], DemandSet]:
    """Used bookings and refused requests of one kind in the period."""
    spaces = data.spaces(kind=kind, site=site) if loaded is None else \
        [s for s in loaded.spaces if s.kind == kind]
    bookings, presence, refusals = [], [], []
    for facts in _stream(period, spaces, tz, loaded):
        dates = {d.day for d in facts.days}
        bookings += [b for b in facts.bookings if _local_date(b.start, tz) in dates]
        presence += facts.presence
        refusals += [r for r in facts.refusals if _local_date(r.start, tz) in dates]
    return spaces, demand_for(kind, spaces, bookings, presence, refusals, now=now, tz=tz)


def sizing_answer(period: Period, kind: str, *, site: str | None = None,
                  service_level: float = 0.95, count: int | None = None,
                  growth: float = 0.0, now: datetime, tz: str,
                  loaded: Loaded | None = None) -> dict[str, Any]:
    """CONTRACT /reports/sizing for one kind, with the curve, bands and size classes."""
    spaces, found = demand(period, kind, site=site, now=now, tz=tz, loaded=loaded)
    answer = sizing(kind, spaces, found, service_level=service_level, count=count,
                    growth=growth)
    start, end = period.label
    return {"from": start, "to": end, **answer}


def waiting(period: Period, *, site: str | None, now: datetime,
            tz: str) -> list[dict[str, object]]:
    """Lead time to the first free slot per kind and week of the searches in the period."""
    spaces = data.spaces(site=site)
    days = _days(period.first, period.last + timedelta(days=70), tz)
    if not days:
        return []
    since, until = days[0].start - timedelta(hours=8), min(now, period.end(tz))
    bookings, refusals = data.searches(spaces, since, until)
    return lead_times(spaces, bookings, refusals, days, since=since, until=until, tz=tz)
