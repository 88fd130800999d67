"""Record audit entries inside the caller's transaction (the caller commits once)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.audit.models import CHANNELS, AuditEntry
from hub.extensions import db


def record(*, actor_id: int | None, actor_label: str, channel: str, action: str,
           entity_type: str, entity_id: object, now: datetime,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Add one audit entry to the session; it is stored with the change it describes."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel}")
    db.session.add(AuditEntry(
        at=now, actor_id=actor_id, actor_label=actor_label[:200], channel=channel,
        action=action, entity_type=entity_type, entity_id=str(entity_id),
        before=before, after=after,
    ))
