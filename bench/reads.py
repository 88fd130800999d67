"""Reads with a year of history, 10 clients: the availability of the busy day (300
resources), the live board, and the day-view page (the room timeline of one floor)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from bench.client import Outcome, Session, drive, repeat
from bench.history import PASSWORD, Person

CLIENTS = 10


def _cookies(response: Any) -> str:
    """Every cookie the answer sets (the session and the login session), as one header."""
    return "; ".join(c.split(";", 1)[0] for c in response.msg.get_all("Set-Cookie") or [])


def login(port: int, person: Person) -> Session:
    """A browser-like session: the login form with its CSRF token, then the cookie."""
    session = Session(port)
    status, body, response = session.request("GET", "/login")
    cookie = _cookies(response)
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    if status != 200 or match is None:
        raise RuntimeError(f"no login form ({status})")
    form = urlencode({"email": person.email, "password": PASSWORD,
                      "csrf_token": match.group(1).decode()}).encode()
    status, body, response = session.request(
        "POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded",
                                 "Cookie": cookie})
    cookie = _cookies(response)
    if status != 302 or not cookie:
        raise RuntimeError(f"login of {person.email} failed ({status}): {body[:200]!r}")
    session.headers["Cookie"] = cookie
    return session


def _expect(marker: bytes) -> Callable[[int, bytes], str | None]:
    def check(status: int, body: bytes) -> str | None:
        if status != 200 or marker not in body:
            return f"{status}: {body[:200]!r}"
        return None
    return check


def figure(sessions: list[Session], path: str, marker: bytes, *, limit: int,
           seconds: float) -> Outcome:
    return drive(sessions, repeat(("GET", path, None)), limit=limit, seconds=seconds,
                 check=_expect(marker))


def paths(day: date, floor_id: int) -> dict[str, tuple[str, bytes]]:
    """What each read figure asks for, and a marker a right answer contains."""
    return {
        "availability": (f"/api/v1/availability?date={day.isoformat()}", b'"busy"'),
        "board": ("/api/v1/board", b'"state_now"'),
        "day view": (f"/book/timeline?date={day.isoformat()}&floor={floor_id}", b'class="track"'),
    }
