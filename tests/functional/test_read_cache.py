"""The kept answers of availability and the board (hub.readcache) are exact: every committed
write shows in the next answer, from this worker or another one on the same database, and a
transaction that wrote itself is never served nor kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from hub import create_app, readcache
from hub.booking import services
from hub.booking.models import Booking
from hub.extensions import db
from hub.timeutil import utcnow
from tests.hub_fixtures import _config
from tests.integration.booking_world import (  # noqa: F401
    NOW,
    TUE,
    World,
    at,
    world_fixture,
)

URL = "/api/v1/availability?date=2026-03-31"
pytestmark = pytest.mark.both_databases


def _busy(client: Any, headers: dict[str, str]) -> dict[str, list[str]]:
    answer = client.get(URL, headers=headers)
    assert answer.status_code == 200
    return {item["resource"]["slug"]: [v["start"] for v in item["busy"]]
            for item in answer.get_json()["items"] if item["busy"]}


def _cache(app: Flask) -> readcache.ReadCache:
    return app.extensions[readcache.KEY]


def test_a_new_booking_and_a_cancellation_show_at_once(
        app: Flask, client: Any, world: World, token_for: Any) -> None:
    headers = token_for(world.staff)
    assert _busy(client, headers) == {}
    hits = _cache(app).hits
    assert _busy(client, headers) == {}
    assert _cache(app).hits == hits + 1  # nothing was written in between: kept
    made = services.create_booking(actor_id=world.colleague.id, resource=world.room,
                                   start=at(TUE, 9), end=at(TUE, 10), now=NOW)
    assert _busy(client, headers) == {"spreekkamer-1": ["2026-03-31T07:00:00Z"]}
    services.cancel_booking(actor_id=world.colleague.id, booking_id=made.booking.id,
                            now=NOW)
    assert _busy(client, headers) == {}


def test_each_person_gets_their_own_privacy_view(
        client: Any, world: World, token_for: Any) -> None:
    services.create_booking(actor_id=world.ggd.id, resource=world.ggd_room, start=at(TUE, 9),
                            end=at(TUE, 10), now=NOW, subject="Schoolarts")
    mine = client.get(URL, headers=token_for(world.ggd)).get_json()
    theirs = client.get(URL, headers=token_for(world.staff)).get_json()
    again = client.get(URL, headers=token_for(world.ggd)).get_json()
    view = [v for item in theirs["items"] for v in item["busy"]]
    assert [v["visibility"] for v in view] == ["busy"] and "Schoolarts" not in str(theirs)
    assert "Schoolarts" in str(mine) and again == mine


@pytest.fixture
def other_worker(db_url: str, app: Flask) -> Iterator[Flask]:
    """A second app on the same database (and the same counter, as on one machine): another
    gunicorn worker, or `hub worker`."""
    other = create_app(_config(db_url, HUB_READ_VERSION_DIR=app.config["HUB_READ_VERSION_DIR"]))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
        readcache.close(other)


def test_a_write_of_another_worker_shows_at_once(
        app: Flask, client: Any, world: World, token_for: Any, other_worker: Flask,
        make_resource: Any) -> None:
    headers = token_for(world.staff)
    assert _busy(client, headers) == {}
    assert _busy(client, headers) == {}  # kept now
    with other_worker.app_context():
        services.create_booking(actor_id=world.colleague.id, resource=world.room.id,
                                start=at(TUE, 11), end=at(TUE, 12), now=NOW)
        db.session.remove()
    # The test's requests share the test's session; a real request has its own, which
    # begins a new transaction: so does this one.
    db.session.remove()
    assert _busy(client, headers) == {"spreekkamer-1": ["2026-03-31T09:00:00Z"]}


def test_the_board_shows_a_new_resource_at_once(
        client: Any, world: World, token_for: Any, make_resource: Any) -> None:
    headers = token_for(world.staff)
    first = client.get("/api/v1/board", headers=headers).get_json()
    make_resource("room", slug="nieuwe-kamer")
    second = client.get("/api/v1/board", headers=headers).get_json()
    assert len(second["items"]) == len(first["items"]) + 1
    assert "nieuwe-kamer" in {r["resource"]["slug"] for r in second["items"]}
    assert sum(f["total"] for f in second["floors"]) == len(second["items"])


def test_a_transaction_that_wrote_is_neither_served_nor_kept(
        app: Flask, world: World) -> None:
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    with app.test_request_context():
        assert readcache.cached("k", build) == 1
        assert readcache.cached("k", build) == 1  # kept
        db.session.add(Booking(resource_id=world.room.id, user_id=world.staff.id,
                               created_by_id=world.staff.id, organisation_id=world.wmo.id,
                               start=at(TUE, 14), end=at(TUE, 15), status="booked",
                               checkin_code="TESTCODE", sequence=0, created_at=utcnow(),
                               updated_at=utcnow()))
        db.session.flush()  # written, not committed
        assert readcache.cached("k", build) == 2
        assert readcache.cached("k", build) == 3  # not kept either
        db.session.rollback()
        assert readcache.cached("k", build) == 1  # what was kept before still holds


def test_a_token_use_keeps_the_answers_a_booking_does_not(
        app: Flask, client: Any, world: World, token_for: Any) -> None:
    from sqlalchemy import update

    from hub.accounts.models import ApiToken
    from hub.db import write

    headers = token_for(world.staff)
    assert _busy(client, headers) == {}
    counter = _cache(app).counter.value()
    with write():  # what the after-response touch of a token writes
        db.session.execute(update(ApiToken).values(last_used_at=NOW))
    assert _cache(app).counter.value() == counter
    services.create_booking(actor_id=world.colleague.id, resource=world.room, start=at(TUE, 9),
                            end=at(TUE, 10), now=NOW)
    assert _cache(app).counter.value() > counter
    assert _busy(client, headers) == {"spreekkamer-1": ["2026-03-31T07:00:00Z"]}


def test_threads_asking_at_once_share_one_build(app: Flask, world: World) -> None:
    import threading
    import time

    builds: list[int] = []
    answers: list[int] = []

    def build() -> int:
        builds.append(1)
        time.sleep(0.2)  # long enough for the other threads to ask meanwhile
        return 42

    def ask() -> None:
        with app.app_context():
            answers.append(readcache.cached("shared", build))
            db.session.remove()

    threads = [threading.Thread(target=ask) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [42] * 5 and len(builds) == 1
    assert not _cache(app).building  # no lock left behind
