"""Booking as the first users used it (issue 10): the places they got stuck or were misled.

The clock is pinned to Monday 30 March 2026, 10:00 in Amsterdam, at every edge that reads it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hub.accounts.services import set_password
from hub.booking import services
from hub.booking.models import Booking
from hub.extensions import db
from tests.hub_fixtures import TEST_PASSWORD
from tests.integration.booking_world import NOW, TUE, World, at, world_fixture  # noqa: F401

DAY = timedelta(days=1)
EDGES = ("hub.booking.api.bookings", "hub.booking.web.pages", "hub.booking.web.floor",
         "hub.booking.web.week", "hub.booking.web.cancel", "hub.booking.web.home")


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    for name in EDGES:
        monkeypatch.setattr(importlib.import_module(name), "utcnow", lambda: NOW)


def log_in(auth: Any, user: Any) -> None:
    """The world's people have no password; give one and log in through the form."""
    set_password(user, TEST_PASSWORD)
    db.session.commit()
    auth.login(user.email)


def series(**kw: Any) -> dict[str, Any]:
    return {"resource": "spreekkamer-1", "start": "2026-03-31T09:00:00+02:00",
            "end": "2026-03-31T10:00:00+02:00", **kw}


def test_a_series_past_the_horizon_reports_every_date_not_booked(
        client: Any, world: World, token_for: Any) -> None:
    # 10 Tuesdays from 31 March: the horizon (8 weeks from 30 March) ends on 25 May.
    made = client.post("/api/v1/bookings", json=series(rrule="FREQ=WEEKLY;COUNT=10"),
                       headers=token_for(world.staff))
    assert made.status_code == 201, made.json
    assert len(made.json["occurrences"]) == 8
    assert [(c["start_local"][:10], c["reason"]) for c in made.json["conflicts"]] == [
        ("2026-05-26", "horizon"), ("2026-06-02", "horizon")]


def test_a_series_over_a_holiday_skips_it_and_says_so(client: Any, world: World,
                                                      token_for: Any) -> None:
    # Thursdays from 2 April: 14 May is Ascension Day; a colleague has 9 April.
    headers = token_for(world.staff)
    client.post("/api/v1/bookings", json=series(start="2026-04-09T09:00:00+02:00",
                                                end="2026-04-09T10:00:00+02:00"),
                headers=token_for(world.colleague))
    body = series(start="2026-04-02T09:00:00+02:00", end="2026-04-02T10:00:00+02:00",
                  rrule="FREQ=WEEKLY;COUNT=8")
    refused = client.post("/api/v1/bookings", json=body, headers=headers)
    assert refused.status_code == 409
    made = client.post("/api/v1/bookings", json={**body, "skip_conflicts": True},
                       headers=headers)
    assert made.status_code == 201
    assert [(c["start_local"][:10], c["reason"]) for c in made.json["conflicts"]] == [
        ("2026-04-09", "conflict"), ("2026-05-14", "closed_day")]
    assert len(made.json["occurrences"]) == 6


def test_a_restricted_room_is_a_403_before_the_body_is_looked_at(
        client: Any, world: World, token_for: Any) -> None:
    answer = client.post("/api/v1/bookings", json=series(resource="ggd-kamer", end="bogus"),
                         headers=token_for(world.staff))
    assert answer.status_code == 400  # a malformed body is refused by the schema first
    answer = client.post("/api/v1/bookings", json=series(resource="ggd-kamer"),
                         headers=token_for(world.staff))
    assert answer.status_code == 403 and answer.json["error"]["code"] == "not_allowed"
    own = client.post("/api/v1/bookings", json=series(resource="ggd-kamer"),
                      headers=token_for(world.ggd))
    assert own.status_code == 201


def test_resources_bookable_answers_for_the_caller(client: Any, world: World,
                                                   token_for: Any) -> None:
    for person in (world.staff, world.network, world.ggd):
        headers = token_for(person)
        listed = {r["slug"]: r["bookable"]
                  for r in client.get("/api/v1/resources", headers=headers).json["items"]}
        only = {r["slug"] for r in
                client.get("/api/v1/resources?bookable=1", headers=headers).json["items"]}
        assert {slug for slug, ok in listed.items() if ok} == only
    staff = {r["slug"]: r["bookable"] for r in client.get(
        "/api/v1/resources", headers=token_for(world.staff)).json["items"]}
    assert staff["ggd-kamer"] is False and staff["spreekkamer-1"] is True
    network = {r["slug"]: r["bookable"] for r in client.get(
        "/api/v1/resources", headers=token_for(world.network)).json["items"]}
    assert network["spreekkamer-1"] is False and network[world.spot.slug] is True


def test_people_count_only_limits_rooms(world: World) -> None:
    spots = services.find_free(actor_id=world.network.id, kind="landing_spot",
                               start=at(TUE, 8), end=at(TUE, 12, 30), now=NOW, people=2)
    desks = services.find_free(actor_id=world.staff.id, kind="desk", start=at(TUE, 8),
                               end=at(TUE, 12, 30), now=NOW, people=2)
    assert [s.id for s in spots] == [world.spot.id] and [d.id for d in desks] == [world.desk.id]
    rooms = services.find_free(actor_id=world.staff.id, kind="room", start=at(TUE, 9),
                               end=at(TUE, 10), now=NOW, people=5)
    assert world.room.id not in {r.id for r in rooms}  # capacity 4


def test_a_series_search_checks_every_date(world: World) -> None:
    # the small room is taken on the third Tuesday: it is offered after the free one
    services.create_booking(actor_id=world.colleague.id, resource=world.room.id,
                            start=at(TUE, 9) + 14 * DAY, end=at(TUE, 10) + 14 * DAY, now=NOW)
    dates = [(at(TUE, 9) + i * 7 * DAY, at(TUE, 10) + i * 7 * DAY) for i in range(4)]
    found = services.find_free_series(actor_id=world.staff.id, kind="room", dates=dates,
                                      now=NOW, people=2)
    assert [m.resource.id for m in found] == [world.big_room.id, world.room.id]
    assert found[0].taken == () and found[1].taken == (dates[2],)


def test_reception_books_the_ggd_room_for_a_ggd_member_and_then_sees_only_busy(
        client: Any, world: World, token_for: Any) -> None:
    found = services.find_free(actor_id=world.reception.id, kind="room", start=at(TUE, 9),
                               end=at(TUE, 10), now=NOW, on_behalf_of=world.ggd.email)
    assert world.ggd_room.id in {r.id for r in found}
    alone = services.find_free(actor_id=world.reception.id, kind="room", start=at(TUE, 9),
                               end=at(TUE, 10), now=NOW)
    assert world.ggd_room.id not in {r.id for r in alone}
    made = services.create_booking(actor_id=world.reception.id, resource=world.ggd_room.id,
                                   start=at(TUE, 9), end=at(TUE, 10), now=NOW,
                                   subject="Schoolarts", on_behalf_of=world.ggd.email)
    booking_id = made.booking.id
    seen = client.get(f"/api/v1/bookings/{booking_id}", headers=token_for(world.reception)).json
    assert seen["visibility"] == "busy" and "checkin_code" not in seen and "id" not in seen
    own = client.get(f"/api/v1/bookings/{booking_id}", headers=token_for(world.ggd)).json
    assert own["subject"] == "Schoolarts" and own["user"]["name"] == "Gerda Schoolarts"


def test_colleague_type_ahead_own_organisation_or_the_building(client: Any, auth: Any,
                                                               world: World) -> None:
    for person in (world.coordinator, world.reception, world.staff):
        set_password(person, TEST_PASSWORD)
    db.session.commit()
    auth.login(world.coordinator.email)
    names = [p["name"] for p in client.get("/book/colleagues?q=wi").json["items"]]
    assert names == ["Willemijn Wmo", "Wim Wmo"]  # own organisation only
    assert client.get("/book/colleagues?q=gerda").json["items"] == []
    auth.logout()
    auth.login(world.reception.email)
    found = client.get("/book/colleagues?q=gerda").json["items"]
    assert [(p["name"], p["email"]) for p in found] == [("Gerda Schoolarts", world.ggd.email)]
    auth.logout()
    auth.login(world.staff.email)
    assert client.get("/book/colleagues?q=gerda").status_code == 403


def test_network_partner_is_shown_landing_spots_not_nothing_free(client: Any, auth: Any,
                                                                 world: World) -> None:
    log_in(auth, world.network)
    home = client.get("/").get_data(as_text=True)
    assert "Zoek een aanlandplek" in home
    quick = home.split('id="quick-title"', 1)[1].split("</form>", 1)[0]
    assert 'name="part"' in quick and 'name="start"' not in quick  # a spot goes by day part
    page = client.get("/book?kind=room&day=2026-03-31&start=09:00&minutes=60&people=2")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="not-for-you"' in text
    assert "aanlandplekken" in text and "Niets vrij" not in text


def test_dutch_error_pages_and_api_404(client: Any, auth: Any, world: World) -> None:
    log_in(auth, world.staff)
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "bestaat niet" in page and "Not Found" not in page
    assert "niet mogelijk" in client.delete("/book").get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing").json
    assert "bestaat niet" in api["error"]["message"]
    assert client.get("/favicon.ico").status_code == 301


def test_week_view_and_my_organisation_this_week(client: Any, auth: Any, world: World) -> None:
    services.create_booking(actor_id=world.colleague.id, resource=world.room.id,
                            start=at(TUE, 9), end=at(TUE, 10), now=NOW, subject="Intake")
    services.create_booking(actor_id=world.other_staff.id, resource=world.big_room.id,
                            start=at(TUE, 13), end=at(TUE, 14), now=NOW, subject="Geheim")
    log_in(auth, world.coordinator)
    page = client.get(f"/book/week?week=2026-W14&floor={world.room.floor_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "09:00–10:00" in text and "13:00–14:00" in text
    assert "Geheim" not in text  # another organisation's subject stays theirs
    org = text.split('id="organisation-week"', 1)[1]
    assert "Intake" in org and world.room.name in org and "13:00" not in org


def test_reception_today_grouped_with_now_line_filters_and_date(
        client: Any, auth: Any, world: World) -> None:
    for who, resource, hh in ((world.staff, world.room, 9), (world.colleague, world.big_room, 11),
                              (world.other_staff, world.room, 12)):
        services.create_booking(actor_id=who.id, resource=resource.id, start=at(TUE, hh),
                                end=at(TUE, hh + 1), now=NOW)
    monday = NOW.date()
    services.create_booking(actor_id=world.staff.id, resource=world.room.id,
                            start=at(monday, 10), end=at(monday, 11), now=NOW)
    services.create_booking(actor_id=world.colleague.id, resource=world.big_room.id,
                            start=at(monday, 14), end=at(monday, 15), now=NOW)
    log_in(auth, world.reception)
    tuesday = client.get("/today?date=2026-03-31").get_data(as_text=True)
    assert "3 reserveringen" in tuesday and "today-group" in tuesday
    assert "now-marker" not in tuesday  # another day has no "now"
    rows = tuesday.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<td>Wmo-team</td>") == 1 and rows.count("″") == 1  # named once in a row
    welzijn = client.get("/today?date=2026-03-31&organisation=Welzijn").get_data(as_text=True)
    assert "1 reservering" in welzijn
    assert welzijn.split("<tbody>", 1)[1].count("<td class=\"nowrap\">12:00") == 1
    assert "09:00–10:00" not in welzijn.split("<tbody>", 1)[1]
    today = client.get("/today").get_data(as_text=True)
    body = today.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.index("10:00–11:00") < body.index("now-marker") < body.index("14:00–15:00")
    free = client.get("/today?free_now=1&show_kind=room").get_data(as_text=True)
    listed = free.split('class="free-now-list">', 1)[1].split("</ul>", 1)[0]
    assert world.big_room.name in listed and world.room.name not in listed


def test_cancel_asks_first(client: Any, auth: Any, world: World) -> None:
    made = services.create_booking(actor_id=world.staff.id, resource=world.room.id,
                                   start=at(TUE, 9), end=at(TUE, 10), now=NOW)
    log_in(auth, world.staff)
    page = client.get(f"/bookings/{made.booking.id}").get_data(as_text=True)
    assert f"/bookings/{made.booking.id}/cancel" in page and ".ics" in page and "Outlook" in page
    question = client.get(f"/bookings/{made.booking.id}/cancel").get_data(as_text=True)
    assert "Ja, annuleren" in question
    assert db.session.get(Booking, made.booking.id).status == "booked"  # asking changed nothing
