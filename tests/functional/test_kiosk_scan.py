"""POST /api/v1/kiosk/scan: a booking's QR decoded by a real decoder checks the booking in;
every result and the window's edges with a fixed clock; privacy; audit; rate limit; who may."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.audit.models import AuditEntry
from hub.booking import services
from hub.booking.models import Booking
from hub.extensions import db
from tests.support.kiosk import decode_png, kiosk_headers

BOOKED_AT = datetime(2026, 3, 30, 6, 0, tzinfo=UTC)  # Monday 08:00 in Amsterdam
START = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # 11:00 local
SUBJECT = "Gesprek over schuldsanering"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The API's clock, set per test: clock.now = ..."""
    from hub.kiosk import api

    class Clock:
        now = START

    monkeypatch.setattr(api, "utcnow", lambda: Clock.now)
    return Clock


@pytest.fixture
def booking(make_org: Any, make_user: Any, make_resource: Any) -> Booking:
    org = make_org(slug="ggz", name="GGZ FACT-team", kind="network")
    noor = make_user(org=org, name="Noor van Netwerk", email="noor@ggz.example.nl")
    room = make_resource("room", slug="spreekkamer-3", name="Spreekkamer 3",
                         org_kinds=["core", "network"])
    made = services.create_booking(actor_id=noor.id, resource=room, start=START,
                                   end=START + timedelta(hours=1), now=BOOKED_AT, subject=SUBJECT)
    return made.booking


def scan(client: Any, headers: dict[str, str], code: str) -> Any:
    return client.post("/api/v1/kiosk/scan", json={"code": code}, headers=headers)


def test_the_decoded_qr_checks_in_and_a_repeat_is_harmless(client: Any, booking: Booking,
                                                              token_for: Any, clock: Any) -> None:
    png = client.get(f"/api/v1/bookings/{booking.id}/qr.png", headers=token_for(booking.user))
    assert png.status_code == 200 and png.mimetype == "image/png"
    [text] = decode_png(png.data)
    assert text == f"https://hub.test/k/{booking.checkin_code}"
    kiosk = kiosk_headers()
    clock.now = START - timedelta(minutes=5)
    first = scan(client, kiosk, text)
    assert first.status_code == 200
    assert first.json["result"] == "checked_in"
    seen = first.json["booking"]
    assert seen["first_name"] == "Noor"
    assert seen["organisation"]["name"] == "GGZ FACT-team"
    assert seen["resource"]["name"] == "Spreekkamer 3"
    assert seen["resource"]["floor"]["name"] == "Begane grond"
    assert SUBJECT not in first.get_data(as_text=True)
    assert "noor@ggz" not in first.get_data(as_text=True)
    again = scan(client, kiosk, text)
    assert again.json["result"] == "already_checked_in"
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == "checked_in"


@pytest.mark.parametrize(("offset", "result"), [
    (timedelta(minutes=-15, seconds=-1), "too_early"),
    (timedelta(minutes=-15), "checked_in"),
    (timedelta(minutes=15), "checked_in"),
    (timedelta(minutes=15, seconds=1), "too_late"),
])
def test_the_window_edges(client: Any, booking: Booking, clock: Any, offset: timedelta,
                          result: str) -> None:
    clock.now = START + offset
    answer = scan(client, kiosk_headers(), booking.checkin_code.lower())
    assert answer.json["result"] == result
    if result == "too_early":
        assert answer.json["opens_at"] == "2026-03-30T08:45:00Z"
        assert answer.json["opens_at_local"].startswith("2026-03-30T10:45:00+02:00")
    db.session.expire_all()
    status = db.session.get(Booking, booking.id).status
    assert status == ("checked_in" if result == "checked_in" else "booked")


def test_cancelled_and_unknown_codes_say_so_without_details(client: Any, booking: Booking,
                                                            clock: Any) -> None:
    kiosk = kiosk_headers()
    services.cancel_booking(actor_id=booking.user_id, booking_id=booking.id, now=BOOKED_AT)
    cancelled = scan(client, kiosk, f"https://hub.test/k/{booking.checkin_code}")
    assert cancelled.json == {"result": "cancelled"}
    assert scan(client, kiosk, "QQQQQQQQ").json == {"result": "unknown_code"}
    assert scan(client, kiosk, "this is no code at all").json == {"result": "unknown_code"}


def test_a_scan_after_the_end_is_too_late(client: Any, booking: Booking, clock: Any) -> None:
    clock.now = START + timedelta(hours=2)
    assert scan(client, kiosk_headers(), booking.checkin_code).json["result"] == "too_late"


def test_every_scan_is_audited_with_the_kiosk_name(client: Any, booking: Booking,
                                                   clock: Any) -> None:
    kiosk = kiosk_headers("Entree-zuid")
    scan(client, kiosk, booking.checkin_code)
    scan(client, kiosk, "QQQQQQQQ")
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "kiosk.scan").order_by(AuditEntry.id)).all()
    assert [(e.actor_label, e.channel, e.after["result"]) for e in entries] == [
        ("kiosk:Entree-zuid", "kiosk", "checked_in"), ("kiosk:Entree-zuid", "kiosk", "unknown_code")]
    check_in = db.session.scalar(select(AuditEntry).filter_by(action="booking.check_in"))
    assert (check_in.actor_label, check_in.channel) == ("kiosk:Entree-zuid", "kiosk")
    assert all(booking.checkin_code not in str(e.after) for e in entries)


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"CHECKIN_CODE_THROTTLE_FAILURES": 3}


def test_guessing_codes_is_rate_limited_per_kiosk(client: Any, booking: Booking,
                                                  clock: Any) -> None:
    kiosk, other = kiosk_headers("A"), kiosk_headers("B")
    for n in range(3):
        assert scan(client, kiosk, f"GUESS{n}AA").status_code == 200
    refused = scan(client, kiosk, booking.checkin_code)
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "too_many_requests"
    assert refused.json["error"]["message"]
    assert int(refused.headers["Retry-After"]) == 30  # the first wait, then doubling
    assert scan(client, other, "GUESS9AA").status_code == 200  # per kiosk
    clock.now = START + timedelta(seconds=31)
    assert scan(client, kiosk, booking.checkin_code).json["result"] == "checked_in"
    assert db.session.scalar(select(AuditEntry).filter_by(action="kiosk.scan_refused"))


def test_a_busy_desk_with_right_codes_never_waits(client: Any, booking: Booking,
                                                 clock: Any) -> None:
    """Only unknown codes count: a queue at the door scanning right codes (here one code,
    repeated, which is harmless) goes on however many it is in a minute."""
    kiosk = kiosk_headers()
    clock.now = START - timedelta(minutes=5)
    results = [scan(client, kiosk, booking.checkin_code) for _n in range(30)]
    assert [r.status_code for r in results] == [200] * 30
    assert results[0].json["result"] == "checked_in"
    assert {r.json["result"] for r in results[1:]} == {"already_checked_in"}
    # Two mistakes in between are no reason to wait either (the limit here is 3).
    assert [scan(client, kiosk, code).status_code for code in ("TYPO1AAA", "TYPO2AAA")] == [200, 200]
    assert scan(client, kiosk, booking.checkin_code).status_code == 200


def test_input_that_is_no_text_is_a_400(client: Any, booking: Booking, clock: Any) -> None:
    kiosk = kiosk_headers()
    assert client.post("/api/v1/kiosk/scan", json={}, headers=kiosk).status_code == 400
    assert client.post("/api/v1/kiosk/scan", json={"code": 12}, headers=kiosk).status_code == 400
    bad = client.post("/api/v1/kiosk/scan", data="{", headers={**kiosk,
                      "Content-Type": "application/json"})
    assert bad.status_code == 400
