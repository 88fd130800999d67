"""SQLite's write lock held past the busy timeout: a clear 503 the client may retry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import create_engine

from hub.extensions import db
from tests.hub_fixtures import TEST_PASSWORD


def test_a_write_lock_that_times_out_answers_503_database_busy(
        app: Flask, make_user: Any, make_resource: Any, token_for: Any) -> None:
    user = make_user()
    headers = token_for(user)
    room = make_resource("room")
    holder = create_engine(db.engine.url)
    with holder.connect() as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout=0")
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # another writer holds the lock
        client = app.test_client()
        with _short_busy_timeout(app):
            page = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
            api = client.post("/api/v1/bookings", headers=headers, json={
                "resource": room.slug, "start": "2026-12-07T10:00:00+01:00",
                "end": "2026-12-07T11:00:00+01:00"})
        conn.exec_driver_sql("ROLLBACK")
    holder.dispose()
    assert page.status_code == 503
    assert "De database is even bezig" in page.get_data(as_text=True)
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "database_busy"
    assert api.headers["Retry-After"] == "1"
    # Nothing was half written, and the next attempt goes through.
    assert client.post("/login", data={"email": user.email,
                                       "password": TEST_PASSWORD}).status_code == 302


@contextmanager
def _short_busy_timeout(app: Flask) -> Iterator[None]:
    """The app's connections wait 0.2 s instead of 15 s for the lock, for this test."""
    from sqlalchemy import event

    def shorten(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=200")

    db.engine.dispose()
    event.listen(db.engine, "connect", shorten)
    try:
        yield
    finally:
        event.remove(db.engine, "connect", shorten)
        db.engine.dispose()
