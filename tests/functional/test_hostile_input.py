"""Hostile input on the foundation's pages and API: a clear 4xx, never a 500."""

from typing import Any

from flask import Flask
from sqlalchemy.exc import DataError

from hub.accounts.models import Organisation, User
from hub.extensions import db


def test_ids_beyond_any_row_are_404_not_a_database_error(client: Any, auth: Any,
                                                         make_user: Any) -> None:
    # PostgreSQL refuses 99999999999 as an integer; SQLite overflows at 2**63.
    auth.login(make_user(role="admin").email)
    for path in ("/admin/organisations/99999999999", "/admin/organisations/" + "9" * 25,
                 "/facility/resources/99999999999", "/org/members?org=99999999999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Uitloggen" in response.text  # the friendly page, with the user still known
    response = client.get("/api/v1/bookings/99999999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_non_numeric_org_parameter_is_404(client: Any, auth: Any, make_user: Any) -> None:
    coordinator = make_user(role="coordinator")
    auth.login(coordinator.email)
    assert client.get("/org/members?org=abc").status_code == 404
    assert client.get("/org/members?org=-1").status_code == 404
    assert client.get(f"/org/members?org={coordinator.organisation_id}").status_code == 200


def test_nul_characters_in_forms_are_refused_on_both_databases(client: Any, auth: Any,
                                                                make_user: Any) -> None:
    admin = make_user(role="admin")
    # No user has such an address; PostgreSQL could not even store the attempt.
    assert auth.login("a\x00@example.nl", "whatever").status_code == 401
    auth.login(admin.email)
    response = client.post("/admin/organisations",
                           data={"slug": "nul", "name": "Bad\x00Name", "kind": "core"})
    assert response.status_code == 400
    assert "niet toegestaan" in response.text
    response = client.post("/org/members",
                           data={"name": "A\x00B", "email": "ab@example.nl", "role": "staff"})
    assert response.status_code == 400
    assert client.post("/account/tokens", data={"name": "t\x00k"}).status_code == 400
    assert db.session.query(User).filter_by(email="ab@example.nl").count() == 0
    assert db.session.query(Organisation).filter_by(slug="nul").count() == 0


def test_formula_looking_names_are_refused(client: Any, auth: Any, make_user: Any) -> None:
    auth.login(make_user(role="admin").email)
    for name in ("=HYPERLINK(\"http://x\")", "@SUM(A1)", "+31 cmd", "-2+3"):
        response = client.post("/admin/organisations",
                               data={"slug": "formula", "name": name, "kind": "core"})
        assert response.status_code == 400, name
    assert client.post("/admin/organisations", data={
        "slug": "ok", "name": "Stichting 2+3 = 5", "kind": "core"}).status_code == 302


def test_facility_forms_refuse_control_characters(client: Any, auth: Any, make_user: Any,
                                                  make_floor: Any) -> None:
    floor = make_floor()
    auth.login(make_user(role="facility").email)
    form = {"slug": "kamer-x", "name": "Kamer X", "kind": "room", "floor_id": str(floor.id),
            "capacity": "2", "privacy": "normal", "description": "bel \x00 aan",
            "bookable": "y", "active": "y"}
    assert client.post("/facility/resources/new", data=form).status_code == 400
    form["description"] = "Bel aan.\r\nDe sleutel ligt bij de balie."
    assert client.post("/facility/resources/new", data=form).status_code == 302
    response = client.post("/facility/sites", data={"site-slug": "x", "site-name": "X\x00"})
    assert response.status_code == 400


def test_a_database_refusal_is_a_400_and_the_session_recovers(app: Flask, client: Any,
                                                              auth: Any, make_user: Any) -> None:
    def refused() -> str:
        raise DataError("INSERT ...", {}, Exception("value out of range"))

    app.add_url_rule("/test-refused", view_func=refused)
    app.add_url_rule("/api/v1/test-refused", view_func=refused, endpoint="api_refused")
    user = make_user()
    auth.login(user.email)
    response = client.get("/test-refused")
    assert response.status_code == 400
    assert user.name in response.text
    response = client.get("/api/v1/test-refused")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_input"


def test_a_booking_at_the_end_of_time_is_a_rule_refusal_not_a_500(client, make_user,
                                                                  make_resource, token_for):
    room = make_resource("room")
    response = client.post("/api/v1/bookings", headers=token_for(make_user()), json={
        "resource": room.slug, "start": "9999-12-31T22:00:00Z", "end": "9999-12-31T23:00:00Z"})
    assert response.status_code in (400, 422)
    assert response.json["error"]["code"] in ("invalid_input", "rule_violation")
