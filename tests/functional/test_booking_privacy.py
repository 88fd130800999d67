"""Privacy from every role's point of view, asserted on the raw response body."""

from typing import Any

import pytest

from hub.booking import queries, services
from tests.integration.booking_world import (  # noqa: F401
    NOW,
    SECRET_SUBJECT,
    TUE,
    World,
    at,
    world_fixture,
)

GGD_SUBJECT = "Schoolarts: vervolgconsult groep 7"


@pytest.fixture
def booked(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    from hub.booking.api import bookings as api
    from hub.kiosk import api as board_api  # the live board moved to the kiosk package

    monkeypatch.setattr(api, "utcnow", lambda: at(TUE, 9, 30))
    monkeypatch.setattr(board_api, "utcnow", lambda: at(TUE, 9, 30))
    wmo = services.create_booking(actor_id=world.staff.id, resource=world.room,
                                  start=at(TUE, 9), end=at(TUE, 10), now=NOW,
                                  subject=SECRET_SUBJECT).booking
    ggd = services.create_booking(actor_id=world.ggd.id, resource=world.ggd_room,
                                  start=at(TUE, 9), end=at(TUE, 11), now=NOW,
                                  subject=GGD_SUBJECT).booking
    return {"wmo": wmo.id, "ggd": ggd.id}


def bodies(client: Any, headers: dict[str, str], ids: dict[str, int]) -> str:
    """Every API answer that carries bookings, concatenated."""
    urls = ["/api/v1/availability?date=2026-03-31", "/api/v1/availability?date=2026-03-31&kind=room",
            "/api/v1/bookings?from=2026-03-31&to=2026-03-31", "/api/v1/board",
            f"/api/v1/bookings/{ids['wmo']}", f"/api/v1/bookings/{ids['ggd']}",
            "/api/v1/bookings?mine=1&from=2026-03-30"]
    texts = []
    for url in urls:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200, (url, answer.json)
        texts.append(answer.get_data(as_text=True))
    return "\n".join(texts)


@pytest.mark.parametrize("role", ["other_staff", "network", "reception", "facility", "admin"])
def test_outsiders_never_see_subjects_or_the_ggd(client: Any, world: World, token_for: Any,
                                                 booked: dict[str, int], role: str) -> None:
    text = bodies(client, token_for(getattr(world, role)), booked)
    assert SECRET_SUBJECT not in text and GGD_SUBJECT not in text
    assert "GGD Brabant-Zuidoost" not in text and world.ggd.name not in text
    assert "Wmo-team" in text  # a normal room shows the booking organisation


def test_desk_roles_see_the_booker_but_staff_outsiders_do_not(client: Any, world: World,
                                                              token_for: Any,
                                                              booked: dict[str, int]) -> None:
    url = f"/api/v1/bookings/{booked['wmo']}"
    # Data minimisation (issue 14, docs/privacy.md): reception sees the booker's name, to
    # direct a visitor, never the e-mail; facility and admin see the organisation only.
    seen = client.get(url, headers=token_for(world.reception)).json
    assert seen["user"]["name"] == "Wim Wmo" and "email" not in seen["user"]
    assert "subject" not in seen
    for role in ("facility", "admin"):
        seen = client.get(url, headers=token_for(getattr(world, role))).json
        assert "user" not in seen and seen["organisation"]["name"] == "Wmo-team"
        assert "subject" not in seen
    seen = client.get(url, headers=token_for(world.other_staff)).json
    assert "user" not in seen and seen["organisation"]["name"] == "Wmo-team"
    assert "checkin_code" not in seen


@pytest.mark.parametrize("role", ["colleague", "coordinator", "staff"])
def test_insiders_see_the_subject(client: Any, world: World, token_for: Any,
                                  booked: dict[str, int], role: str) -> None:
    seen = client.get(f"/api/v1/bookings/{booked['wmo']}",
                      headers=token_for(getattr(world, role))).json
    assert seen["subject"] == SECRET_SUBJECT


def test_private_room_busy_only_for_outsiders_full_for_the_ggd(client: Any, world: World,
                                                               token_for: Any,
                                                               booked: dict[str, int]) -> None:
    outsider = client.get(f"/api/v1/bookings/{booked['ggd']}",
                          headers=token_for(world.reception)).json
    assert set(outsider) == {"resource", "start", "end", "start_local", "end_local", "busy",
                             "visibility"}
    assert outsider["busy"] is True and outsider["visibility"] == "busy"
    own = client.get(f"/api/v1/bookings/{booked['ggd']}", headers=token_for(world.ggd)).json
    assert own["subject"] == GGD_SUBJECT and own["organisation"]["name"] == "GGD Brabant-Zuidoost"
    board = client.get("/api/v1/board", headers=token_for(world.reception)).json["items"]
    ggd_row = next(r for r in board if r["resource"]["slug"] == "ggd-kamer")
    assert ggd_row["state_now"] == "booked" and ggd_row["organisation"] is None


def test_query_layer_lists_for_reception_today(world: World, booked: dict[str, int]) -> None:
    rows = queries.today_in_building(world.reception, at(TUE, 8))
    assert {r["resource"]["slug"] for r in rows} == {"spreekkamer-1", "ggd-kamer"}
    assert all("subject" not in r for r in rows)
    day = queries.day_view(world.other_staff, TUE, kind="room")
    ggd = next(r for r in day if r["resource"]["slug"] == "ggd-kamer")
    assert ggd["bookings"][0]["visibility"] == "busy"
