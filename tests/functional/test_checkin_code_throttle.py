"""Guessing check-in codes on /k/<code> (what a booking's QR opens) is throttled per client
address with the login machinery (issue 14): only unknown codes count, the wait is a friendly
Dutch page with Retry-After, other addresses and right codes go on. The kiosk's scan API has
the same throttle per kiosk (tests/functional/test_kiosk_scan.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask_babel import refresh
from sqlalchemy import select

from hub.accounts.models import LoginAttempt
from hub.booking import services
from hub.extensions import db

NOW = datetime(2026, 3, 30, 8, 50, tzinfo=UTC)  # Monday 10:50 in Amsterdam
GUESSER, NEIGHBOUR, DESK = "203.0.113.7", "198.51.100.2", "192.0.2.10"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"CHECKIN_CODE_THROTTLE_FAILURES": 3}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    from hub.kiosk.web import phone

    class Clock:
        now = NOW

    monkeypatch.setattr(phone, "utcnow", lambda: Clock.now)
    return Clock


@pytest.fixture
def code(make_user: Any, make_resource: Any) -> str:
    booker = make_user(email="wim@wmo.example.nl")
    room = make_resource("room", slug="spreekkamer-1", name="Spreekkamer 1")
    start = NOW + timedelta(minutes=10)
    made = services.create_booking(actor_id=booker.id, resource=room, start=start,
                                   end=start + timedelta(hours=1), now=NOW - timedelta(hours=3))
    return str(made.booking.checkin_code)


def get(client: Any, path: str, address: str) -> Any:
    return client.get(path, environ_base={"REMOTE_ADDR": address})


def test_an_address_guessing_codes_waits_with_a_friendly_page(client: Any, code: str,
                                                              clock: Any) -> None:
    for n in range(3):
        assert get(client, f"/k/GUESS{n}AA", GUESSER).status_code == 404
    waiting = get(client, f"/k/{code}", GUESSER)  # even a right code: this address waits
    assert waiting.status_code == 429 and waiting.headers["Retry-After"] == "30"
    html = waiting.get_data(as_text=True)
    assert "Even geduld" in html and "Wacht 30 seconden" in html and "balie" in html
    assert "Spreekkamer 1" not in html
    assert get(client, f"/k/{code}", NEIGHBOUR).status_code == 200  # per address
    clock.now = NOW + timedelta(seconds=31)
    assert get(client, f"/k/{code}", GUESSER).status_code == 200
    assert get(client, "/k/GUESS4AA", GUESSER).status_code == 404
    assert get(client, "/k/GUESS5AA", GUESSER).headers["Retry-After"] == "60"  # doubling
    # Kept like a login attempt (address and time, purged with them), never the code.
    stored = db.session.scalars(select(LoginAttempt)).all()
    assert {(a.email, a.remote_addr, a.success) for a in stored} == {
        ("checkin-code", GUESSER, False)}
    assert len(stored) == 4


def test_right_codes_never_count(client: Any, code: str, clock: Any) -> None:
    assert [get(client, f"/k/{code}", DESK).status_code for _n in range(25)] == [200] * 25
    assert [get(client, f"/k/TYPO{n}AAA", DESK).status_code for n in range(2)] == [404, 404]
    assert get(client, f"/k/{code}", DESK).status_code == 200
    assert db.session.scalars(select(LoginAttempt)).all() != []


def test_the_wait_is_in_english_for_english_readers(client: Any, code: str,
                                                    clock: Any) -> None:
    for n in range(3):
        get(client, f"/k/GUESS{n}AA", GUESSER)
    get(client, "/lang/en", GUESSER)  # the language switch in the footer
    refresh()  # the requests share the test's app context, where Babel keeps the locale
    waiting = get(client, f"/k/{code}", GUESSER)
    assert waiting.status_code == 429
    html = waiting.get_data(as_text=True)
    assert "Please wait a moment" in html and "Wait 30 seconds" in html
