"""/plaza and GET /api/v1/plaza: spots x half-days, one-click booking, own cancel, privacy
(organisation yes, person only to its own organisation), and a friendly lost race."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from hub.booking import services

# Thursday 1 October 2026, 09:00 in Amsterdam; the plaza of week 41 (5-9 October) is open.
NOW = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)
WEEK = "2026-W41"
MONDAY = "2026-10-05"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("hub.booking.web.plaza", "hub.booking.api.plaza", "hub.booking.web.home"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: NOW, raising=False)


@pytest.fixture
def plaza(make_org: Any, make_user: Any, make_resource: Any) -> dict[str, Any]:
    jgz = make_org(slug="jgz", kind="network", name="Jeugdgezondheidszorg")
    ggz = make_org(slug="ggz", kind="network", name="GGZ FACT-team")
    spots = [make_resource("landing_spot", name=f"Plaza {n}") for n in (1, 2)]
    return {"jet": make_user(org=jgz, name="Jet Jansen"), "jan": make_user(org=jgz, name="Jan"),
            "noor": make_user(org=ggz, name="Noor Bakker"), "spots": spots}


def _book_form(spot: Any, day: str = MONDAY, slot: str = "morning") -> dict[str, str]:
    return {"resource": str(spot.id), "date": day, "slot": slot}


def _cells(grid: dict[str, Any], spot: Any) -> dict[tuple[str, str], dict[str, Any]]:
    row = next(r for r in grid["spots"] if r["resource"]["id"] == spot.id)
    return {(c["date"], c["slot"]): c for c in row["cells"]}


def test_a_network_partner_books_a_morning_in_one_click_and_cancels_it(
        client: Any, auth: Any, plaza: dict[str, Any]) -> None:
    auth.login(plaza["jet"].email)
    spot = plaza["spots"][0]
    answer = client.post("/plaza/book", data=_book_form(spot))
    assert answer.status_code == 302 and f"week={WEEK}" in answer.headers["Location"]
    page = client.get(f"/plaza?week={WEEK}").get_data(as_text=True)
    assert "Uw reservering" in page  # the cell says it is yours
    grid = client.get(f"/api/v1/plaza?week={WEEK}").get_json()
    cell = _cells(grid, spot)[(MONDAY, "morning")]
    assert cell["state"] == "booked" and cell["booking"]["holder"]["mine"] is True
    assert cell["start"] == "2026-10-05T06:00:00Z" and cell["start_local"].startswith(
        "2026-10-05T08:00")
    booking_id = cell["booking"]["holder"]["id"]
    assert client.post(f"/plaza/{booking_id}/cancel").status_code == 302
    grid = client.get(f"/api/v1/plaza?week={WEEK}").get_json()
    assert _cells(grid, spot)[(MONDAY, "morning")]["state"] == "free"


def test_a_whole_day_fills_both_halves(client: Any, auth: Any, plaza: dict[str, Any]) -> None:
    auth.login(plaza["jet"].email)
    spot = plaza["spots"][1]
    client.post("/plaza/book", data=_book_form(spot, slot="day"))
    cells = _cells(client.get(f"/api/v1/plaza?week={WEEK}").get_json(), spot)
    assert {cells[(MONDAY, h)]["booking"]["slot"] for h in ("morning", "afternoon")} == {"day"}


def test_other_organisations_see_the_organisation_never_the_person(
        client: Any, auth: Any, token_for: Any, plaza: dict[str, Any]) -> None:
    spot = plaza["spots"][0]
    services.create_booking(actor_id=plaza["jet"].id, resource=spot.id,
                            start=datetime(2026, 10, 5, 6, 0, tzinfo=UTC),
                            end=datetime(2026, 10, 5, 10, 30, tzinfo=UTC), now=NOW)
    outsider = client.get(f"/api/v1/plaza?week={WEEK}", headers=token_for(plaza["noor"]))
    holder = _cells(outsider.get_json(), spot)[(MONDAY, "morning")]["booking"]["holder"]
    assert holder["organisation"]["name"] == "Jeugdgezondheidszorg"
    assert "person" not in holder and "Jet" not in outsider.get_data(as_text=True)
    colleague = client.get(f"/api/v1/plaza?week={WEEK}", headers=token_for(plaza["jan"]))
    assert _cells(colleague.get_json(), spot)[(MONDAY, "morning")]["booking"]["holder"][
        "person"] == "Jet Jansen"
    assert outsider.get_json()["on_plaza"]["week"] == ["Jeugdgezondheidszorg"]
    auth.login(plaza["noor"].email)
    page = client.get(f"/plaza?week={WEEK}").get_data(as_text=True)
    assert "Jeugdgezondheidszorg" in page and "Jet Jansen" not in page


def test_a_private_spot_shows_busy_only(client: Any, token_for: Any, make_org: Any,
                                        make_user: Any, make_resource: Any,
                                        plaza: dict[str, Any]) -> None:
    ggd = make_org(slug="ggd", name="GGD")
    doctor = make_user(org=ggd, name="Gerda")
    quiet = make_resource("landing_spot", name="Stille plek", privacy="private",
                          restricted_to=["ggd"])
    services.create_booking(actor_id=doctor.id, resource=quiet.id,
                            start=datetime(2026, 10, 5, 6, 0, tzinfo=UTC),
                            end=datetime(2026, 10, 5, 10, 30, tzinfo=UTC), now=NOW)
    answer = client.get(f"/api/v1/plaza?week={WEEK}", headers=token_for(plaza["noor"]))
    cell = _cells(answer.get_json(), quiet)[(MONDAY, "morning")]
    assert cell["state"] == "booked" and cell["booking"]["holder"] is None
    assert "GGD" not in answer.get_data(as_text=True)


def test_the_slower_of_two_partners_gets_a_friendly_refusal_with_free_cells(
        client: Any, app: Any, auth: Any, token_for: Any, plaza: dict[str, Any]) -> None:
    spot = plaza["spots"][0]
    auth.login(plaza["jet"].email)
    assert client.post("/plaza/book", data=_book_form(spot)).status_code == 302
    other = app.test_client()
    other.post("/login", data={"email": plaza["noor"].email, "password": "correct horse battery"})
    refused = other.post("/plaza/book", data=_book_form(spot))
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert 'role="alert"' in page
    assert "Plaza 2" in page  # the other spot of the same morning is offered first
    grid = other.get(f"/api/v1/plaza?week={WEEK}", headers=token_for(plaza["noor"])).get_json()
    assert _cells(grid, spot)[(MONDAY, "morning")]["booking"]["holder"]["mine"] is False


def test_weeks_move_and_a_bad_week_is_a_400(client: Any, token_for: Any,
                                            plaza: dict[str, Any]) -> None:
    headers = token_for(plaza["noor"])
    grid = client.get(f"/api/v1/plaza?week={WEEK}", headers=headers).get_json()
    assert (grid["prev"], grid["next"]) == ("2026-W40", "2026-W42")
    assert [d["date"] for d in grid["days"]] == [
        "2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09"]
    this_week = client.get("/api/v1/plaza", headers=headers).get_json()
    assert this_week["week"] == "2026-W40"
    assert [d["today"] for d in this_week["days"]] == [False, False, False, True, False]
    assert {c["state"] for c in _cells(this_week, plaza["spots"][0]).values()} >= {"past"}
    bad = client.get("/api/v1/plaza?week=2026-W99", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["details"]["field"] == "week"
    assert client.get("/api/v1/plaza").status_code == 401


def test_home_says_who_is_on_the_plaza_today(client: Any, auth: Any,
                                              plaza: dict[str, Any]) -> None:
    services.create_booking(actor_id=plaza["noor"].id, resource=plaza["spots"][0].id,
                            start=datetime(2026, 10, 1, 10, 30, tzinfo=UTC),
                            end=datetime(2026, 10, 1, 16, 0, tzinfo=UTC), now=NOW)
    auth.login(plaza["jet"].email)
    page = client.get("/").get_data(as_text=True)
    assert "GGZ FACT-team" in page and "Noor" not in page
