"""Availability of a day: the same privacy views as one booking at a time, in a fixed number
of queries however many resources the building has, and nothing beyond its schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

from hub.booking import queries, services
from hub.booking.api.schemas import AvailabilityOut
from hub.booking.models import Booking
from hub.extensions import db
from tests.integration.booking_world import (  # noqa: F401
    NOW,
    SECRET_SUBJECT,
    TUE,
    World,
    at,
    world_fixture,
)

URL = "/api/v1/availability?date=2026-03-31"


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _book(world: World) -> None:
    services.create_booking(actor_id=world.staff.id, resource=world.room, start=at(TUE, 9),
                            end=at(TUE, 10), now=NOW, subject=SECRET_SUBJECT)
    services.create_booking(actor_id=world.ggd.id, resource=world.ggd_room, start=at(TUE, 9),
                            end=at(TUE, 11), now=NOW, subject="Schoolarts")
    services.create_booking(actor_id=world.reception.id, resource=world.big_room,
                            start=at(TUE, 13), end=at(TUE, 14), now=NOW,
                            on_behalf_of=world.colleague.email)


def test_each_viewer_gets_the_views_of_one_booking_at_a_time(
        client: Any, world: World, token_for: Any) -> None:
    _book(world)
    for viewer in (world.staff, world.ggd, world.reception, world.network, world.other_staff):
        answer = client.get(URL, headers=token_for(viewer))
        assert answer.status_code == 200
        body = answer.get_json()
        # What the booking API shows of each booking on its own (the one privacy rule).
        one_by_one = {b.id: queries.booking_view(b, viewer)
                      for b in db.session.query(Booking).all()}
        busy = [(item["resource"], v) for item in body["items"] for v in item["busy"]]
        assert len(busy) == 3
        for resource, view in busy:
            # Each interval sits under its resource; it does not name the resource again.
            assert "resource" not in view
            if view["visibility"] == "busy":  # a private room to an outsider: no id at all
                assert set(view) == {"start", "end", "start_local", "end_local", "busy",
                                     "visibility"}
                continue
            alone = one_by_one[view["id"]]
            assert alone["resource"]["id"] == resource["id"]
            assert view == {k: v for k, v in alone.items() if k != "resource"}
        # Sent without the schema's pass, yet exactly what the schema would have sent.
        assert body == AvailabilityOut().dump(body)
    ggd_view = next(v for item in client.get(URL, headers=token_for(world.staff)).get_json()[
        "items"] for v in item["busy"] if item["resource"]["id"] == world.ggd_room.id)
    assert ggd_view["visibility"] == "busy" and "Schoolarts" not in str(ggd_view)


def test_a_bigger_building_costs_no_extra_queries(
        app: Flask, client: Any, world: World, token_for: Any, make_resource: Any) -> None:
    _book(world)
    headers = token_for(world.staff)
    with counted(app) as small:
        assert client.get(URL, headers=headers).status_code == 200
    for n in range(12):
        room = make_resource("room", slug=f"extra-{n}")
        services.create_booking(actor_id=world.colleague.id, resource=room, start=at(TUE, 9),
                                end=at(TUE, 10), now=NOW)
    with counted(app) as big:
        answer = client.get(URL, headers=headers)
    assert answer.status_code == 200
    assert sum(len(item["busy"]) for item in answer.get_json()["items"]) == 15
    assert len(big) == len(small)
