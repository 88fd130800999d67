"""Demo seed step: the demo building's one kiosk at the entrance.

Its credential is fixed and public (it is a demo): open /kiosk#credential=<DEMO_CREDENTIAL>
on the kiosk screen, or /board?display=wall after that on the same browser."""

from __future__ import annotations

from datetime import datetime

from hub.accounts.tokens import token_hash
from hub.extensions import db
from hub.kiosk.models import Kiosk

DEMO_CREDENTIAL = "kiosk_demo-entree"
DEMO_NAME = "Entree"


def kiosk_step(now: datetime) -> None:
    """Enrol the entrance kiosk (inside the seed's unit of work)."""
    db.session.add(Kiosk(name=DEMO_NAME, location="Entree, begane grond",
                         credential_hash=token_hash(DEMO_CREDENTIAL),
                         prefix=DEMO_CREDENTIAL[:12], created_at=now))
