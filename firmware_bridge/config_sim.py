"""The optional `[simulate]` table: which simulated sensors `firmware-bridge simulate` runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal, Protocol, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from firmware_bridge.events import NAME_RE, Kind

Profile = Literal["room", "desk", "landing_spot"]
PROFILES: tuple[Profile, ...] = ("room", "desk", "landing_spot")
KINDS: tuple[Kind, ...] = ("presence", "motion", "count")
DEFAULT_CAPACITY: dict[str, int] = {"room": 8, "desk": 1, "landing_spot": 1}
_TABLE_KEYS = {"speed", "start", "timezone", "seed", "devices"}
_DEVICE_KEYS = {"device_id", "kind", "profile", "capacity"}


class _Checker(Protocol):
    def fail(self, path: tuple[str | int, ...], message: str) -> None: ...
    def unknown_keys(self, table: dict[str, Any], allowed: set[str],
                     path: tuple[str | int, ...]) -> None: ...
    def number(self, table: dict[str, Any], key: str, path: tuple[str | int, ...],
               default: float, lo: float, hi: float, whole: bool = True) -> float: ...


@dataclass(frozen=True, slots=True)
class SimDevice:
    device_id: str
    kind: Kind
    profile: Profile
    capacity: int


@dataclass(frozen=True, slots=True)
class SimulateConfig:
    speed: float
    start: datetime | None
    timezone: str
    seed: int | None
    devices: tuple[SimDevice, ...]


def as_datetime(value: Any, zone: ZoneInfo) -> datetime | None:
    """A TOML date or datetime, or an ISO string, as an aware datetime (naive means local)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):  # a bare date starts the day at 07:00
        return datetime.combine(value, time(7, 0), tzinfo=zone)
    return None


def _device(c: _Checker, index: int, entry: Any, seen: set[str]) -> SimDevice | None:
    path: tuple[str | int, ...] = ("simulate", "devices", index)
    if not isinstance(entry, dict):
        c.fail(path, "each [[simulate.devices]] entry must be a table")
        return None
    c.unknown_keys(entry, _DEVICE_KEYS, path)
    device_id, kind, profile = entry.get("device_id"), entry.get("kind"), entry.get("profile")
    ok = True
    if not isinstance(device_id, str) or not NAME_RE.match(device_id):
        c.fail((*path, "device_id"), "is required: 1..64 of a-z, 0-9, '-', '_' "
                                     f"(e.g. \"sim-spreekkamer-1\"), got {device_id!r}")
        ok = False
    elif device_id in seen:
        c.fail((*path, "device_id"), f"{device_id!r} is listed twice")
        ok = False
    if kind not in KINDS:
        c.fail((*path, "kind"), f"must be one of {', '.join(KINDS)}, got {kind!r}")
        ok = False
    if profile not in PROFILES:
        c.fail((*path, "profile"), f"must be one of {', '.join(PROFILES)}, got {profile!r}")
        ok = False
    default = DEFAULT_CAPACITY.get(str(profile), 1)
    capacity = int(c.number(entry, "capacity", path, default, 1, 1000))
    if not ok:
        return None
    seen.add(str(device_id))
    return SimDevice(str(device_id), cast(Kind, kind), cast(Profile, profile), capacity)


def check_simulate(c: _Checker, table: Any) -> SimulateConfig | None:
    """Validate the `[simulate]` table, recording problems in `c`."""
    path: tuple[str | int, ...] = ("simulate",)
    if not isinstance(table, dict):
        c.fail(path, "must be a table: [simulate]")
        return None
    c.unknown_keys(table, _TABLE_KEYS, path)
    zone_name = table.get("timezone", "Europe/Amsterdam")
    try:
        zone = ZoneInfo(str(zone_name))
    except (ZoneInfoNotFoundError, ValueError):
        c.fail((*path, "timezone"), f"unknown time zone {zone_name!r} (e.g. Europe/Amsterdam)")
        zone = ZoneInfo("Europe/Amsterdam")
    start = None
    if "start" in table:
        start = as_datetime(table["start"], zone)
        if start is None:
            c.fail((*path, "start"), "must be a date or date-time, e.g. 2026-03-30T07:00:00")
    seed = table.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        c.fail((*path, "seed"), f"must be a whole number, got {seed!r}")
        seed = None
    entries = table.get("devices", [])
    if not isinstance(entries, list) or not entries:
        c.fail((*path, "devices"), "needs at least one [[simulate.devices]] entry")
        entries = []
    seen: set[str] = set()
    checked = [_device(c, i, entry, seen) for i, entry in enumerate(entries)]
    devices = [d for d in checked if d is not None]
    return SimulateConfig(
        speed=c.number(table, "speed", path, 60.0, 0.001, 100_000, whole=False),
        start=start, timezone=str(zone.key), seed=seed, devices=tuple(devices),
    )
