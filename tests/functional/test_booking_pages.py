"""The booking pages with the test client: find and book, refusals, my bookings, privacy."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hub.booking.policies import kind_policy
from hub.booking.rules import is_closed
from hub.booking.web.times import to_utc
from hub.extensions import db
from hub.timeutil import utcnow

TZ = "Europe/Amsterdam"
SUBJECT = "Keukentafelgesprek Wmo"


def open_day(app: Any, after_days: int = 2) -> date:
    """A day the building is open, a little ahead (so "now" never gets in the way)."""
    day = utcnow().astimezone(ZoneInfo(TZ)).date() + timedelta(days=after_days)
    while is_closed(kind_policy("room"), day):
        day += timedelta(days=1)
    return day


def search(client: Any, day: date, start: str = "10:00", minutes: int = 60, people: int = 2,
           **extra: Any) -> Any:
    return client.get("/book", query_string={"day": day.isoformat(), "start": start,
                                             "minutes": minutes, "people": people,
                                             "kind": "room", **extra})


def book(client: Any, resource: Any, start: datetime, minutes: int = 60, **extra: Any) -> Any:
    return client.post("/book", data={"resource": resource.id, "start": start.isoformat(),
                                      "end": (start + timedelta(minutes=minutes)).isoformat(),
                                      **extra})


@pytest.fixture
def place(make_resource: Any, make_org: Any, make_user: Any, auth: Any) -> dict[str, Any]:
    """Two rooms, the private GGD room, staff of two organisations, GGD staff, reception."""
    small = make_resource("room", name="Spreekkamer Klein", capacity=2)
    large = make_resource("room", name="Spreekkamer Groot", capacity=6, amenities=["wheelchair"])
    ggd = make_org(slug="ggd", name="GGD Brabant-Zuidoost")
    ggd_room = make_resource("room", name="GGD-kamer", capacity=2, privacy="private",
                             restricted_to=["ggd"])
    wmo = make_org(slug="wmo", name="Gemeente Wmo")
    return {"small": small, "large": large, "ggd_room": ggd_room,
            "staff": make_user(org=wmo, name="Wim Wmo"),
            "outsider": make_user(org=make_org(slug="welzijn", name="Welzijn"), name="Sanne"),
            "ggd": make_user(org=ggd, name="Gerda Schoolarts"),
            "reception": make_user(role="reception", org=wmo, name="Bram Balie")}


def test_search_lists_free_rooms_that_fit_with_a_book_button(app: Any, client: Any, auth: Any,
                                                              place: dict[str, Any]) -> None:
    auth.login(place["staff"].email)
    page = search(client, open_day(app), people=4).get_data(as_text=True)
    assert "Spreekkamer Groot" in page and "Spreekkamer Klein" not in page
    assert "GGD-kamer" not in page  # restricted to the GGD
    assert page.count('method="post" action="/book"') == 1 and "Reserveer" in page


def test_booking_leads_to_a_confirmation_with_code_qr_and_dutch_time(
        app: Any, client: Any, auth: Any, place: dict[str, Any]) -> None:
    auth.login(place["staff"].email)
    day = open_day(app)
    answer = book(client, place["large"], to_utc(day, datetime.strptime("10:00", "%H:%M").time(),
                                                 TZ), subject=SUBJECT)
    assert answer.status_code == 302
    page = client.get(answer.location).get_data(as_text=True)
    code = re.search(r'id="checkin-code">([A-Z0-9]+)<', page)
    assert code and len(code.group(1)) >= 6
    assert "<svg" in page and f"/k/{code.group(1)}" in page
    assert "10:00" in page and "11:00" in page  # local time, not UTC (08:00/09:00 in summer)
    assert SUBJECT in page


def test_a_taken_room_is_refused_with_a_clear_message_not_a_crash(
        app: Any, client: Any, auth: Any, place: dict[str, Any], make_user: Any) -> None:
    start = to_utc(open_day(app), datetime.strptime("10:00", "%H:%M").time(), TZ)
    auth.login(place["outsider"].email)
    assert book(client, place["large"], start).status_code == 302
    auth.logout()
    auth.login(place["staff"].email)
    answer = book(client, place["large"], start)
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert 'role="alert"' in page and "Iemand anders heeft dit net gereserveerd" in page
    assert "Spreekkamer Klein" in page  # the search is shown again with what is still free


def test_a_rule_refusal_names_the_rule_in_dutch(app: Any, client: Any, auth: Any,
                                                place: dict[str, Any]) -> None:
    auth.login(place["staff"].email)
    early = to_utc(open_day(app), datetime.strptime("07:00", "%H:%M").time(), TZ)
    answer = book(client, place["large"], early)
    assert answer.status_code == 422
    assert "08:00" in answer.get_data(as_text=True)  # "open from 08:00 to 18:00"
    assert search(client, open_day(app), start="07:00").status_code == 422


def test_nothing_free_offers_other_times_the_same_day(app: Any, client: Any, auth: Any,
                                                      place: dict[str, Any]) -> None:
    day = open_day(app)
    auth.login(place["outsider"].email)
    for room in (place["small"], place["large"]):
        book(client, room, to_utc(day, datetime.strptime("10:00", "%H:%M").time(), TZ))
    auth.logout()
    auth.login(place["staff"].email)
    page = search(client, day, people=1).get_data(as_text=True)
    assert "Niets vrij" in page
    # The free times nearest to the wanted one: just before, and right after.
    assert "start=09:00" in page and "start=11:00" in page and "start=10:00" not in page


def test_my_bookings_cancel_and_move(app: Any, client: Any, auth: Any,
                                     place: dict[str, Any]) -> None:
    auth.login(place["staff"].email)
    day = open_day(app)
    first = book(client, place["large"], to_utc(day, datetime.strptime("10:00", "%H:%M").time(),
                                                TZ))
    booking_id = int(first.location.rsplit("/", 1)[1])
    moved = client.post(f"/bookings/{booking_id}/move",
                        data={"day": day.isoformat(), "start": "14:00", "minutes": 90})
    assert moved.status_code == 302
    page = client.get("/bookings").get_data(as_text=True)
    assert "14:00" in page and "15:30" in page
    client.post(f"/bookings/{booking_id}/cancel")
    page = client.get("/bookings").get_data(as_text=True)
    assert "Geannuleerd" in page
    assert f"/bookings/{booking_id}/cancel" not in page


def test_someone_elses_booking_is_not_found(app: Any, client: Any, auth: Any,
                                            place: dict[str, Any]) -> None:
    auth.login(place["outsider"].email)
    answer = book(client, place["large"],
                  to_utc(open_day(app), datetime.strptime("10:00", "%H:%M").time(), TZ))
    booking_id = int(answer.location.rsplit("/", 1)[1])
    auth.logout()
    auth.login(place["staff"].email)
    assert client.get(f"/bookings/{booking_id}").status_code == 404
    assert client.post(f"/bookings/{booking_id}/cancel").status_code == 302
    auth.logout()
    auth.login(place["outsider"].email)
    assert "Geannuleerd" not in client.get("/bookings").get_data(as_text=True)


def insert_booking(resource: Any, user: Any, day: date, at: str, subject: str) -> None:
    from hub.booking.models import Booking

    start = to_utc(day, datetime.strptime(at, "%H:%M").time(), TZ)
    now = utcnow()
    db.session.add(Booking(resource_id=resource.id, user_id=user.id, created_by_id=user.id,
                           organisation_id=user.organisation_id, start=start,
                           end=start + timedelta(hours=1), status="booked", subject=subject,
                           created_at=now, updated_at=now))
    db.session.commit()


def _ggd_booking(app: Any, client: Any, auth: Any, place: dict[str, Any], day: date) -> None:
    auth.login(place["ggd"].email)
    answer = book(client, place["ggd_room"],
                  to_utc(day, datetime.strptime("09:00", "%H:%M").time(), TZ),
                  subject="Gesprek familie de Vries")
    assert answer.status_code == 302
    auth.logout()


def test_timeline_shows_private_rooms_as_busy_to_outsiders(app: Any, client: Any, auth: Any,
                                                           place: dict[str, Any]) -> None:
    day = open_day(app)
    _ggd_booking(app, client, auth, place, day)
    auth.login(place["outsider"].email)
    book(client, place["large"], to_utc(day, datetime.strptime("13:00", "%H:%M").time(), TZ),
         subject=SUBJECT)
    auth.logout()
    auth.login(place["staff"].email)
    page = client.get(f"/book/timeline?date={day.isoformat()}").get_data(as_text=True)
    assert re.search(r'seg busy[^>]*>\s*<span class="t">09:00–10:00</span> '
                     r'<span class="l">Bezet</span>', page)
    assert "GGD Brabant" not in page and "de Vries" not in page
    assert "Welzijn" in page and SUBJECT not in page  # normal room: organisation, no subject
    assert f"resource={place['small'].id}" in page  # free gaps link to booking


def test_reception_today_sees_booker_and_organisation_not_subjects(
        app: Any, client: Any, auth: Any, place: dict[str, Any]) -> None:
    # Today may be a Sunday, when no rule lets anyone book: put the rows in directly.
    today = utcnow().astimezone(ZoneInfo(TZ)).date()
    insert_booking(place["large"], place["staff"], today, "17:00", SUBJECT)
    insert_booking(place["ggd_room"], place["ggd"], today, "09:00", "Gesprek familie de Vries")
    auth.login(place["reception"].email)
    page = client.get("/today").get_data(as_text=True)
    assert "Wim Wmo" in page and "Gemeente Wmo" in page and SUBJECT not in page
    assert "2 reserveringen" in page and "Balie: vandaag in het gebouw" in page
    assert "Gerda" not in page and "GGD Brabant" not in page and "de Vries" not in page


def test_reception_books_on_behalf_and_the_booking_shows_both(
        app: Any, client: Any, auth: Any, place: dict[str, Any]) -> None:
    auth.login(place["reception"].email)
    day = open_day(app)
    found = client.get("/today", query_string={
        "on_behalf_of": place["outsider"].email, "day": day.isoformat(), "start": "11:00",
        "minutes": 60, "people": 2, "kind": "room"}).get_data(as_text=True)
    assert "Spreekkamer Groot" in found
    answer = book(client, place["large"], to_utc(day, datetime.strptime("11:00", "%H:%M").time(),
                                                 TZ), on_behalf_of=place["outsider"].email)
    assert answer.status_code == 302
    auth.logout()
    auth.login(place["outsider"].email)
    page = client.get("/bookings").get_data(as_text=True)
    assert "Sanne" in page and "Bram Balie" in page


def test_staff_may_not_open_the_reception_page(client: Any, auth: Any,
                                               place: dict[str, Any]) -> None:
    auth.login(place["staff"].email)
    assert client.get("/today").status_code == 403
    assert "/today" not in client.get("/").get_data(as_text=True)


def test_start_page_has_the_quick_search_and_my_next_booking(app: Any, client: Any, auth: Any,
                                                             place: dict[str, Any]) -> None:
    auth.login(place["staff"].email)
    page = client.get("/").get_data(as_text=True)
    assert 'action="/book"' in page and 'name="day"' in page and "Zoek een spreekkamer" in page
    assert "geen reserveringen" in page
    book(client, place["large"],
         to_utc(open_day(app), datetime.strptime("10:00", "%H:%M").time(), TZ))
    assert "Spreekkamer Groot" in client.get("/").get_data(as_text=True)


def test_desk_picker_books_a_morning(app: Any, client: Any, auth: Any, make_resource: Any,
                                     place: dict[str, Any]) -> None:
    desk = make_resource("desk", name="Flexplek A01")
    auth.login(place["staff"].email)
    day = open_day(app)
    page = client.get(f"/book/desks?date={day.isoformat()}&floor={desk.floor_id}")
    assert "Flexplek A01" in page.get_data(as_text=True)
    answer = client.post("/book/desks", data={"resource": desk.id, "day": day.isoformat(),
                                              "part": "morning"})
    assert answer.status_code == 302 and "/bookings/" in answer.location
    page = client.get(f"/book/desks?date={day.isoformat()}&floor={desk.floor_id}")
    assert "Gemeente Wmo" in page.get_data(as_text=True)  # the morning is taken now
    refused = client.post("/book/desks", data={"resource": desk.id, "day": day.isoformat(),
                                               "part": "morning"}, follow_redirects=True)
    assert 'class="flash error"' in refused.get_data(as_text=True)
    db.session.remove()


def test_a_coordinator_books_for_a_member_from_the_find_page(
        app: Any, client: Any, auth: Any, make_user: Any, place: dict[str, Any]) -> None:
    coordinator = make_user(role="coordinator", org=place["staff"].organisation,
                            name="Carla Coördinator")
    auth.login(coordinator.email)
    day = open_day(app)
    page = search(client, day, on_behalf_of=place["staff"].email).get_data(as_text=True)
    assert f'name="on_behalf_of" value="{place["staff"].email}"' in page
    answer = book(client, place["large"], to_utc(day, datetime.strptime("10:00", "%H:%M").time(),
                                                 TZ), on_behalf_of=place["staff"].email)
    assert answer.status_code == 302
    auth.logout()
    auth.login(place["staff"].email)
    page = client.get("/bookings").get_data(as_text=True)
    assert "Carla Coördinator" in page


def test_staff_cannot_book_for_someone_else(app: Any, client: Any, auth: Any,
                                            place: dict[str, Any]) -> None:
    auth.login(place["staff"].email)
    assert 'name="on_behalf_of"' not in client.get("/book").get_data(as_text=True)
    answer = book(client, place["large"],
                  to_utc(open_day(app), datetime.strptime("10:00", "%H:%M").time(), TZ),
                  on_behalf_of=place["outsider"].email, back="/book")
    assert answer.status_code == 302 and answer.location.endswith("/book")
    assert 'class="flash error"' in client.get("/book").get_data(as_text=True)
    auth.logout()
    auth.login(place["outsider"].email)
    assert "Spreekkamer Groot" not in client.get("/bookings").get_data(as_text=True)


def test_a_search_with_a_bad_value_marks_the_field(app: Any, client: Any, auth: Any,
                                                   place: dict[str, Any]) -> None:
    auth.login(place["staff"].email)
    answer = search(client, open_day(app), people=0)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert re.search(r'aria-invalid="true"[^>]*name="people"', page)
    assert 'class="error-text"' in page


def test_facility_sees_today_but_is_not_offered_on_behalf_booking(
        client: Any, auth: Any, make_user: Any, place: dict[str, Any]) -> None:
    auth.login(make_user(role="facility").email)
    page = client.get("/today")
    assert page.status_code == 200
    assert "Balie: vandaag in het gebouw" in page.text and 'name="on_behalf_of"' not in page.text


def test_the_searched_number_of_people_is_stored_with_the_booking(
        app: Any, client: Any, auth: Any, place: dict[str, Any]) -> None:
    """The insights size rooms by party size: a web booking keeps the people of its search."""
    from hub.booking.models import Booking

    auth.login(place["staff"].email)
    page = search(client, open_day(app), people=4).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/book">(.*?)</form>', page, re.S)
    assert form is not None
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"',
                             form.group(1)))
    assert fields["attendees"] == "4"
    answer = client.post("/book", data=fields)
    assert answer.status_code == 302
    made = db.session.get(Booking, int(answer.location.rsplit("/", 1)[1]))
    assert made is not None and made.attendees == 4 and made.resource_id == place["large"].id
