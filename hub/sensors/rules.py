"""Presence rules (METRICS.md, debounce and hold), pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

WALK_THROUGH = timedelta(minutes=5)
HEARTBEAT_INTERVAL = timedelta(seconds=60)
MISSED_HEARTBEATS = 3
# A device that only reports changes can be silent all night; Zigbee2MQTT's own availability
# timeout for battery devices is 25 h, so a little more than that.
DEVICE_STALE_AFTER = timedelta(hours=26)
SENSOR_TYPES = ("pir", "radar", "counter")
# Hold after the last "someone is here", per sensor type and resource kind.
HOLDS: dict[tuple[str, str], timedelta] = {
    ("pir", "room"): timedelta(minutes=10),
    ("pir", "desk"): timedelta(minutes=15),
    ("pir", "landing_spot"): timedelta(minutes=15),
    ("radar", "room"): timedelta(minutes=3),
    ("radar", "desk"): timedelta(minutes=3),
    ("radar", "landing_spot"): timedelta(minutes=3),
    ("counter", "room"): timedelta(minutes=3),
    ("counter", "desk"): timedelta(minutes=3),
    ("counter", "landing_spot"): timedelta(minutes=3),
}
# The device's own "no more motion" timeout, already gone by when it reports vacant.
# Zigbee2MQTT's occupancy_timeout defaults to 90 s; radars and counters report at once.
VENDOR_TIMEOUTS: dict[str, timedelta] = {"pir": timedelta(seconds=90)}


@dataclass(frozen=True, slots=True)
class Reading:
    """One stored event as the rules need it."""

    at: datetime
    occupied: bool
    people: int | None = None


@dataclass(frozen=True, slots=True)
class Session:
    resource_id: int
    start: datetime
    end: datetime
    walk_through: bool
    people_max: int | None = None


def default_sensor_type(kind: str) -> str:
    """A count sensor is a counter; presence and motion reports are treated as PIRs."""
    return "counter" if kind == "count" else "pir"


def hold_for(sensor_type: str, resource_kind: str, hold_s: int | None = None) -> timedelta:
    """A device's own setting wins; else the METRICS.md default for its type and place."""
    if hold_s is not None:
        return timedelta(seconds=hold_s)
    return HOLDS.get((sensor_type, resource_kind), timedelta(minutes=10))


def vendor_timeout(sensor_type: str) -> timedelta:
    """How long after the last detection the device itself reports 'vacant', by default."""
    return VENDOR_TIMEOUTS.get(sensor_type, timedelta(0))


def device_timeout(sensor_type: str, *, reported_s: int | None = None,
                   set_s: int | None = None, model_s: int | None = None
                   ) -> tuple[timedelta, str]:
    """The device's own timeout and where it comes from: what its vendor reported (a PIR set
    to 180 s says so through zigbee2mqtt), else what was set for this device, else for its
    model, else the default of its sensor type."""
    for value, source in ((reported_s, "reported"), (set_s, "device"), (model_s, "model")):
        if value is not None:
            return timedelta(seconds=value), source
    return vendor_timeout(sensor_type), "default"


def held_until(last_occupied: datetime, vacant_at: datetime | None, hold: timedelta,
               timeout: timedelta = timedelta(0)) -> datetime:
    """When a stretch stops counting as occupied: `hold` after the last detection.

    Bridges send transitions only, so a 'vacant' report stands for the last detection plus
    the device's own timeout; that timeout counts towards the hold instead of adding to it.
    """
    end = last_occupied + hold
    if vacant_at is not None:
        end = max(end, vacant_at + max(hold - timeout, timedelta(0)))
    return end


def state_now(*, last_state: bool | None, last_occupied_at: datetime | None,
              last_seen: datetime | None, hold: timedelta, online: bool,
              now: datetime, last_state_at: datetime | None = None,
              timeout: timedelta = timedelta(0)) -> str:
    """occupied / vacant / unknown for one device now (the same hold as `sessions_from`)."""
    if not online or last_seen is None or now - last_seen > DEVICE_STALE_AFTER:
        return "unknown"
    if last_state:
        return "occupied"
    vacant_at = last_state_at if last_state is False else None
    if last_occupied_at is not None and now < held_until(last_occupied_at, vacant_at, hold,
                                                         timeout):
        return "occupied"
    return "vacant"


def gateway_online(*, state: str, last_heartbeat: datetime | None, since: datetime | None,
                   now: datetime, interval: timedelta = HEARTBEAT_INTERVAL) -> bool:
    """Online by its retained status and not silent for three heartbeats."""
    if state != "online":
        return False
    latest = max((t for t in (last_heartbeat, since) if t is not None), default=None)
    return latest is not None and now - latest <= interval * MISSED_HEARTBEATS


def raw_intervals(readings: Sequence[Reading], hold: timedelta, until: datetime,
                  timeout: timedelta = timedelta(0)) -> list[tuple[datetime, datetime, int | None]]:
    """Occupied stretches from time-ordered readings, each held after its last detection."""
    out: list[tuple[datetime, datetime, int | None]] = []
    start: datetime | None = None
    last_true: datetime | None = None
    people: int | None = None
    for r in readings:
        if r.occupied:
            if start is None:
                start, people = r.at, r.people
            elif r.people is not None:
                people = max(people or 0, r.people)
            last_true = r.at
        elif start is not None and last_true is not None:
            out.append((start, held_until(last_true, r.at, hold, timeout), people))
            start, last_true, people = None, None, None
    if start is not None and last_true is not None:
        out.append((start, max(until, last_true + hold), people))
    return out


def merge(intervals: Iterable[tuple[datetime, datetime, int | None]]
          ) -> list[tuple[datetime, datetime, int | None]]:
    """Join overlapping stretches. Their ends already carry the hold, so this joins exactly
    the gaps between detections shorter than the hold (merging on a further `hold` of
    vacancy would stack it twice: two motions up to 2 x hold apart in one session)."""
    merged: list[tuple[datetime, datetime, int | None]] = []
    for start, end, people in sorted(intervals, key=lambda i: i[0]):
        if merged and start <= merged[-1][1]:
            s, e, p = merged[-1]
            both = [x for x in (p, people) if x is not None]
            merged[-1] = (s, max(e, end), max(both) if both else None)
        else:
            merged.append((start, end, people))
    return merged


def sessions_from(resource_id: int, readings: Sequence[Reading], hold: timedelta,
                  until: datetime, timeout: timedelta = timedelta(0)) -> list[Session]:
    """Presence sessions of one resource's sensor; short ones are marked as walk-throughs."""
    stretches = merge(raw_intervals(readings, hold, until, timeout))
    return [Session(resource_id, s, e, e - s < WALK_THROUGH, p) for s, e, p in stretches]


def clip(sessions: Iterable[Session], start: datetime, end: datetime) -> list[Session]:
    """Sessions cut to [start, end); the walk-through mark keeps the whole session's length."""
    out = []
    for s in sessions:
        if s.end > start and s.start < end:
            out.append(Session(s.resource_id, max(s.start, start), min(s.end, end),
                               s.walk_through, s.people_max))
    return out
