"""Booking use cases. Plain values in (`actor_id`, `now`, `channel`); each runs in the one
unit of work (hub.db). Pages, the API, the kiosk, the CLI and the worker call these."""

from __future__ import annotations

from hub.booking.services.changes import (
    cancel_booking,
    check_in,
    check_out,
    checkin_window_of,
    move_booking,
)
from hub.booking.services.create import CreateResult, WalkIn, create_booking
from hub.booking.services.finding import SeriesMatch, find_free, find_free_series
from hub.booking.services.retention import purge_subjects
from hub.booking.services.sweep import complete_finished, release_no_shows, sweep

__all__ = [
    "CreateResult",
    "SeriesMatch",
    "WalkIn",
    "cancel_booking",
    "check_in",
    "check_out",
    "checkin_window_of",
    "complete_finished",
    "create_booking",
    "find_free",
    "find_free_series",
    "move_booking",
    "purge_subjects",
    "release_no_shows",
    "sweep",
]
