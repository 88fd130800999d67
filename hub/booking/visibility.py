"""The privacy view of a booking, typed: how much a viewer may see, and exactly that.

The one rule, decided in `visibility()` and nowhere else:
- members of the booker's organisation (and the booker) see everything, subject included;
- for a private resource everyone outside its owning organisations sees busy/free only,
  reception, facility and admin included;
- reception sees booker (name only, to direct a visitor) and organisation, never the
  subject; facility, admin and everyone else see that it is booked and by which
  organisation (data minimisation, docs/privacy.md).

A `BookingView` holds only what its level allows (the other fields stay None), so a page,
feed or API answer cannot show more than the level by reading a field it should not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from hub.accounts.roles import BOOKER_NAME_ROLES
from hub.booking.rules import ACTIVE
from hub.timeutil import local_iso, rfc3339

# A day of a busy building is a thousand bookings that start and end at a few dozen moments:
# each moment's texts are computed once (pure functions of the instant and the zone).
_utc_text = lru_cache(maxsize=4096)(rfc3339)
_local_text = lru_cache(maxsize=4096)(local_iso)


class Visibility(StrEnum):
    FULL = "full"
    DESK = "desk"
    ORGANISATION = "organisation"
    BUSY = "busy"


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str | None  # None where the viewer needs the name only (reception)

    def as_dict(self) -> dict[str, Any]:
        person: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.email is not None:
            person["email"] = self.email
        return person


@dataclass(frozen=True)
class BookingView:
    """A booking as one viewer may see it; fields beyond the level are None."""

    visibility: Visibility
    resource: dict[str, Any]
    start: datetime
    end: datetime
    busy: bool
    tz: str
    id: int | None = None
    status: str | None = None
    series_id: int | None = None
    organisation: dict[str, Any] | None = None
    user: Person | None = None
    created_by: Person | None = None
    on_behalf: bool | None = None
    attendees: int | None = None
    checked_in_at: datetime | None = None
    sequence: int | None = None
    subject: str | None = None
    checkin_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values, with only the keys this level has (the API's answer shape)."""
        view: dict[str, Any] = {
            "resource": self.resource, "start": _utc_text(self.start),
            "end": _utc_text(self.end), "start_local": _local_text(self.start, self.tz),
            "end_local": _local_text(self.end, self.tz), "busy": self.busy,
            "visibility": str(self.visibility)}
        if self.visibility == Visibility.BUSY:
            return view
        view.update(id=self.id, status=self.status, series_id=self.series_id,
                    organisation=self.organisation)
        if self.visibility in (Visibility.FULL, Visibility.DESK):
            assert self.user is not None and self.created_by is not None
            view.update(user=self.user.as_dict(), created_by=self.created_by.as_dict(),
                        on_behalf=self.on_behalf, attendees=self.attendees,
                        checked_in_at=_utc_text(self.checked_in_at), sequence=self.sequence)
        if self.visibility == Visibility.FULL:
            view["subject"] = self.subject
        if self.checkin_code is not None:
            view["checkin_code"] = self.checkin_code
        return view


def visibility(booking: Any, viewer: Any) -> Visibility:
    """How much of a booking this viewer may see."""
    resource = booking.resource
    outsider = resource.is_private and not resource.owned_by(viewer.organisation_id)
    if viewer.organisation_id == booking.organisation_id or viewer.id == booking.user_id:
        return Visibility.FULL
    # Reception booked a private room for a member of its organisation: once saved, the
    # booking is as private to reception as to anyone else outside that organisation.
    if viewer.id == booking.created_by_id and not outsider:
        return Visibility.FULL
    if outsider:
        return Visibility.BUSY
    return Visibility.DESK if viewer.role in BOOKER_NAME_ROLES else Visibility.ORGANISATION


def _person(user: Any, *, with_email: bool = True) -> Person:
    return Person(id=user.id, name=user.name, email=user.email if with_email else None)


def view_of(booking: Any, viewer: Any, tz: str) -> BookingView:
    """The booking as this viewer may see it, computed from the loaded row (no queries
    beyond the relationships the caller loaded)."""
    level = visibility(booking, viewer)
    resource = booking.resource
    # A read-side resource (hub.building.queries.ResourceInfo) carries its reference ready.
    ref = getattr(resource, "ref", None) or {
        "id": resource.id, "slug": resource.slug, "name": resource.name, "kind": resource.kind}
    base: dict[str, Any] = {
        "visibility": level, "tz": tz, "start": booking.start, "end": booking.end,
        "busy": booking.status in ACTIVE, "resource": ref}
    if level == Visibility.BUSY:
        return BookingView(**base)
    org = booking.organisation
    base.update(id=booking.id, status=booking.status, series_id=booking.series_id,
                organisation={"id": org.id, "slug": org.slug, "name": org.name})
    if level in (Visibility.FULL, Visibility.DESK):
        full = level == Visibility.FULL
        base.update(user=_person(booking.user, with_email=full),
                    created_by=_person(booking.created_by, with_email=full),
                    on_behalf=booking.on_behalf, attendees=booking.attendees,
                    checked_in_at=booking.checked_in_at, sequence=booking.sequence)
    if level == Visibility.FULL:
        base["subject"] = booking.subject
    if viewer.id in (booking.user_id, booking.created_by_id) and level != Visibility.BUSY:
        # The check-in code is a key to this booking: only its own people get it.
        base["checkin_code"] = booking.checkin_code
    return BookingView(**base)
