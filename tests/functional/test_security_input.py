"""Hostile input the audit turned into 500s (issue 14, defect 6), and the check order of
on_behalf_of (defect 12): each gets its 4xx with the error shape."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def staff(make_user: Any, token_for: Any, make_resource: Any) -> dict[str, str]:
    make_resource("room", slug="room-a")
    return token_for(make_user(role="staff"))


def _is_error(response: Any, status: int = 400) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.json["error"]
    assert error["code"] and error["message"] and isinstance(error["details"], dict)


@pytest.mark.parametrize("query", ["from=9999-12-31", "to=9999-12-31", "from=0001-01-01",
                                   "to=0001-01-01", "from=9999-12-31T23:59:59%2B14:00",
                                   "from=0001-01-01T00:00:00-12:00"])
def test_far_dates_in_the_booking_list_are_a_400(client: Any, staff: Any, query: str) -> None:
    _is_error(client.get(f"/api/v1/bookings?{query}", headers=staff))


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_far_dates_in_availability_are_a_400(client: Any, staff: Any, day: str) -> None:
    _is_error(client.get(f"/api/v1/availability?date={day}", headers=staff))


def test_a_lone_surrogate_in_a_subject_is_a_400(client: Any, staff: Any) -> None:
    body = ('{"resource": "room-a", "start": "2026-04-01T09:00:00+02:00", '
            '"end": "2026-04-01T10:00:00+02:00", "subject": "Gesprek \\ud800"}')
    _is_error(client.post("/api/v1/bookings", data=body, headers={
        **staff, "Content-Type": "application/json"}))


def test_a_surrogate_pair_is_a_normal_character(app: Any) -> None:
    from hub.security import _has_lone_surrogate

    assert not _has_lone_surrogate({"subject": "\U0001f600"})
    assert _has_lone_surrogate({"subject": ["\udfff"]})


def test_deeply_nested_json_is_a_400(client: Any, staff: Any) -> None:
    body = "[" * 100_000 + "]" * 100_000
    _is_error(client.post("/api/v1/bookings", data=body, headers={
        **staff, "Content-Type": "application/json"}))


def test_brackets_inside_strings_do_not_count_as_nesting(app: Any) -> None:
    from hub.security import json_depth_exceeds

    assert not json_depth_exceeds(b'{"subject": "' + b"[" * 500 + b'\\" {"}')
    assert json_depth_exceeds(b'{"a": ' * 40 + b"1" + b"}" * 40)


def test_a_newline_in_next_is_a_400_not_a_500(client: Any) -> None:
    _is_error(client.get("/lang/en?next=/%0A/x", headers={"Accept": "application/json"}))


def test_on_behalf_of_is_a_permission_before_it_is_a_shape(client: Any, staff: Any) -> None:
    body = {"resource": "room-a", "start": "not a time", "end": "2026-04-01T10:00:00+02:00",
            "on_behalf_of": "colleague@example.nl"}
    _is_error(client.post("/api/v1/bookings", json=body, headers=staff), 403)


def test_reception_with_a_malformed_start_gets_the_400(client: Any, make_user: Any,
                                                       token_for: Any, staff: Any) -> None:
    reception = token_for(make_user(role="reception"))
    body = {"resource": "room-a", "start": "not a time", "end": "2026-04-01T10:00:00+02:00",
            "on_behalf_of": "colleague@example.nl"}
    _is_error(client.post("/api/v1/bookings", json=body, headers=reception), 400)


def test_trace_is_answered_with_allow(client: Any, staff: Any) -> None:
    response = client.open("/api/v1/me", method="TRACE", headers=staff)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.json["error"]["code"] == "method_not_allowed"
