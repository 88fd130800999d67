"""Kiosk credentials reach only the kiosk endpoints; walk-ins; the live board and its privacy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.audit.models import AuditEntry
from hub.booking import services
from hub.booking.models import Booking, RefusedDemand
from hub.extensions import db
from hub.kiosk.models import Kiosk
from tests.support.kiosk import kiosk_headers

MON_1040 = datetime(2026, 3, 30, 8, 40, tzinfo=UTC)  # Monday 10:40 in Amsterdam
SATURDAY = datetime(2026, 4, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    from hub.kiosk import api

    class Clock:
        now = MON_1040

    monkeypatch.setattr(api, "utcnow", lambda: Clock.now)
    return Clock


@pytest.fixture
def plaza(make_org: Any, make_user: Any, make_resource: Any, make_floor: Any) -> dict[str, Any]:
    ggz = make_org(slug="ggz", name="GGZ FACT-team", kind="network")
    wmo = make_org(slug="wmo", name="Wmo-team")
    ggd = make_org(slug="ggd", name="GGD")
    floor = make_floor(slug="plein", name="Servicepleinen")
    spots = [make_resource("landing_spot", slug=f"plek-{n}", name=f"Plek {n}", floor=floor)
             for n in (1, 2)]
    return {"ggz": ggz, "wmo": wmo, "ggd": ggd, "spots": spots,
            "staff": make_user(org=wmo, name="Wim Wmo"),
            "ggd_staff": make_user(org=ggd, name="Gerda Arts"),
            "desk": make_resource("desk", slug="flex-1", name="Flexplek 1"),
            "room": make_resource("room", slug="spreekkamer-1", name="Spreekkamer 1"),
            "private": make_resource("room", slug="ggd-kamer", name="GGD-kamer",
                                     privacy="private", restricted_to=["ggd"])}


def test_a_kiosk_credential_reaches_only_the_kiosk(client: Any, plaza: Any, clock: Any) -> None:
    kiosk = kiosk_headers()
    assert client.get("/api/v1/kiosk/status", headers=kiosk).status_code == 200
    for path in ("/api/v1/me", "/api/v1/bookings", "/api/v1/resources", "/api/v1/board"):
        answer = client.get(path, headers=kiosk)
        assert answer.status_code == 403, path
        assert answer.json["error"]["code"] == "not_allowed"
    booked = client.post("/api/v1/bookings", headers=kiosk, json={"resource": "plek-1"})
    assert booked.status_code == 403


def test_people_and_strangers_are_refused_on_kiosk_endpoints(client: Any, plaza: Any,
                                                             token_for: Any) -> None:
    staff = token_for(plaza["staff"])
    assert client.post("/api/v1/kiosk/scan", json={"code": "X"}, headers=staff).status_code == 403
    assert client.post("/api/v1/kiosk/walk-in", json={}, headers=staff).status_code == 403
    assert client.get("/api/v1/kiosk/status", headers=staff).status_code == 403
    assert client.post("/api/v1/kiosk/scan", json={"code": "X"}).status_code == 401
    wrong = {"Authorization": "Bearer kiosk_not-a-real-one"}
    assert client.post("/api/v1/kiosk/scan", json={"code": "X"}, headers=wrong).status_code == 401


def test_a_revoked_kiosk_is_refused_and_its_last_seen_is_kept(client: Any, plaza: Any,
                                                              clock: Any) -> None:
    from hub.kiosk.services import revoke_kiosk

    kiosk = kiosk_headers("Hal")
    client.get("/api/v1/kiosk/status", headers=kiosk)
    row = db.session.scalar(select(Kiosk).filter_by(name="Hal"))
    assert row.last_seen_at == MON_1040
    revoke_kiosk(kiosk_id=row.id, now=MON_1040)
    assert client.get("/api/v1/kiosk/status", headers=kiosk).status_code == 401


def walk_in(client: Any, kiosk: dict[str, str], **body: Any) -> Any:
    payload = {"first_name": "Noor", "organisation": "ggz", **body}
    return client.post("/api/v1/kiosk/walk-in", json=payload, headers=kiosk)


def test_a_walk_in_takes_a_free_spot_until_the_end_of_the_half_day(client: Any, plaza: Any,
                                                                   clock: Any,
                                                                   token_for: Any) -> None:
    kiosk = kiosk_headers()
    options = client.get("/api/v1/kiosk/walk-in", headers=kiosk).json
    assert options["open"] is True
    assert [p["slug"] for p in options["places"]] == ["plek-1", "plek-2"]  # no desk by default
    assert {"slug": "ggz", "name": "GGZ FACT-team", "kind": "network"} in options["organisations"]
    made = walk_in(client, kiosk, resource="plek-2")
    assert made.status_code == 201, made.json
    assert made.json["booking"]["first_name"] == "Noor"
    assert made.json["booking"]["resource"]["slug"] == "plek-2"
    assert made.json["booking"]["end_local"].startswith("2026-03-30T12:30")
    row = db.session.scalar(select(Booking).where(Booking.resource_id == plaza["spots"][1].id))
    assert (row.status, row.start, row.organisation_id) == ("checked_in", MON_1040,
                                                            plaza["ggz"].id)
    audit = db.session.scalar(select(AuditEntry).filter_by(action="booking.create"))
    assert (audit.channel, audit.actor_label) == ("kiosk", "kiosk:Entree")
    board = client.get("/api/v1/board", headers=token_for(plaza["staff"])).json
    tile = next(r for r in board["items"] if r["resource"]["slug"] == "plek-2")
    assert (tile["state_now"], tile["organisation"]["name"]) == ("booked", "GGZ FACT-team")
    assert tile["until_local"].startswith("2026-03-30T12:30")
    assert board["plaza"] == [{"slug": "ggz", "name": "GGZ FACT-team"}]
    left = client.get("/api/v1/kiosk/walk-in", headers=kiosk).json["places"]
    assert [p["slug"] for p in left] == ["plek-1"]


def test_walk_ins_of_one_organisation_are_not_one_persons_quota(client: Any, plaza: Any,
                                                               clock: Any, make_resource: Any
                                                               ) -> None:
    kiosk = kiosk_headers()
    make_resource("landing_spot", slug="plek-3", name="Plek 3", floor=plaza["spots"][0].floor)
    for name in ("Noor", "Piet", "Ahmed"):
        assert walk_in(client, kiosk, first_name=name).status_code == 201


def test_a_full_plaza_refuses_with_a_reason_and_counts_the_demand(client: Any, plaza: Any,
                                                                  clock: Any) -> None:
    kiosk = kiosk_headers()
    assert walk_in(client, kiosk).status_code == 201
    assert walk_in(client, kiosk, first_name="Piet").status_code == 201
    full = walk_in(client, kiosk, first_name="Ahmed")
    assert full.status_code == 422
    assert full.json["error"]["details"]["rule"] == "nothing_free"
    assert "desk" in full.json["error"]["message"].lower() or full.json["error"]["message"]
    refused = db.session.scalars(select(RefusedDemand)).all()
    assert [(r.kind, r.reason) for r in refused] == [("landing_spot", "no_free_resource")]


def test_a_closed_building_refuses_walk_ins(client: Any, plaza: Any, clock: Any) -> None:
    clock.now = SATURDAY
    kiosk = kiosk_headers()
    assert client.get("/api/v1/kiosk/walk-in", headers=kiosk).json["open"] is False
    closed = walk_in(client, kiosk)
    assert closed.status_code == 422
    assert closed.json["error"]["details"]["rule"] == "closed"


def test_walk_in_input_is_checked(client: Any, plaza: Any, clock: Any) -> None:
    kiosk = kiosk_headers()
    assert walk_in(client, kiosk, organisation="nope").status_code == 400
    assert walk_in(client, kiosk, first_name="  ").status_code == 400
    assert walk_in(client, kiosk, first_name="=cmd()").status_code == 400
    assert client.post("/api/v1/kiosk/walk-in", json={"first_name": "Noor"},
                       headers=kiosk).status_code == 400


def test_desks_take_walk_ins_where_the_policy_allows(client: Any, plaza: Any, clock: Any) -> None:
    from hub.booking.policies import set_policy
    from hub.db import write

    with write():
        set_policy("desk", {"walk_in": True})
    options = client.get("/api/v1/kiosk/walk-in", headers=kiosk_headers()).json
    assert "flex-1" in [p["slug"] for p in options["places"]]


def test_the_board_never_shows_a_private_rooms_booker(client: Any, plaza: Any, clock: Any,
                                                      token_for: Any) -> None:
    services.create_booking(actor_id=plaza["ggd_staff"].id, resource=plaza["private"],
                            start=MON_1040 - timedelta(minutes=10),
                            end=MON_1040 + timedelta(minutes=50), now=MON_1040 - timedelta(hours=2))
    for viewer in (plaza["staff"], plaza["ggd_staff"]):
        board = client.get("/api/v1/board", headers=token_for(viewer))
        tile = next(r for r in board.json["items"] if r["resource"]["slug"] == "ggd-kamer")
        assert tile["state_now"] == "booked"
        assert tile["organisation"] is None
        assert "GGD" not in str({k: v for k, v in tile.items() if k != "resource"})


def _tile(client: Any, headers: dict[str, str], slug: str) -> dict[str, Any]:
    return next(r for r in client.get("/api/v1/board", headers=headers).json["items"]
                if r["resource"]["slug"] == slug)


def test_a_no_show_in_the_making_and_a_release_on_the_board(client: Any, plaza: Any, clock: Any,
                                                            token_for: Any) -> None:
    made = services.create_booking(actor_id=plaza["staff"].id, resource=plaza["room"],
                                   start=MON_1040 - timedelta(minutes=10),
                                   end=MON_1040 + timedelta(minutes=50),
                                   now=MON_1040 - timedelta(hours=2)).booking
    headers = token_for(plaza["ggd_staff"])
    tile = _tile(client, headers, "spreekkamer-1")
    assert (tile["state_now"], tile["booking"], tile["note"]) == ("booked", "booked",
                                                                 "not_checked_in")
    assert tile["organisation"]["name"] == plaza["staff"].organisation.name
    services.sweep(MON_1040 + timedelta(minutes=10))
    assert db.session.get(Booking, made.id).status == "released"
    clock.now = MON_1040 + timedelta(minutes=10)
    tile = _tile(client, headers, "spreekkamer-1")
    assert (tile["state_now"], tile["note"]) == ("free", None)
    release = db.session.scalar(select(AuditEntry).filter_by(action="booking.release"))
    assert release.entity_id == str(made.id)


def test_the_private_room_is_only_busy_or_free_on_the_board(client: Any, plaza: Any,
                                                            clock: Any, token_for: Any) -> None:
    """PRODUCT.md: outsiders see only busy/free of a private room, in every channel; the
    board is the same for everyone, its own organisation included."""
    services.create_booking(actor_id=plaza["ggd_staff"].id, resource=plaza["private"],
                            start=MON_1040 - timedelta(minutes=10),
                            end=MON_1040 + timedelta(minutes=50),
                            now=MON_1040 - timedelta(hours=2))
    for person in ("staff", "ggd_staff"):
        tile = _tile(client, token_for(plaza[person]), "ggd-kamer")
        assert tile["state_now"] == "booked" and tile["until"] == "2026-03-30T09:30:00Z"
        # not whether anyone checked in, no sensor, no no-show note, no organisation
        assert (tile["booking"], tile["sensor"], tile["note"], tile["organisation"]) == (
            None, None, None, None)
    kiosk = client.get("/api/v1/kiosk/board", headers=kiosk_headers()).json
    tile = next(r for r in kiosk["items"] if r["resource"]["slug"] == "ggd-kamer")
    assert (tile["booking"], tile["note"], tile["organisation"]) == (None, None, None)


def test_the_board_for_a_wall_screen_kiosk(client: Any, plaza: Any, clock: Any) -> None:
    board = client.get("/api/v1/kiosk/board", headers=kiosk_headers())
    assert board.status_code == 200
    assert {f["name"] for f in board.json["floors"]} >= {"Servicepleinen"}
    assert board.json["updated_at"] == "2026-03-30T08:40:00Z"


def test_a_walk_ins_first_name_is_purged_with_the_subjects(client: Any, plaza: Any,
                                                           clock: Any) -> None:
    assert walk_in(client, kiosk_headers(), first_name="Noor").status_code == 201
    services.purge_subjects(now=MON_1040 + timedelta(days=91), days=90)
    db.session.expire_all()
    assert db.session.scalars(select(Booking.visitor_name)).all() == [None]


def test_the_board_holds_what_its_document_declares(client: Any, plaza: Any, clock: Any,
                                                   token_for: Any) -> None:
    """A busy board (a booking now, a private room, the plaza) loads into BoardOut without an
    undeclared field, and every enum field holds a declared value (the OpenAPI document)."""
    from marshmallow import fields as mfields

    from hub.kiosk.schemas import BoardOut, BoardRow

    services.create_booking(actor_id=plaza["ggd_staff"].id, resource=plaza["private"],
                            start=MON_1040 - timedelta(minutes=10),
                            end=MON_1040 + timedelta(minutes=50), now=MON_1040 - timedelta(hours=2))
    for answer in (client.get("/api/v1/board", headers=token_for(plaza["staff"])).json,
                   client.get("/api/v1/kiosk/board", headers=kiosk_headers()).json):
        BoardOut().load(answer)  # raises on an undeclared field or a wrong type
        enums = {name: f.metadata["enum"] for name, f in BoardRow().fields.items()
                 if isinstance(f, mfields.Field) and "enum" in f.metadata}
        for row in answer["items"]:
            for name, allowed in enums.items():
                assert row[name] in allowed, (name, row[name])
        assert "booked" in {row["state_now"] for row in answer["items"]}
