"""Kiosk use cases: enrolment, scans, walk-ins. Plain values in (`kiosk_id`, `now`)."""

from __future__ import annotations

from hub.kiosk.services.enrol import enrol_kiosk, kiosk_for_credential, revoke_kiosk, seen
from hub.kiosk.services.scan import ScanAnswer, scan
from hub.kiosk.services.walk_in import walk_in

__all__ = ["ScanAnswer", "enrol_kiosk", "kiosk_for_credential", "revoke_kiosk", "scan", "seen",
           "walk_in"]
