"""Enrolled kiosks: a device at the entrance (or a wall screen) with a credential of its own.

A kiosk is not a user: its credential is stored as a SHA-256 hash only and reaches only the
kiosk endpoints (PRODUCT.md, Roles)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import UTCDateTime, db


class Kiosk(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    credential_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the credential, to tell two kiosks apart on the facility page.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def label(self) -> str:
        """How the audit log names this kiosk."""
        return f"kiosk:{self.name}"
