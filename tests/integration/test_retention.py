"""Subjects are erased after the retention period; the bookings stay for the statistics."""

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from hub.audit.models import AuditEntry
from hub.booking.models import Booking
from hub.booking.retention import purge_subjects
from hub.extensions import db
from tests.hub_fixtures import T0


def _booking(user: Any, room: Any, *, ended_days_ago: int, subject: str | None) -> Booking:
    end = T0 - timedelta(days=ended_days_ago)
    booking = Booking(resource_id=room.id, user_id=user.id, created_by_id=user.id,
                      organisation_id=user.organisation_id, start=end - timedelta(hours=1),
                      end=end, status="completed", subject=subject, sequence=0,
                      created_at=end, updated_at=end)
    db.session.add(booking)
    db.session.commit()
    return booking


def test_old_subjects_are_erased_and_recent_ones_kept(app: Any, make_user: Any,
                                                      make_resource: Any) -> None:
    user, room = make_user(), make_resource("room")
    old = _booking(user, room, ended_days_ago=91, subject="Gesprek over schulden")
    recent = _booking(user, room, ended_days_ago=10, subject="Teamoverleg")
    assert purge_subjects(now=T0, days=90) == 1
    db.session.expire_all()
    assert db.session.get(Booking, old.id).subject is None
    assert db.session.get(Booking, old.id).status == "completed"
    assert db.session.get(Booking, recent.id).subject == "Teamoverleg"
    entry = db.session.scalar(select(AuditEntry).filter_by(action="booking.subjects_purged"))
    assert entry.after["count"] == 1
    assert purge_subjects(now=T0, days=90) == 0


def test_hub_purge_command(runner: Any, make_user: Any, make_resource: Any) -> None:
    user, room = make_user(), make_resource("room")
    _booking(user, room, ended_days_ago=3650, subject="Oud")
    result = runner.invoke(args=["purge", "--days", "30"])
    assert result.exit_code == 0 and "erased 1 subjects" in result.output
    assert runner.invoke(args=["purge", "--days", "0"]).exit_code != 0
