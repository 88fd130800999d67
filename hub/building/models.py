from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.accounts.models import Organisation
from hub.extensions import db

RESOURCE_KINDS = ("desk", "room", "landing_spot")
PRIVACY_LEVELS = ("normal", "private")
AMENITIES = ("wheelchair", "screen", "play_corner", "whiteboard", "video_call", "sink",
             "standing_desk", "quiet")

resource_organisations = Table(
    "resource_organisations",
    db.metadata,
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"),
           primary_key=True),
)


class Site(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")

    floors: Mapped[list[Floor]] = relationship(back_populates="site", order_by="Floor.level")


class Floor(db.Model):  # type: ignore[name-defined,misc]
    """A floor or a zone of a floor (flex space, service plaza)."""

    __tablename__ = "floors"
    __table_args__ = (UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(Integer, default=0)
    plan_image: Mapped[str | None] = mapped_column(String(300), nullable=True)

    site: Mapped[Site] = relationship(back_populates="floors")
    resources: Mapped[list[Resource]] = relationship(back_populates="floor",
                                                     order_by="Resource.name")


class Resource(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint("kind IN ('desk', 'room', 'landing_spot')", name="kind"),
        CheckConstraint("privacy IN ('normal', 'private')", name="privacy"),
        CheckConstraint("capacity >= 1", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id"), index=True)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    amenities: Mapped[list[str]] = mapped_column(JSON, default=list)
    privacy: Mapped[str] = mapped_column(String(16), default="normal")
    # Organisation kinds that may book this one resource; None follows the kind policy.
    org_kinds: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    bookable: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Position on the floor plan, in percent of the image (desk picker).
    plan_x: Mapped[float | None] = mapped_column(nullable=True)
    plan_y: Mapped[float | None] = mapped_column(nullable=True)

    floor: Mapped[Floor] = relationship(back_populates="resources")
    restricted_to: Mapped[list[Organisation]] = relationship(
        secondary=resource_organisations, order_by="Organisation.name"
    )

    @property
    def restricted(self) -> bool:
        return bool(self.restricted_to)

    @property
    def is_private(self) -> bool:
        return self.privacy == "private"

    def owned_by(self, organisation_id: int | None) -> bool:
        """True for a member of an organisation this resource is restricted to."""
        return any(o.id == organisation_id for o in self.restricted_to)

    def as_dict(self) -> dict[str, Any]:
        site = self.floor.site
        return {
            "id": self.id, "slug": self.slug, "name": self.name, "kind": self.kind,
            "site": {"id": site.id, "slug": site.slug, "name": site.name},
            "floor": {"id": self.floor.id, "slug": self.floor.slug, "name": self.floor.name},
            "capacity": self.capacity, "amenities": list(self.amenities or []),
            "restricted": self.restricted, "privacy": self.privacy, "bookable": self.bookable,
        }


class BookingPermission(db.Model):  # type: ignore[name-defined,misc]
    """Which organisation kind may book which resource kind: configuration, not code."""

    __tablename__ = "booking_permissions"
    __table_args__ = (UniqueConstraint("org_kind", "resource_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_kind: Mapped[str] = mapped_column(String(16))
    resource_kind: Mapped[str] = mapped_column(String(16))
