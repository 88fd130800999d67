"""No sequence of creates, series, moves, cancels, check-ins and sweeps by several people
ever yields two active bookings of one place at once, or a person over the desk quota.

A Hypothesis state machine drives the real use cases (hub.booking.services) on SQLite and
PostgreSQL; a refusal (409, 422, 403 ...) is a fine outcome, anything else fails. The
invariants are checked in SQL over the whole table after every step, so examples may share
the database. Few examples, to stay fast; the race tests cover true parallelism.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from hub.booking import services
from hub.booking.models import Booking
from hub.db import write
from hub.errors import HubError
from hub.extensions import db

pytestmark = pytest.mark.both_databases

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
DAYS = (date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 2))
DESK_SLOTS = ((time(8), time(12, 30)), (time(12, 30), time(18)), (time(8), time(18)))
DESK_QUOTA = 2
BOOKING_TABLES = {"bookings", "booking_series", "refused_demand", "mail_outbox",
                  "series_invitations", "audit_entries"}


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, AMS).astimezone(UTC)


def _check_invariants() -> None:
    active = list(db.session.execute(select(
        Booking.id, Booking.resource_id, Booking.user_id, Booking.start, Booking.end)
        .where(Booking.status.in_(("booked", "checked_in"))).order_by(Booking.start)))
    db.session.rollback()
    by_place: dict[int, list[Any]] = {}
    for row in active:
        by_place.setdefault(row.resource_id, []).append(row)
    for rows in by_place.values():
        for earlier, later in pairwise(rows):
            assert earlier.end <= later.start, f"overlap: {earlier} and {later}"
    return None


def _forget_bookings() -> None:
    with write():
        for table in reversed(db.metadata.sorted_tables):
            if table.name in BOOKING_TABLES:
                db.session.execute(table.delete())
    db.session.remove()


def test_no_overlap_and_no_quota_breach(app: Flask, make_org: Any, make_user: Any,
                                        make_resource: Any) -> None:
    core, other = make_org(), make_org()
    people = [make_user(org=core, password=None).id, make_user(org=core, password=None).id,
              make_user(org=other, password=None).id]
    rooms = [make_resource("room").id, make_resource("room").id]
    desks = [make_resource("desk").id, make_resource("desk").id, make_resource("desk").id]
    desk_ids = set(desks)
    booked: list[int] = []
    db.session.remove()

    class Booking_(RuleBasedStateMachine):
        made = Bundle("made")

        def __init__(self) -> None:
            super().__init__()
            self.now = START
            _forget_bookings()  # each example starts from an empty calendar

        def _try(self, action: Any) -> list[int]:
            try:
                result = action()
                found = getattr(result, "occurrences", None) or getattr(result, "bookings", None)
                items = found if found is not None else (
                    result if isinstance(result, list) else [result])
                return [b.id for b in items if hasattr(b, "id")]
            except HubError:
                db.session.rollback()
                return []
            finally:
                db.session.remove()

        @rule(target=made, who=st.sampled_from(people), room=st.sampled_from(rooms),
              day=st.sampled_from(DAYS), quarter=st.integers(0, 36),
              quarters=st.integers(1, 8), weekly=st.booleans())
        def book_room(self, who: int, room: int, day: date, quarter: int, quarters: int,
                      weekly: bool) -> int:
            start = _local(day, time(8)) + timedelta(minutes=15 * quarter)
            ids = self._try(lambda: services.create_booking(
                actor_id=who, resource=room, start=start,
                end=start + timedelta(minutes=15 * quarters), now=self.now, channel="api",
                rrule="FREQ=DAILY;COUNT=2" if weekly else None))
            booked.extend(ids)
            return ids[0] if ids else 0

        @rule(target=made, who=st.sampled_from(people), desk=st.sampled_from(desks),
              day=st.sampled_from(DAYS), slot=st.sampled_from(DESK_SLOTS),
              series=st.booleans())
        def book_desk(self, who: int, desk: int, day: date, slot: tuple[time, time],
                      series: bool) -> int:
            ids = self._try(lambda: services.create_booking(
                actor_id=who, resource=desk, start=_local(day, slot[0]),
                end=_local(day, slot[1]), now=self.now, channel="api",
                rrule="FREQ=DAILY;COUNT=3" if series else None))
            booked.extend(ids)
            return ids[0] if ids else 0

        @rule(booking=made, who=st.sampled_from(people), shift=st.integers(-8, 8),
              scope=st.sampled_from(("this", "following")))
        def move(self, booking: int, who: int, shift: int, scope: str) -> None:
            if not booking:
                return
            row = db.session.get(Booking, booking)
            start, end = (row.start, row.end) if row else (None, None)
            db.session.remove()
            if start is None:
                return
            delta = timedelta(minutes=15 * shift)
            self._try(lambda: services.move_booking(
                actor_id=who, booking_id=booking, start=start + delta, end=end + delta,
                now=self.now, channel="api", scope=scope))

        @rule(booking=made, who=st.sampled_from(people))
        def cancel(self, booking: int, who: int) -> None:
            if booking:
                self._try(lambda: services.cancel_booking(actor_id=who, booking_id=booking,
                                                          now=self.now, channel="api"))

        @rule(booking=made, who=st.sampled_from(people))
        def check_in(self, booking: int, who: int) -> None:
            if booking:
                self._try(lambda: services.check_in(actor_id=who, booking_id=booking,
                                                    now=self.now, channel="api"))

        @rule(minutes=st.integers(5, 600))
        def time_passes_and_sweep(self, minutes: int) -> None:
            self.now = min(self.now + timedelta(minutes=minutes), _local(DAYS[-1], time(19)))
            services.sweep(self.now)
            db.session.remove()

        @invariant()
        def never_overlap_or_over_quota(self) -> None:
            _check_invariants()
            rows = db.session.execute(select(Booking.user_id, Booking.resource_id,
                                             Booking.start).where(
                Booking.status.in_(("booked", "checked_in"))))
            per_day = Counter((u, s.astimezone(AMS).date()) for u, r, s in rows
                              if r in desk_ids)
            db.session.rollback()
            assert max(per_day.values(), default=0) <= DESK_QUOTA, per_day

    run_state_machine_as_test(Booking_, settings=settings(
        max_examples=8, stateful_step_count=12, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
    assert booked, "the machine never booked: the invariants were not put to work"
