"""Plain facts the insight computations read: no Flask, no database.

`hub.insights.data` loads them through the booking and sensor read modules; tests and the
benchmark build them by hand. All datetimes are tz-aware UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PRIVATE = "private"  # the organisation key of bookings a viewer may not attribute


@dataclass(frozen=True, slots=True)
class Space:
    """A resource as the statistics need it."""

    id: int
    kind: str
    capacity: int = 1
    slug: str = ""
    name: str = ""
    floor_id: int = 0
    floor_name: str = ""
    site: str = ""
    private: bool = False
    owners: frozenset[int] = frozenset()
    counting: bool = False  # has a people-counting sensor (capacity utilisation, fill)
    bookable: bool = True


@dataclass(frozen=True, slots=True)
class BookingFact:
    id: int
    resource_id: int
    organisation_id: int
    start: datetime
    end: datetime
    status: str
    created_at: datetime
    checked_in_at: datetime | None = None
    released_at: datetime | None = None
    cancelled_at: datetime | None = None
    attendees: int | None = None

    @property
    def active_end(self) -> datetime:
        """A released booking counts only up to its release moment."""
        if self.status == "released" and self.released_at is not None:
            return max(self.start, min(self.end, self.released_at))
        return self.end


@dataclass(frozen=True, slots=True)
class Presence:
    """A presence session (debounced); walk-throughs only count for the no-show rule."""

    resource_id: int
    start: datetime
    end: datetime
    people: int | None = None
    walk_through: bool = False


@dataclass(frozen=True, slots=True)
class Known:
    """A stretch in which the resource's sensor was online and fresh (k = 1)."""

    resource_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Refusal:
    """Refused demand: a request for a kind and time that found no free resource."""

    at: datetime
    kind: str
    start: datetime
    end: datetime
    organisation_id: int | None = None
    people: int | None = None


@dataclass(frozen=True, slots=True)
class OpenDay:
    """One day of the window W: opening hours in UTC (local day `day`)."""

    day: date
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks: decides which organisations a private resource's bookings may name."""

    organisation_id: int | None = None
    scope_organisation_id: int | None = None  # a coordinator: own organisation only

    def may_attribute(self, booking_org: int, space: Space) -> bool:
        if not space.private:
            return True
        return self.organisation_id is not None and (
            self.organisation_id == booking_org or self.organisation_id in space.owners)


@dataclass
class Facts:
    """Everything one chunk of days needs (the loader yields these week by week)."""

    days: list[OpenDay]
    bookings: list[BookingFact] = field(default_factory=list)
    presence: list[Presence] = field(default_factory=list)
    known: list[Known] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
