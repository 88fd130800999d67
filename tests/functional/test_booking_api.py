"""The booking API: contract shapes, check order, hostile input, privacy on the raw body."""

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.booking.models import Booking
from hub.extensions import db
from tests.integration.booking_world import NOW, World, world_fixture  # noqa: F401

pytestmark = pytest.mark.both_databases


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API reads the clock at its edge; pin it to Monday 30 March 2026, 10:00."""
    from hub.booking.api import bookings as api

    monkeypatch.setattr(api, "utcnow", lambda: NOW)


def body(**kw: Any) -> dict[str, Any]:
    return {"resource": "spreekkamer-1", "start": "2026-03-31T09:00:00+02:00",
            "end": "2026-03-31T10:00:00+02:00", **kw}


def test_book_by_slug_and_read_back(client: Any, world: World, token_for: Any) -> None:
    headers = token_for(world.staff)
    made = client.post("/api/v1/bookings", json=body(subject="Intake", attendees=2),
                       headers=headers)
    assert made.status_code == 201, made.json
    b = made.json
    assert b["start"] == "2026-03-31T07:00:00Z" and b["start_local"] == "2026-03-31T09:00:00+02:00"
    assert b["status"] == "booked" and b["resource"]["slug"] == "spreekkamer-1"
    assert b["checkin_url"] == f"https://hub.test/k/{b['checkin_code']}"
    assert client.get(b["qr_png_url"], headers=headers).data[:4] == b"\x89PNG"
    ics = client.get(b["ics_url"], headers=headers)
    assert b"METHOD:REQUEST" in ics.data and b"TZID=Europe/Amsterdam" in ics.data
    assert client.get(b["qr_png_url"], headers=token_for(world.colleague)).status_code == 403
    mine = client.get("/api/v1/bookings?mine=1", headers=headers).json
    assert [i["id"] for i in mine["items"]] == [b["id"]] and mine["next"] is None


def test_conflict_409_and_rule_422_name_what_is_wrong(client: Any, world: World,
                                                      token_for: Any) -> None:
    client.post("/api/v1/bookings", json=body(), headers=token_for(world.staff))
    clash = client.post("/api/v1/bookings", json=body(), headers=token_for(world.colleague))
    assert clash.status_code == 409 and clash.json["error"]["code"] == "booking_conflict"
    assert clash.json["error"]["details"]["conflict"]["start"] == "2026-03-31T07:00:00Z"
    early = client.post("/api/v1/bookings", json=body(start="2026-03-31T07:00:00+02:00"),
                        headers=token_for(world.colleague))
    assert early.status_code == 422
    assert early.json["error"]["details"]["rule"] == "opening_hours"


def test_check_order_401_403_400_422_409(client: Any, world: World, token_for: Any) -> None:
    assert client.post("/api/v1/bookings", json=body()).status_code == 401
    made = client.post("/api/v1/bookings", json=body(), headers=token_for(world.staff)).json
    # 403 before 400: a stranger sending garbage to someone else's booking
    stranger = client.patch(f"/api/v1/bookings/{made['id']}", data="not json",
                            headers=token_for(world.other_staff))
    assert stranger.status_code == 403
    # 422 before 409: a taken slot outside opening hours is a rule problem first
    both = client.post("/api/v1/bookings", json=body(end="2026-03-31T19:00:00+02:00"),
                       headers=token_for(world.colleague))
    assert both.status_code == 422


HOSTILE = [
    ("not json", None),
    (json.dumps([1, 2]), None),
    (json.dumps(body(start="2026-03-31T09:00:00")), None),           # naive
    (json.dumps(body(end="2026-03-31T08:00:00+02:00")), None),       # end before start
    (json.dumps(body(subject="x" * 5000)), None),
    (json.dumps(body(attendees="lots")), None),
    (json.dumps(body(attendees=True)), None),
    (json.dumps(body(resource=None)), None),
    (json.dumps(body(resource={"id": 1})), None),
    (json.dumps(body(resource=10**30)), None),
    (json.dumps(body(start="2026-02-30T09:00:00+02:00")), None),
    (json.dumps(body(start=12)), None),
    (json.dumps(body(rrule="FREQ=WEEKLY;INTERVAL=0")), 422),
    (json.dumps(body(rrule=["FREQ=DAILY"])), None),
    # Booking for someone else is a permission before it is a shape (staff may not): 403.
    (json.dumps(body(on_behalf_of="not-an-email")), 403),
    (json.dumps(body(resource="no-such-room")), 404),
    (json.dumps(body(resource=999999)), 404),
    (json.dumps(body(skip_conflicts="maybe")), None),
    (json.dumps(body(start="9999-12-31T23:59:59+14:00", end="9999-12-31T23:59:59-12:00")), 422),
]


@pytest.mark.parametrize(("raw", "status"), HOSTILE)
def test_hostile_bodies_never_500(client: Any, world: World, token_for: Any, raw: str,
                                  status: int | None) -> None:
    answer = client.post("/api/v1/bookings", data=raw, content_type="application/json",
                         headers=token_for(world.staff))
    assert answer.status_code == (status or 400), answer.json
    assert set(answer.json["error"]) == {"code", "message", "details"}


def test_patch_moves_delete_cancels_and_check_in(client: Any, world: World,
                                                 token_for: Any) -> None:
    headers = token_for(world.staff)
    made = client.post("/api/v1/bookings", json=body(), headers=headers).json
    moved = client.patch(f"/api/v1/bookings/{made['id']}", headers=headers, json={
        "start": "2026-03-31T11:00:00+02:00", "end": "2026-03-31T12:30:00+02:00"})
    assert moved.status_code == 200 and moved.json["end_local"].startswith("2026-03-31T12:30")
    early = client.post(f"/api/v1/bookings/{made['id']}/check-in", headers=headers)
    assert early.status_code == 422 and early.json["error"]["details"]["rule"] == "checkin_window"
    gone = client.delete(f"/api/v1/bookings/{made['id']}", headers=headers)
    assert gone.status_code == 200 and gone.json["status"] == "cancelled"
    assert db.session.get(Booking, made["id"]).status == "cancelled"


def test_series_with_conflicts_409_then_skip(client: Any, world: World, token_for: Any) -> None:
    client.post("/api/v1/bookings", json=body(start="2026-04-07T09:00:00+02:00",
                                              end="2026-04-07T10:00:00+02:00"),
                headers=token_for(world.colleague))
    series = body(rrule="FREQ=WEEKLY;COUNT=3")
    refused = client.post("/api/v1/bookings", json=series, headers=token_for(world.staff))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "series_conflict"
    assert len(refused.json["error"]["details"]["conflicts"]) == 1
    made = client.post("/api/v1/bookings", json={**series, "skip_conflicts": True},
                       headers=token_for(world.staff))
    assert made.status_code == 201
    assert len(made.json["occurrences"]) == 2
    assert made.json["conflicts"] == [{
        "start": "2026-04-07T07:00:00Z", "end": "2026-04-07T08:00:00Z",
        "start_local": "2026-04-07T09:00:00+02:00", "end_local": "2026-04-07T10:00:00+02:00",
        "reason": "conflict"}]


def test_openapi_lists_the_booking_paths(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/availability", "/api/v1/bookings", "/api/v1/bookings/{booking_id}",
                 "/api/v1/bookings/{booking_id}/check-in", "/api/v1/board"):
        assert path in paths


SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.text(max_size=30))
JSONISH = SCALARS | st.lists(SCALARS, max_size=3) | st.dictionaries(st.text(max_size=8), SCALARS,
                                                                    max_size=3)
FIELDS = ("resource", "start", "end", "subject", "attendees", "on_behalf_of", "rrule",
          "skip_conflicts")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELDS), JSONISH | st.sampled_from([
    "spreekkamer-1", "2026-03-31T09:00:00+02:00", "2026-03-31T10:00:00Z", 1, "FREQ=DAILY"])))
def test_fuzzed_bodies_get_a_json_answer_never_500(client: Any, world: World, token_for: Any,
                                                   payload: dict[str, Any]) -> None:
    answer = client.post("/api/v1/bookings", json=payload, headers=token_for(world.staff))
    # 403: staff may not book on behalf of someone, whatever the rest of the body says.
    assert answer.status_code in (201, 400, 403, 404, 409, 422), (payload, answer.json)
    assert answer.is_json


def test_list_ranges_and_series_cancel_following(client: Any, world: World,
                                                 token_for: Any) -> None:
    headers = token_for(world.staff)
    made = client.post("/api/v1/bookings", json=body(rrule="FREQ=WEEKLY;COUNT=4"),
                       headers=headers).json
    ids = [o["id"] for o in made["occurrences"]]
    week = client.get("/api/v1/bookings?mine=1&from=2026-03-31&to=2026-04-07",
                      headers=headers).json["items"]
    assert [b["id"] for b in week] == ids[:2]  # `to` is a local date, inclusive
    instant = client.get("/api/v1/bookings?mine=1&from=2026-04-07T00:00:00%2B02:00",
                         headers=headers).json["items"]
    assert [b["id"] for b in instant] == ids[1:]
    bad = client.get("/api/v1/bookings?from=yesterday", headers=headers)
    assert bad.status_code == 400 and "from" in bad.json["error"]["details"]["fields"]["query"]
    client.delete(f"/api/v1/bookings/{ids[1]}", headers=headers)  # this one only
    gone = client.delete(f"/api/v1/bookings/{ids[1]}?scope=following", headers=headers)
    assert gone.status_code == 200
    statuses = [db.session.get(Booking, i).status for i in ids]
    assert statuses == ["booked", "cancelled", "cancelled", "cancelled"]
