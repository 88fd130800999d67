"""Subjects are erased after the retention period; the bookings stay for the statistics."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.audit.models import AuditEntry
from hub.booking.models import Booking
from hub.booking.services.retention import purge_subjects
from hub.extensions import db
from tests.hub_fixtures import T0
from tests.integration.booking_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.both_databases


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


SUBJECT = "Gesprek over schuldsanering met mevrouw X"


def _every_stored_text() -> str:
    """Every row of every table as text: what a database dump would show."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            parts.append(" ".join(str(value) for value in row))
    return "\n".join(parts)


def test_the_purge_leaves_no_subject_text_in_any_table(app: Any, world: Any) -> None:
    """Create, move, check in, cancel and release through the real services; after the
    purge the subject text is nowhere, audit copies included."""
    from hub.booking import services
    from tests.integration.booking_world import NOW, TUE, at

    staff = world.staff.id
    kept = services.create_booking(actor_id=staff, resource=world.room.id, start=at(TUE, 9),
                                   end=at(TUE, 10), subject=SUBJECT, now=NOW).booking.id
    services.move_booking(actor_id=staff, booking_id=kept, start=at(TUE, 9, 15),
                          end=at(TUE, 10, 15), now=NOW)
    services.check_in(actor_id=staff, booking_id=kept, now=at(TUE, 9, 10))
    dropped = services.create_booking(actor_id=staff, resource=world.big_room.id,
                                      start=at(TUE, 11), end=at(TUE, 12), subject=SUBJECT,
                                      now=NOW).booking.id
    services.cancel_booking(actor_id=staff, booking_id=dropped, now=NOW)
    services.create_booking(actor_id=staff, resource=world.room.id, start=at(TUE, 14),
                            end=at(TUE, 15), subject=SUBJECT, now=NOW)
    services.sweep(at(TUE, 16))  # the 14:00 one is released, the 09:15 one completed
    db.session.expire_all()
    assert SUBJECT in _every_stored_text()  # the bookings hold it until the purge
    later = at(TUE, 16) + timedelta(days=91)
    assert purge_subjects(now=later, days=90) == 3
    db.session.expire_all()
    assert SUBJECT not in _every_stored_text()
    assert {b.status for b in db.session.scalars(select(Booking))} == {
        "completed", "cancelled", "released"}


def test_the_purge_erases_subjects_that_older_audit_entries_copied(app: Any, make_user: Any,
                                                                   make_resource: Any) -> None:
    from hub.audit.services import record

    user, room = make_user(), make_resource("room")
    old = _booking(user, room, ended_days_ago=100, subject=SUBJECT)
    record(actor_id=user.id, actor_label=user.email, channel="web", action="booking.create",
           entity_type="booking", entity_id=old.id, now=T0, before=None,
           after={"status": "booked", "subject": SUBJECT})
    db.session.commit()
    purge_subjects(now=T0, days=90)
    db.session.expire_all()
    assert SUBJECT not in _every_stored_text()
    entry = db.session.scalar(select(AuditEntry).filter_by(action="booking.create"))
    assert entry.after == {"status": "booked", "subject": None, "subject_set": True}
