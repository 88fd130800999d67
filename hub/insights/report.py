"""The answers of /reports/occupancy and /reports/sizing as plain values, pure: one place
rounds and labels them, so the API, CSV, XLSX, CLI and pages show the same numbers."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from hub.insights.facts import PRIVATE
from hub.insights.metrics import Occupancy

CONTRACT_FIELDS = ("booked_share", "used_share", "capacity_utilisation", "no_show_rate",
                   "unused_booked_time", "unbooked_use", "checkin_compliance", "coverage",
                   "peak_p50", "peak_p90", "peak_p95", "refused_demand")
EXTRA_FIELDS = ("fill_when_used", "released_reused", "peak_max", "low_coverage", "bookings",
                "booked_hours")
FIELDS = CONTRACT_FIELDS + EXTRA_FIELDS
SHARES = {"booked_share", "used_share", "capacity_utilisation", "no_show_rate",
          "unused_booked_time", "unbooked_use", "checkin_compliance", "coverage",
          "fill_when_used", "released_reused"}
API_GROUPINGS = ("kind", "resource", "floor", "organisation", "weekday_hour")


@dataclass
class Names:
    """Labels for the ids in the rows (from the database; hand-made in tests)."""

    resources: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # id -> slug, name
    organisations: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    floors: Mapping[int, str] = field(default_factory=dict)
    private_label: str = "Private resources"


def rounded(name: str, value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if name in SHARES:
        return round(float(value), 4)
    if name == "booked_hours":
        return round(float(value), 1)
    return int(value)


def group_value(grouping: str, key: Hashable, names: Names) -> Any:
    if grouping == "resource":
        slug, name = names.resources.get(int(key), ("", ""))  # type: ignore[call-overload]
        return {"id": key, "slug": slug, "name": name}
    if grouping == "organisation":
        if key == PRIVATE:
            return {"id": None, "slug": None, "name": names.private_label}
        slug, name = names.organisations.get(int(key), ("", ""))  # type: ignore[call-overload]
        return {"id": key, "slug": slug, "name": name}
    if grouping == "floor":
        return {"id": key, "name": names.floors.get(int(key), "")}  # type: ignore[call-overload]
    if grouping == "weekday_hour":
        weekday, hour = cast(tuple[int, int], key)
        return {"weekday": int(weekday), "hour": int(hour)}
    return key


def row(grouping: str, key: Hashable, figures: Mapping[str, Any], names: Names) -> dict[str, Any]:
    return {"group": group_value(grouping, key, names),
            **{f: rounded(f, figures.get(f)) for f in FIELDS}}


def occupancy_answer(occupancy: Occupancy, grouping: str, names: Names, *, start: str,
                     end: str) -> dict[str, Any]:
    """CONTRACT section 2: {from, to, group_by, rows: [...]}, plus the building total."""
    total = occupancy.figures(("total", "all"))
    return {"from": start, "to": end, "group_by": grouping,
            "rows": [row(grouping, k, f, names) for k, f in occupancy.rows(grouping)],
            "total": row("total", "all", total, names)}
