"""Login as an attacker tries it (issue 14, defects 4, 5): equal work for known and unknown
e-mail addresses; throttling per account and per address that never locks the building out."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest

from tests.hub_fixtures import TEST_PASSWORD


def _login(client: Any, email: str, password: str, address: str) -> int:
    response = client.post("/login", data={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return int(response.status_code)


@pytest.fixture
def hash_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the password-hash computations (the test app hashes with PBKDF2)."""
    calls: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counting(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    return calls


def test_unknown_and_known_e_mail_cost_the_same_work(client: Any, make_user: Any,
                                                     hash_calls: list[int]) -> None:
    user = make_user()
    invited = make_user(password=None)
    _login(client, "nobody@example.nl", "a wrong password", "10.0.0.1")  # warm-up
    costs = {}
    for name, email in (("known", user.email), ("unknown", "nobody@example.nl"),
                        ("invited", invited.email)):
        hash_calls.clear()
        assert _login(client, email, "a wrong password", "10.0.0.1") == 401
        costs[name] = len(hash_calls)
    assert costs["known"] == costs["unknown"] == costs["invited"] == 1


def test_an_attacker_cannot_lock_out_the_owner_at_another_address(client: Any,
                                                                    make_user: Any) -> None:
    user = make_user()
    for _ in range(8):
        _login(client, user.email, "guess", "198.51.100.66")
    assert _login(client, user.email, TEST_PASSWORD, "198.51.100.66") == 429
    assert _login(client, user.email, TEST_PASSWORD, "10.1.2.3") == 302


def test_fifty_failures_from_one_address_do_not_lock_out_colleagues(client: Any, app: Any,
                                                                     make_user: Any) -> None:
    colleague = make_user()
    for n in range(60):
        _login(client, f"guess{n}@example.nl", "Welkom01!", "198.51.100.66")
    assert _login(client, colleague.email, TEST_PASSWORD, "198.51.100.66") == 429
    other = app.test_client()
    assert _login(other, colleague.email, TEST_PASSWORD, "10.1.2.3") == 302


def test_the_wait_grows_with_each_failure_and_ends(app: Any, make_user: Any) -> None:
    from hub.accounts.models import LoginAttempt
    from hub.accounts.throttle import BASE_WAIT_S, Limits, check_allowed
    from hub.errors import TooManyRequests
    from hub.extensions import db
    from tests.hub_fixtures import T0

    limits = Limits(attempts=5, window_minutes=15)
    for n in range(5):
        db.session.add(LoginAttempt(email="a@example.nl", remote_addr="10.0.0.5",
                                    at=T0 + timedelta(seconds=n), success=False))
    db.session.commit()
    last = T0 + timedelta(seconds=4)
    with pytest.raises(TooManyRequests) as first:
        check_allowed("a@example.nl", "10.0.0.5", now=last, limits=limits)
    assert first.value.details["retry_after_s"] == BASE_WAIT_S
    check_allowed("a@example.nl", "10.0.0.5", now=last + timedelta(seconds=BASE_WAIT_S + 1),
                  limits=limits)
    db.session.add(LoginAttempt(email="a@example.nl", remote_addr="10.0.0.5",
                                at=last + timedelta(seconds=BASE_WAIT_S + 1), success=False))
    db.session.commit()
    with pytest.raises(TooManyRequests) as second:
        check_allowed("a@example.nl", "10.0.0.5",
                      now=last + timedelta(seconds=BASE_WAIT_S + 1), limits=limits)
    assert second.value.details["retry_after_s"] > 2 * BASE_WAIT_S - 1


def test_an_account_under_attack_slows_every_failing_address(client: Any,
                                                              make_user: Any) -> None:
    user = make_user()
    for n in range(5):  # one guess each from five addresses (a botnet)
        assert _login(client, user.email, "guess", f"198.51.100.{n}") == 401
    # An address that already failed on this account waits now, even with the right password...
    assert _login(client, user.email, TEST_PASSWORD, "198.51.100.0") == 429
    # ...but the owner from a clean address still gets in.
    assert _login(client, user.email, TEST_PASSWORD, "10.1.2.3") == 302


def test_a_throttled_answer_says_when_to_retry(client: Any, make_user: Any) -> None:
    user = make_user()
    for _ in range(5):
        _login(client, user.email, "guess", "198.51.100.66")
    response = client.post("/login", data={"email": user.email, "password": "guess"},
                           environ_base={"REMOTE_ADDR": "198.51.100.66"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


def test_a_flood_of_unknown_tokens_is_slowed_down_per_address(app: Any, make_user: Any,
                                                             token_for: Any) -> None:
    from hub.security import TOKEN_FAILURES_PER_MINUTE

    client = app.test_client()
    flood = {"REMOTE_ADDR": "198.51.100.9"}
    for n in range(TOKEN_FAILURES_PER_MINUTE):
        assert client.get("/api/v1/me", headers={"Authorization": f"Bearer hub_guess{n}"},
                          environ_base=flood).status_code == 401
    refused = client.get("/api/v1/me", headers={"Authorization": "Bearer hub_guess"},
                         environ_base=flood)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json["error"]["code"] == "too_many_requests"
    # A colleague at another address, with a real token, is not affected.
    other = client.get("/api/v1/me", headers=token_for(make_user()),
                       environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200
