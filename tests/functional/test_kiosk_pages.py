"""/k/<code> on a phone, /r/<slug> behind a door label, the kiosks' facility page, the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.booking import services
from hub.booking.models import Booking
from hub.extensions import db
from hub.kiosk.models import Kiosk
from tests.support.kiosk import decode_png

NOW = datetime(2026, 3, 30, 8, 50, tzinfo=UTC)  # Monday 10:50 in Amsterdam
START = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
SUBJECT = "Gesprek over schuldsanering"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    from hub.kiosk.web import phone

    class Clock:
        now = NOW

    monkeypatch.setattr(phone, "utcnow", lambda: Clock.now)
    return Clock


@pytest.fixture
def people(make_org: Any, make_user: Any, make_resource: Any) -> dict[str, Any]:
    wmo, welzijn = make_org(slug="wmo", name="Wmo-team"), make_org(slug="welzijn")
    booker = make_user(org=wmo, name="Wim Wmo", email="wim@wmo.example.nl")
    room = make_resource("room", slug="spreekkamer-1", name="Spreekkamer 1")
    made = services.create_booking(actor_id=booker.id, resource=room, start=START,
                                   end=START + timedelta(hours=1), now=NOW - timedelta(hours=3),
                                   subject=SUBJECT).booking
    return {"booker": booker, "room": room, "booking": made,
            "other": make_user(org=welzijn, email="sanne@welzijn.example.nl"),
            "facility": make_user(org=welzijn, role="facility", email="fa@welzijn.example.nl")}


def test_the_booker_sees_the_booking_and_checks_in_on_the_phone(client: Any, auth: Any,
                                                               people: Any, clock: Any) -> None:
    code = people["booking"].checkin_code
    auth.login("wim@wmo.example.nl")
    page = client.get(f"/k/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Spreekkamer 1" in html and "kiosk_pages.check_in_code" not in html
    assert f"/k/{code}/check-in" in html
    done = client.post(f"/k/{code}/check-in", follow_redirects=True)
    assert done.status_code == 200
    db.session.expire_all()
    assert db.session.get(Booking, people["booking"].id).status == "checked_in"


def test_anyone_else_is_only_told_to_show_the_code_at_the_kiosk(client: Any, auth: Any,
                                                               people: Any, clock: Any) -> None:
    code = people["booking"].checkin_code
    for login in (None, "sanne@welzijn.example.nl"):
        if login:
            auth.login(login)
        html = client.get(f"/k/{code}").get_data(as_text=True)
        assert "kiosk" in html.lower()
        assert "Spreekkamer 1" not in html and SUBJECT not in html and "Wim" not in html.split(
            "</header>")[-1]
        assert f"/k/{code}/check-in" not in html
    assert client.post(f"/k/{code}/check-in").status_code == 404
    assert client.get("/k/QQQQQQQQ").status_code == 404


def test_too_early_on_the_phone_offers_no_check_in(client: Any, auth: Any, people: Any,
                                                   clock: Any) -> None:
    clock.now = START - timedelta(minutes=30)
    auth.login("wim@wmo.example.nl")
    html = client.get(f"/k/{people['booking'].checkin_code}").get_data(as_text=True)
    assert "10:45" in html and "/check-in" not in html


def test_the_door_label_page_shows_state_and_lets_the_booker_check_in(client: Any, auth: Any,
                                                                      people: Any,
                                                                      clock: Any) -> None:
    anonymous = client.get("/r/spreekkamer-1").get_data(as_text=True)
    assert "Spreekkamer 1" in anonymous and "/login" in anonymous
    auth.login("wim@wmo.example.nl")
    html = client.get("/r/spreekkamer-1").get_data(as_text=True)
    assert "/r/spreekkamer-1/check-in" in html
    client.post("/r/spreekkamer-1/check-in")
    db.session.expire_all()
    assert db.session.get(Booking, people["booking"].id).status == "checked_in"
    assert client.get("/r/no-such-room").status_code == 404


def test_book_now_takes_the_next_free_slot_of_today_in_one_tap(client: Any, auth: Any,
                                                               people: Any, clock: Any) -> None:
    clock.now = START + timedelta(hours=1, minutes=5)  # 12:05: the 11-12 booking is over
    auth.login("sanne@welzijn.example.nl")
    html = client.get("/r/spreekkamer-1").get_data(as_text=True)
    assert "12:00" in html and "13:00" in html  # the current quarter, one hour
    start = (START + timedelta(hours=1)).isoformat()
    client.post("/r/spreekkamer-1/book", data={"start": start})
    made = db.session.scalars(select(Booking).where(Booking.user_id == people["other"].id)).all()
    assert [(b.start, b.end) for b in made] == [(START + timedelta(hours=1),
                                                 START + timedelta(hours=2))]
    stale = client.post("/r/spreekkamer-1/book", data={"start": start}, follow_redirects=True)
    assert stale.status_code == 200
    assert len(db.session.scalars(select(Booking)).all()) == 2


def test_label_sheet_for_facility_with_short_urls(client: Any, auth: Any, people: Any) -> None:
    auth.login("sanne@welzijn.example.nl")
    assert client.get("/facility/labels").status_code == 403
    auth.logout()
    auth.login("fa@welzijn.example.nl")
    html = client.get("/facility/labels").get_data(as_text=True)
    assert "hub.test/r/spreekkamer-1" in html and "<svg" in html
    [text] = decode_png(client.get("/r/spreekkamer-1/qr.png").data)
    assert text == "https://hub.test/r/spreekkamer-1"
    svg = client.get("/r/spreekkamer-1/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_facility_enrols_lists_and_revokes_kiosks(client: Any, auth: Any, people: Any) -> None:
    auth.login("fa@welzijn.example.nl")
    index = client.get("/facility/").get_data(as_text=True)
    assert "/facility/kiosks" in index and "/facility/labels" in index
    made = client.post("/facility/kiosks", data={"name": "Entree", "location": "Hal, begane grond"})
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and "kiosk_" in html and "/kiosk#credential=kiosk_" in html
    credential = html.split("<code class=\"secret\">")[1].split("</code>")[0]
    headers = {"Authorization": f"Bearer {credential}"}
    assert client.get("/api/v1/kiosk/status", headers=headers).status_code == 200
    listing = client.get("/facility/kiosks").get_data(as_text=True)
    assert "Hal, begane grond" in listing and credential not in listing
    kiosk = db.session.scalar(select(Kiosk).filter_by(name="Entree"))
    client.post(f"/facility/kiosks/{kiosk.id}/revoke")
    assert client.get("/api/v1/kiosk/status", headers=headers).status_code == 401
    assert client.post("/facility/kiosks", data={"name": "Entree"}).status_code == 400
    auth.logout()
    auth.login("sanne@welzijn.example.nl")
    assert client.get("/facility/kiosks").status_code == 403


def test_hub_kiosk_enrol_prints_a_working_credential_once(runner: Any, client: Any,
                                                          people: Any) -> None:
    out = runner.invoke(args=["kiosk", "enrol", "Zuil", "--location", "Entree"])
    assert out.exit_code == 0, out.output
    credential = out.output.strip().splitlines()[-1]
    assert credential.startswith("kiosk_")
    kiosk = db.session.scalar(select(Kiosk).filter_by(name="Zuil"))
    assert credential not in (kiosk.credential_hash, kiosk.prefix)
    headers = {"Authorization": f"Bearer {credential}"}
    assert client.get("/api/v1/kiosk/status", headers=headers).json["kiosk"]["name"] == "Zuil"
    assert "Zuil\tEntree" in runner.invoke(args=["kiosk", "list"]).output
    assert runner.invoke(args=["kiosk", "enrol", "Zuil"]).exit_code == 1
    assert runner.invoke(args=["kiosk", "revoke", "Zuil"]).exit_code == 0
    assert client.get("/api/v1/kiosk/status", headers=headers).status_code == 401


def test_the_board_page_needs_a_login_but_the_wall_view_may_use_a_kiosk(client: Any, auth: Any,
                                                                        people: Any) -> None:
    assert client.get("/board").status_code == 302
    wall = client.get("/board?display=wall")
    assert wall.status_code == 200 and b"/api/v1/kiosk/board" in wall.data
    auth.login("sanne@welzijn.example.nl")
    page = client.get("/board").get_data(as_text=True)
    assert "Spreekkamer 1" in page and "/api/v1/board" in page
    assert SUBJECT not in page and "Wim" not in page.split("board-config")[1]


def test_the_kiosk_page_is_a_shell_in_both_languages(client: Any, people: Any) -> None:
    html = client.get("/kiosk").get_data(as_text=True)
    assert "Ik heb geen reservering" in html and "I have no booking" in html
    assert "zxing_reader.wasm" in html and "cdn" not in html.lower()
