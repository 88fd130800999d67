"""What the calendar package keeps: feed tokens (hashed), the mail outbox, people's mail
choices, and the state of a series invitation (so a change re-sends the whole series)."""

from __future__ import annotations

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
)
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import UTCDateTime, db

FEED_SCOPES = ("personal", "plaza", "resource")
MAIL_KINDS = ("confirmation", "change", "cancellation", "release")
MAIL_STATUSES = ("pending", "sent", "failed")


class FeedToken(db.Model):  # type: ignore[name-defined,misc]
    """One secret calendar link of one person for one feed; only its SHA-256 is stored."""

    __tablename__ = "feed_tokens"
    __table_args__ = (
        CheckConstraint("scope IN ('personal', 'plaza', 'resource')", name="scope"),
        Index("ix_feed_tokens_user_scope", "user_id", "scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(16))
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OutboxMail(db.Model):  # type: ignore[name-defined,misc]
    """A mail to send, written in the booking's own transaction and sent by `hub worker`:
    a whole message, or (booking mail) a `draft` the worker renders into one when it sends."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        Index("ix_mail_outbox_status_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    # The RFC 5322 message as text (MIME, base64 parts): sending needs nothing else. None
    # for booking mail, whose `draft` holds what the booking's transaction knew (the event's
    # times, the invitation, its Message-ID); texts, QR and MIME are built when it is sent.
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)


class MailOptOut(db.Model):  # type: ignore[name-defined,misc]
    """A kind of booking mail a person turned off on /account."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))


class SeriesInvitation(db.Model):  # type: ignore[name-defined,misc]
    """What the series' one invitation said: each occurrence's original start (its
    RECURRENCE-ID), the skipped dates (EXDATE) and the invitation's own SEQUENCE."""

    __tablename__ = "series_invitations"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("booking_series.id", ondelete="CASCADE"), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    originals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    skipped: Mapped[list[str]] = mapped_column(JSON, default=list)
