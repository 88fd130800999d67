"""The SQLite database file is full: bookings get a clear 503 (nothing saved, a message
that says so), nothing already stored is damaged, and booking works again once there is room.

The full disk is simulated with SQLite's `PRAGMA max_page_count` on every connection of
the app (a file that may not grow is what a full disk looks like to SQLite: the same
SQLITE_FULL error); no loop-mounted filesystem is needed, which CI containers rarely allow.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select, text

from hub.booking.models import Booking
from hub.extensions import db
from tests.integration.booking_world import NOW


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.booking.api import bookings as api

    monkeypatch.setattr(api, "utcnow", lambda: NOW)


def _body(room: str, i: int) -> dict[str, Any]:
    start, end = 8 * 60 + 15 * i, 8 * 60 + 15 * i + 15
    return {"resource": room, "start": f"2026-03-31T{start // 60:02d}:{start % 60:02d}:00+02:00",
            "end": f"2026-03-31T{end // 60:02d}:{end % 60:02d}:00+02:00",
            "subject": f"Gesprek {i} " + "x" * 150}  # big rows fill the pages quickly


def test_full_database_file(app: Flask, client: Any, make_org: Any, make_user: Any,
                            make_resource: Any, token_for: Any) -> None:
    headers = token_for(make_user(org=make_org(), password=None))
    room = make_resource("room").slug
    assert client.post("/api/v1/bookings", json=_body(room, 0), headers=headers).status_code == 201
    db.session.remove()
    limit = {"pages": int(db.session.execute(text("PRAGMA page_count")).scalar_one()) + 2}

    def cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit['pages']}")

    event.listen(db.engine, "connect", cap)
    db.session.remove()
    db.engine.dispose()  # every connection from now on has the cap
    answers = []
    for i in range(1, 38):
        made = client.post("/api/v1/bookings", json=_body(room, i),
                           headers=headers)
        answers.append(made)
        if made.status_code != 201:
            break
    full = answers[-1]
    assert full.status_code == 503, [a.status_code for a in answers]
    assert full.json["error"]["code"] == "database_busy"
    # Dutch by default: "full, so nothing was saved".
    assert full.json["error"]["message"].startswith("De database is vol, dus er is niets")
    saved = {a.json["id"] for a in answers if a.status_code == 201}
    db.session.remove()
    assert db.session.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    stored = set(db.session.scalars(select(Booking.id)))
    assert saved < stored and len(stored) == len(saved) + 1  # + the first; the refused one absent

    limit["pages"] = 1_000_000  # the administrator made room
    db.session.remove()
    db.engine.dispose()
    again = client.post("/api/v1/bookings", json=_body(room, 39), headers=headers)
    assert again.status_code == 201
