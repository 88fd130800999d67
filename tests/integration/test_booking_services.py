"""Booking services on both databases: create, refuse, series, move, cancel, check in/out."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.audit.models import AuditEntry
from hub.booking import services
from hub.booking.models import Booking, RefusedDemand
from hub.errors import BookingConflict, NotAllowed, RuleViolation, SeriesConflict
from hub.extensions import db
from tests.integration.booking_world import NOW, TUE, World, at, world_fixture  # noqa: F401

pytestmark = pytest.mark.both_databases


def book(w: World, who: Any = None, resource: Any = None, start: Any = None, end: Any = None,
         **kw: Any) -> services.CreateResult:
    return services.create_booking(actor_id=(who or w.staff).id, resource=resource or w.room,
                                   start=start or at(TUE, 9), end=end or at(TUE, 10), now=NOW,
                                   **kw)


def test_book_a_room_and_the_overlap_is_refused_with_the_interval(world: World) -> None:
    made = book(world, subject="Keukentafelgesprek", attendees=3).booking
    assert made.status == "booked" and made.organisation_id == world.wmo.id
    assert len(made.checkin_code) == 8 and made.checkin_code.isalnum()
    with pytest.raises(BookingConflict) as info:
        book(world, who=world.colleague, start=at(TUE, 9, 30), end=at(TUE, 10, 30))
    assert info.value.details["conflict"]["start_local"].endswith("09:00:00+02:00")
    # back to back is fine: half-open intervals
    book(world, who=world.colleague, start=at(TUE, 10), end=at(TUE, 11))
    refused = db.session.scalars(select(RefusedDemand)).all()
    assert [(r.reason, r.kind, r.user_id) for r in refused] == [
        ("conflict", "room", world.colleague.id)]
    entries = db.session.scalars(select(AuditEntry).filter_by(action="booking.create")).all()
    assert len(entries) == 2 and entries[0].after["status"] == "booked"


def test_every_rule_refusal_names_its_rule(world: World) -> None:
    cases = [
        ({"start": at(TUE, 7), "end": at(TUE, 8)}, "opening_hours"),
        ({"who": world.network}, "not_permitted"),
        ({"attendees": 5}, "capacity"),
        ({"start": at(TUE, 9, 10), "end": at(TUE, 10, 10)}, "step"),
    ]
    for kwargs, rule in cases:
        with pytest.raises(RuleViolation) as info:
            book(world, **kwargs)
        assert info.value.details["rule"] == rule
        assert info.value.message
    # A restricted place of another organisation is a permission (CONTRACT section 2): 403.
    with pytest.raises(NotAllowed) as refused:
        book(world, resource=world.ggd_room)
    assert refused.value.details["rule"] == "restricted"


def test_desk_quota_counts_per_person_per_day(world: World, make_resource: Any) -> None:
    desk2, desk3 = make_resource("desk"), make_resource("desk")
    book(world, resource=world.desk, start=at(TUE, 8), end=at(TUE, 12, 30))
    book(world, resource=desk2, start=at(TUE, 12, 30), end=at(TUE, 18))
    with pytest.raises(RuleViolation) as info:
        book(world, resource=desk3, start=at(TUE, 8), end=at(TUE, 18))
    assert info.value.details["rule"] == "quota"


def test_on_behalf_reception_any_coordinator_own_org_staff_never(world: World) -> None:
    made = book(world, who=world.reception, on_behalf_of=world.ggd.email).booking
    assert (made.user_id, made.created_by_id, made.organisation_id) == (
        world.ggd.id, world.reception.id, world.ggd_org.id)
    book(world, who=world.coordinator, on_behalf_of=world.colleague.email,
         start=at(TUE, 11), end=at(TUE, 12))
    with pytest.raises(NotAllowed):
        book(world, who=world.coordinator, on_behalf_of=world.ggd.email, start=at(TUE, 13),
             end=at(TUE, 14))
    with pytest.raises(NotAllowed):
        book(world, who=world.staff, on_behalf_of=world.colleague.email, start=at(TUE, 13),
             end=at(TUE, 14))


def test_series_reports_conflicts_and_books_the_rest_on_request(world: World) -> None:
    book(world, who=world.colleague, start=at(TUE + timedelta(days=14), 9),
         end=at(TUE + timedelta(days=14), 10))
    rule = "FREQ=WEEKLY;COUNT=4"
    with pytest.raises(SeriesConflict) as info:
        book(world, start=at(TUE, 9), end=at(TUE, 12), rrule=rule)
    assert [c["start_local"][:10] for c in info.value.details["conflicts"]] == ["2026-04-14"]
    assert db.session.scalar(select(db.func.count(Booking.id))) == 1  # nothing half-booked
    result = book(world, start=at(TUE, 9), end=at(TUE, 12), rrule=rule, skip_conflicts=True)
    assert len(result.occurrences) == 3 and len(result.conflicts) == 1
    assert {b.series_id for b in result.occurrences} == {result.series.id}


def test_series_skips_closing_days_and_names_them(world: World) -> None:
    # daily from Tuesday 31 March: Good Friday, the weekend and Easter Monday are closed
    result = book(world, start=at(TUE, 9), end=at(TUE, 10), rrule="FREQ=DAILY;COUNT=8")
    assert [b.start.astimezone(at(TUE, 9).tzinfo).day for b in result.occurrences] == [31, 1, 2, 7]
    assert [(k.start.astimezone(at(TUE, 9).tzinfo).day, k.reason) for k in result.skipped] == [
        (3, "closed_day"), (4, "closed_day"), (5, "closed_day"), (6, "closed_day")]


def test_series_rule_violation_names_the_occurrence(world: World) -> None:
    with pytest.raises(RuleViolation) as info:  # too many people for the room on every date
        book(world, start=at(TUE, 9), end=at(TUE, 10), rrule="FREQ=DAILY;COUNT=2;INTERVAL=7",
             attendees=5)
    assert info.value.details["rule"] == "capacity"
    assert info.value.details["occurrence"]["start_local"] == "2026-03-31T09:00:00+02:00"


def test_move_and_cancel_this_and_following(world: World) -> None:
    result = book(world, start=at(TUE, 9), end=at(TUE, 10), rrule="FREQ=WEEKLY;COUNT=4")
    second = result.occurrences[1]
    moved = services.move_booking(actor_id=world.staff.id, booking_id=second.id,
                                  start=second.start + timedelta(hours=2),
                                  end=second.end + timedelta(hours=2), now=NOW,
                                  scope="following")
    assert [m.start.astimezone(at(TUE, 9).tzinfo) for m in moved] == [
        at(TUE + timedelta(days=7 * i), 11) for i in (1, 2, 3)]
    assert all(m.sequence == 1 for m in moved)
    cancelled = services.cancel_booking(actor_id=world.staff.id,
                                        booking_id=result.occurrences[2].id, now=NOW,
                                        scope="following")
    assert [c.status for c in cancelled] == ["cancelled", "cancelled"]
    assert db.session.get(Booking, result.occurrences[0].id).status == "booked"
    assert db.session.scalar(select(db.func.count(Booking.id))) == 4  # rows are kept


def test_move_into_a_taken_slot_is_a_conflict(world: World) -> None:
    first = book(world).booking
    book(world, who=world.colleague, start=at(TUE, 11), end=at(TUE, 12))
    with pytest.raises(BookingConflict):
        services.move_booking(actor_id=world.staff.id, booking_id=first.id,
                              start=at(TUE, 11), end=at(TUE, 12), now=NOW)


def test_who_may_change(world: World) -> None:
    made = book(world).booking
    with pytest.raises(NotAllowed):
        services.cancel_booking(actor_id=world.other_staff.id, booking_id=made.id, now=NOW)
    with pytest.raises(NotAllowed):
        services.cancel_booking(actor_id=world.network.id, booking_id=made.id, now=NOW)
    services.cancel_booking(actor_id=world.facility.id, booking_id=made.id, now=NOW,
                            channel="api")
    entry = db.session.scalars(select(AuditEntry).filter_by(action="booking.cancel")).one()
    assert (entry.actor_id, entry.channel, entry.before["status"], entry.after["status"]) == (
        world.facility.id, "api", "booked", "cancelled")
    ggd = book(world, who=world.ggd, resource=world.ggd_room).booking
    with pytest.raises(NotAllowed):  # reception may not touch the private room's bookings
        services.cancel_booking(actor_id=world.reception.id, booking_id=ggd.id, now=NOW)


def test_check_in_window_and_check_out(world: World) -> None:
    made = book(world).booking
    with pytest.raises(RuleViolation) as info:
        services.check_in(actor_id=world.staff.id, booking_id=made.id,
                          now=at(TUE, 8, 40), channel="kiosk")
    assert info.value.details == {"rule": "checkin_window", "when": "early"}
    done = services.check_in(actor_id=world.staff.id, booking_id=made.id, now=at(TUE, 8, 50),
                             channel="kiosk")
    assert done.status == "checked_in"
    out = services.check_out(actor_id=world.staff.id, booking_id=made.id, now=at(TUE, 9, 20))
    assert (out.status, out.end) == ("completed", at(TUE, 9, 20))
    late = book(world, start=at(TUE, 11), end=at(TUE, 12)).booking
    with pytest.raises(RuleViolation) as info:
        services.check_in(actor_id=world.staff.id, booking_id=late.id, now=at(TUE, 11, 16))
    assert info.value.details["when"] == "late"


def test_booking_just_before_start_counts_as_checked_in(world: World) -> None:
    made = services.create_booking(actor_id=world.staff.id, resource=world.room,
                                   start=at(NOW.date(), 10), end=at(NOW.date(), 11), now=NOW)
    assert made.booking.status == "checked_in"


def test_release_no_shows_keeps_the_row_and_frees_the_room(world: World) -> None:
    no_show = book(world).booking
    shown = book(world, start=at(TUE, 11), end=at(TUE, 12)).booking
    services.check_in(actor_id=world.staff.id, booking_id=shown.id, now=at(TUE, 11, 5))
    assert services.release_no_shows(now=at(TUE, 9, 10)) == 0
    assert services.release_no_shows(now=at(TUE, 11, 20)) == 1
    assert db.session.get(Booking, no_show.id).status == "released"
    assert db.session.get(Booking, shown.id).status == "checked_in"
    assert services.complete_finished(now=at(TUE, 12, 1)) == 1
    assert db.session.get(Booking, shown.id).status == "completed"


def test_find_free_filters_and_records_refused_demand(world: World) -> None:
    free = services.find_free(actor_id=world.staff.id, kind="room", start=at(TUE, 9),
                              end=at(TUE, 10), now=NOW, people=2, amenities=("wheelchair",))
    assert [r.slug for r in free] == ["spreekkamer-1"]  # GGD room is not the staff's to book
    book(world)
    assert services.find_free(actor_id=world.staff.id, kind="room", start=at(TUE, 9),
                              end=at(TUE, 10), now=NOW, people=2,
                              amenities=("wheelchair",)) == []
    services.find_free(actor_id=world.staff.id, kind="room", start=at(TUE, 9),
                       end=at(TUE, 10), now=NOW, people=2, amenities=("wheelchair",))
    demand = db.session.scalars(select(RefusedDemand)).all()
    assert [(d.reason, d.kind, d.organisation_id) for d in demand] == [
        ("no_free_resource", "room", world.wmo.id)]
    # Booking the big room right after counts the demand as served.
    book(world, resource=world.big_room)
    assert db.session.scalars(select(RefusedDemand)).one().resolved_at == NOW
