from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.extensions import UTCDateTime, db

ORG_KINDS = ("core", "network")
# An organisation's walk-in placeholder account (hub/kiosk/services/walk_in.py) has an address
# here (RFC 2606: never a real mailbox). It books for kiosk walk-ins; it is not a person, so
# it never appears among members or colleagues and cannot be invited or managed.
PLACEHOLDER_DOMAIN = "kiosk.invalid"

LANGUAGES = ("nl", "en")


class Organisation(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("kind IN ('core', 'network')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    members: Mapped[list[User]] = relationship(back_populates="organisation")

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "slug": self.slug, "name": self.name, "kind": self.kind}


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('staff', 'coordinator', 'reception', 'facility', 'admin')", name="role"
        ),
        CheckConstraint("language IN ('nl', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="staff")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A random filler, no longer a key: feed links live hashed in feed_tokens (hub/calendar,
    # migration 0013a). Kept NOT NULL UNIQUE for older databases; set here, nowhere else.
    feed_token: Mapped[str] = mapped_column(String(64), unique=True,
                                            default=lambda: secrets.token_urlsafe(24))
    # Bumped when the password changes or the user is deactivated: old sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(back_populates="members")

    # The token of the login this object was loaded for (hub/accounts/sessions.py); not stored.
    login_token = None

    @property
    def is_placeholder(self) -> bool:
        return self.email.endswith("@" + PLACEHOLDER_DOMAIN)

    @classmethod
    def is_person(cls) -> Any:
        """The SQL test for `not is_placeholder`."""
        return ~cls.email.endswith("@" + PLACEHOLDER_DOMAIN)

    def get_id(self) -> str:
        """What the session and remember cookies hold: user, version and the login's token."""
        return f"{self.id}:{self.session_version}:{self.login_token or ''}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """A deactivated organisation locks all its members out as well."""
        return bool(self.active) and bool(self.organisation.active)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class ApiToken(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()


class Invitation(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class LoginAttempt(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class LoginSession(db.Model):  # type: ignore[name-defined,misc]
    """One login on one device; logout ends it, so a copied cookie stops working too."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
