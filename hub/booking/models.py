"""Bookings, booking series, refused demand and per-kind booking policy overrides."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.accounts.models import Organisation, User
from hub.booking.rules import ACTIVE, overlaps
from hub.building.models import Resource
from hub.extensions import UTCDateTime, db

# Typeable and unambiguous: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8
ACTIVE_SQL = "status IN ('booked', 'checked_in')"


def new_checkin_code() -> str:
    """8 characters from 25: about 1.5e11 codes, unguessable enough for a short-lived code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class BookingSeries(db.Model):  # type: ignore[name-defined,misc]
    """A recurring booking: the RRULE and its first start; occurrences are Booking rows."""

    __tablename__ = "booking_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    rrule: Mapped[str] = mapped_column(String(500))
    dtstart: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Booking(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint('"end" > start', name="end_after_start"),
        CheckConstraint(
            "status IN ('booked', 'checked_in', 'completed', 'cancelled', 'released')",
            name="status"),
        # The database is the last line of defence: no two active bookings of one resource
        # overlap (half-open ranges). SQLite has no such constraint: services lock instead.
        ExcludeConstraint(
            (column("resource_id"), "="),
            (func.tstzrange(column("start"), column("end"), text("'[)'")), "&&"),
            where=text(ACTIVE_SQL), using="gist", name="ex_bookings_no_overlap",
        ).ddl_if(dialect="postgresql"),
        Index("ix_bookings_resource_start", "resource_id", "start"),
        # The conflict check: a resource's bookings that end after a start are the few ahead,
        # where those starting before an end are its whole history (both databases pick it).
        Index("ix_bookings_resource_end", "resource_id", "end"),
        Index("ix_bookings_start", "start"),
        # One person's bookings of a day (the quota count); serves user_id lookups too.
        Index("ix_bookings_user_start", "user_id", "start"),
        UniqueConstraint("checkin_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"))
    # The person it is for, and who made it (differs when booked on behalf).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The person's organisation at booking time: statistics stay true after a move.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="booked")
    subject: Mapped[str | None] = mapped_column(String(200), nullable=True)
    attendees: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checkin_code: Mapped[str] = mapped_column(String(16), default=new_checkin_code)
    # A walk-in at the kiosk: the visitor's first name (the booking's person is the
    # organisation's walk-in placeholder, an account nobody logs in to).
    visitor_name: Mapped[str | None] = mapped_column(String(60), nullable=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking_series.id", ondelete="SET NULL"), nullable=True, index=True)
    # iCalendar SEQUENCE: raised on every change so calendar apps update the event.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    resource: Mapped[Resource] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    organisation: Mapped[Organisation] = relationship()
    series: Mapped[BookingSeries | None] = relationship()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def on_behalf(self) -> bool:
        return self.user_id != self.created_by_id

    @classmethod
    def overlapping(cls, start: datetime, end: datetime) -> Any:
        """SQL condition: an active booking overlapping [start, end) (the rule of rules.py)."""
        return overlaps(cls.start, cls.end, start, end) & cls.status.in_(ACTIVE)

    def audit_view(self) -> dict[str, Any]:
        """The fields an audit entry keeps before and after a change. Never the subject's text:
        the retention purge must be able to erase it, so the audit says only that one was set."""
        return {"resource_id": self.resource_id, "user_id": self.user_id,
                "created_by_id": self.created_by_id, "organisation_id": self.organisation_id,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "status": self.status, "subject_set": self.subject is not None,
                "attendees": self.attendees,
                "series_id": self.series_id, "sequence": self.sequence}


class RefusedDemand(db.Model):  # type: ignore[name-defined,misc]
    """A request the building could not serve: an empty search or an unretried conflict."""

    __tablename__ = "refused_demand"
    __table_args__ = (
        CheckConstraint("reason IN ('no_free_resource', 'conflict')", name="reason"),
        Index("ix_refused_demand_kind_start", "kind", "start"),
        # A person's recent refusals, which a booking resolves (not every refusal of a kind).
        Index("ix_refused_demand_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    people: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(String(32))
    # Set when the same person booked the same kind for an overlapping time soon after:
    # then the demand was served after all and the report leaves it out.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class BookingPolicy(db.Model):  # type: ignore[name-defined,misc]
    """Overrides of the default rules for a resource kind, or for one resource."""

    __tablename__ = "booking_policies"
    __table_args__ = (UniqueConstraint("resource_kind", "resource_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_kind: Mapped[str] = mapped_column(String(16))
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), nullable=True)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
