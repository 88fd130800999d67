"""Enrol, find and revoke kiosks. The credential is shown once; only its hash is kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from hub.accounts.services import actor_label, clean_name
from hub.accounts.tokens import new_token, token_hash
from hub.audit.services import record
from hub.db import write
from hub.errors import Conflict, NotFound
from hub.extensions import db
from hub.kiosk.models import Kiosk

CREDENTIAL_PREFIX = "kiosk_"
# A kiosk polls every few seconds: note that it was seen at most once a minute.
SEEN_EVERY = timedelta(minutes=1)


def enrol_kiosk(*, name: str, location: str = "", now: datetime, actor_id: int | None = None,
                channel: str = "cli") -> tuple[Kiosk, str]:
    """A new kiosk and its credential (plain text returned once, stored hashed)."""
    clean = clean_name(name, "name")[:100]
    place = (location or "").strip()[:200]
    plain = new_token(CREDENTIAL_PREFIX)
    with write():
        if db.session.scalar(select(Kiosk).filter_by(name=clean)) is not None:
            raise Conflict(_("A kiosk with this name exists already. Choose another name."),
                           {"field": "name"})
        kiosk = Kiosk(name=clean, location=place, credential_hash=token_hash(plain),
                      prefix=plain[:12], created_at=now, created_by_id=actor_id)
        db.session.add(kiosk)
        db.session.flush()
        record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
               action="kiosk.enrol", entity_type="kiosk", entity_id=kiosk.id, now=now,
               after={"name": clean, "location": place})
    return kiosk, plain


def revoke_kiosk(*, kiosk_id: int, now: datetime, actor_id: int | None = None,
                 channel: str = "web") -> Kiosk:
    """Revoke a kiosk's credential at once; revoking twice is harmless."""
    with write():
        kiosk = db.session.get(Kiosk, kiosk_id)
        if kiosk is None:
            raise NotFound(_("No such kiosk."))
        if kiosk.revoked_at is None:
            kiosk.revoked_at = now
            record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
                   action="kiosk.revoke", entity_type="kiosk", entity_id=kiosk.id, now=now,
                   after={"name": kiosk.name})
    return kiosk


def kiosk_by_name(name: str) -> Kiosk:
    kiosk = db.session.scalar(select(Kiosk).filter_by(name=(name or "").strip()))
    if kiosk is None:
        raise NotFound(_("No such kiosk."))
    return kiosk


def kiosk_for_credential(plain: str) -> Kiosk | None:
    """The enrolled, unrevoked kiosk this credential belongs to (read only)."""
    if not isinstance(plain, str) or not plain.startswith(CREDENTIAL_PREFIX) or len(plain) > 200:
        return None
    kiosk = db.session.scalar(select(Kiosk).filter_by(credential_hash=token_hash(plain)))
    if kiosk is None or kiosk.revoked_at is not None:
        return None
    return kiosk


def seen(kiosk_id: int, *, now: datetime) -> None:
    """Note that the kiosk is alive (for the facility page), throttled to once a minute."""
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None or (kiosk.last_seen_at is not None and now - kiosk.last_seen_at < SEEN_EVERY):
        return
    with write():
        kiosk = db.session.get(Kiosk, kiosk_id)
        if kiosk is not None:
            kiosk.last_seen_at = now

