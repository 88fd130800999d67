"""Readiness checks shared by the web process and `hub worker`: plain booleans, no detail
(CONTRACT section 3: the probes answer without login and without detail)."""

from __future__ import annotations

import logging

from sqlalchemy import text

from hub.extensions import db

log = logging.getLogger("hub.ops")


def database_ready() -> bool:
    """One round trip; a database that is down or restarting answers False, not a 500."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:
        log.warning("readiness: the database does not answer", exc_info=True)
        return False
    finally:
        db.session.rollback()
