"""What the board points out next to a resource's state: a no-show in the making, unbooked use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from hub.kiosk.board import _note

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


def booking(status: str, start: datetime) -> SimpleNamespace:
    return SimpleNamespace(status=status, start=start)


def test_booked_after_the_start_with_an_empty_room_is_a_no_show_in_the_making() -> None:
    started = booking("booked", NOW - timedelta(minutes=5))
    assert _note(started, "vacant", NOW) == "no_show"
    assert _note(started, None, NOW) == "not_checked_in"  # no sensor: only the check-in says
    assert _note(started, "occupied", NOW) is None  # someone is there: a soft check-in
    assert _note(booking("checked_in", NOW - timedelta(minutes=5)), "vacant", NOW) is None
    assert _note(booking("booked", NOW + timedelta(minutes=5)), "vacant", NOW) is None


def test_presence_without_a_booking_is_unbooked_use() -> None:
    assert _note(None, "occupied", NOW) == "unbooked_use"
    assert _note(None, "vacant", NOW) is None
