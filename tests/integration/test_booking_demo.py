"""The demo booking history: realistic, consistent with the rules, fast."""

import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hub.booking.models import Booking, BookingSeries, RefusedDemand
from hub.booking.rules import DEFAULTS, RuleError, _check_shape
from hub.extensions import db

NOW = datetime(2026, 3, 31, 9, 30, tzinfo=UTC)  # a Tuesday, 11:30 in Amsterdam
AMS = ZoneInfo("Europe/Amsterdam")


def test_demo_history_is_consistent_and_fast(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.demo import seed
    from hub.registries import registry

    registry(app).remove("demo_steps", "sensors.history")
    began = time.monotonic()
    seed.seed(NOW)
    assert time.monotonic() - began < 30
    rows = list(db.session.scalars(select(Booking)))
    statuses = {b.status for b in rows}
    assert statuses == {"booked", "checked_in", "completed", "cancelled", "released"}
    for b in rows:
        _check_shape(DEFAULTS[b.resource.kind], b.start, b.end)  # raises RuleError if not
        if b.end <= NOW and b.status != "cancelled":
            # used (checked in) or no-show (released): the sensor demo relies on it
            assert (b.status, b.checked_in_at is not None) in (
                ("completed", True), ("released", False))
        if b.start > NOW:
            assert b.status in ("booked", "cancelled")

    def busy(weekday: int, morning: bool) -> int:
        return sum(1 for b in rows if b.resource.kind == "room"
                   and b.start.astimezone(AMS).weekday() == weekday
                   and (b.start.astimezone(AMS).hour < 12) == morning)
    assert busy(1, True) > 1.5 * busy(4, False)
    assert db.session.scalar(select(db.func.count(BookingSeries.id))) >= 5
    assert db.session.scalars(select(RefusedDemand)).first() is not None
    assert not any(b.resource.slug == "ggd-kamer" and b.organisation.slug != "ggd" for b in rows)


def test_rule_error_is_what_check_shape_raises() -> None:
    start = datetime(2026, 3, 31, 5, tzinfo=UTC)
    with pytest.raises(RuleError):
        _check_shape(DEFAULTS["room"], start, start.replace(hour=6))
