"""Failed-login throttling per e-mail address and per network address."""

from typing import Any

import pytest

from hub.accounts.services import ADDRESS_FACTOR, authenticate
from hub.errors import TooManyRequests
from tests.hub_fixtures import T0, TEST_PASSWORD


def test_one_address_spraying_many_accounts_is_slowed_down(app: Any, make_user: Any) -> None:
    user = make_user()
    for n in range(ADDRESS_FACTOR):  # one wrong try each on many accounts, never 1 twice
        assert authenticate(f"guess{n}@example.nl", "Welkom01!", remote_addr="10.0.0.9",
                            now=T0, max_attempts=1) is None
    with pytest.raises(TooManyRequests):
        authenticate(user.email, TEST_PASSWORD, remote_addr="10.0.0.9", now=T0, max_attempts=1)
    # A colleague elsewhere is not affected.
    assert authenticate(user.email, TEST_PASSWORD, remote_addr="10.0.0.10", now=T0,
                        max_attempts=1) == user


def test_an_unknown_address_fails_like_a_wrong_password(app: Any, make_user: Any) -> None:
    assert authenticate("nobody@example.nl", TEST_PASSWORD, remote_addr="10.0.0.1",
                        now=T0) is None
    invited = make_user(password=None)
    assert authenticate(invited.email, "", remote_addr="10.0.0.1", now=T0) is None
