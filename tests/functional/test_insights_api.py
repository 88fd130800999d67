"""The report API, its CSV and XLSX, and `hub report` agree on one small building; who may
see what (staff 403, a coordinator their own organisation, private rooms never named)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from tests.functional.insights_world import DAY, build

PERIOD = f"from={DAY}&to={DAY}"


@pytest.fixture
def world(make_org, make_user, make_resource):
    return build(make_org, make_user, make_resource)


def get(client, token_for, user, path):
    return client.get(path, headers=token_for(user))


def test_room_figures_come_from_bookings_sensors_and_refusals(client, token_for, world):
    answer = get(client, token_for, world.facility,
                 f"/api/v1/reports/occupancy?{PERIOD}&group_by=kind").get_json()
    assert (answer["from"], answer["to"], answer["group_by"]) == (DAY, DAY, "kind")
    (room,) = answer["rows"]
    assert room["group"] == "room"
    assert room["booked_share"] == round(27 / 360, 4)   # 12 + 3 (released 11:15) + 12 slots
    assert room["used_share"] == round(11 / 120, 4)     # 09:05 to 09:55 + 3 min radar hold
    assert room["coverage"] == round(120 / 360, 4)      # only room one has a sensor
    assert room["no_show_rate"] == round(1 / 3, 4) and room["checkin_compliance"] == 0.6667
    assert room["refused_demand"] == 1 and room["capacity_utilisation"] is None
    assert room["peak_p50"] == 1


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_api_csv_xlsx_and_cli_give_the_same_numbers(client, token_for, runner, world):
    path = f"/api/v1/reports/occupancy?{PERIOD}&group_by=organisation"
    api = get(client, token_for, world.facility, path).get_json()["rows"]
    response = get(client, token_for, world.facility,
                   path.replace("occupancy?", "occupancy.csv?"))
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    from_csv = _csv_rows(response.get_data(as_text=True))
    sheet = load_workbook(io.BytesIO(get(client, token_for, world.facility, path.replace(
        "occupancy?", "occupancy.xlsx?")).data)).active
    header = [c.value for c in sheet[1]]
    from_xlsx = [dict(zip(header, (c.value for c in row), strict=True))
                 for row in sheet.iter_rows(min_row=2)]
    cli = runner.invoke(args=["report", "occupancy", "--from", DAY, "--to", DAY,
                              "--group-by", "organisation", "--format", "json"])
    assert cli.exit_code == 0, cli.output
    from_cli = json.loads(cli.stdout)["rows"]
    cli_csv = _csv_rows(runner.invoke(args=["report", "occupancy", "--from", DAY, "--to", DAY,
                                            "--group-by", "organisation"]).stdout)
    slugs = [r["group"]["slug"] or "" for r in api]  # "": the private bucket
    assert slugs == [r["group_slug"] for r in from_csv] == [r["group_slug"] for r in cli_csv] \
        == [r["group_slug"] or "" for r in from_xlsx] \
        == [r["group"]["slug"] or "" for r in from_cli] == ["alpha", "beta", ""]
    for field in ("booked_share", "used_share", "no_show_rate", "coverage", "refused_demand"):
        for a, c, x, j, k in zip(api, from_csv, from_xlsx, from_cli, cli_csv, strict=True):
            values = {a[field], j[field], x[field],
                      None if c[field] == "" else float(c[field]),
                      None if k[field] == "" else float(k[field])}
            assert len(values) == 1, (field, values)


def test_private_rooms_are_never_attributed_to_an_organisation_for_outsiders(
        client, token_for, world):
    path = f"/api/v1/reports/occupancy?{PERIOD}&group_by=organisation"
    rows = get(client, token_for, world.facility, path).get_json()["rows"]
    groups = [r["group"] for r in rows]
    assert "ggd" not in [g["slug"] for g in groups]
    assert {"id": None, "slug": None, "name": "Besloten ruimtes"} in groups
    csv_text = get(client, token_for, world.facility,
                   path.replace("occupancy?", "occupancy.csv?")).get_data(as_text=True)
    assert "GGD" not in csv_text
    own = get(client, token_for, world.ggd_coordinator, path).get_json()["rows"]
    assert [r["group"]["slug"] for r in own] == ["ggd"]


def test_a_coordinator_sees_only_the_own_organisation(client, token_for, world):
    path = f"/api/v1/reports/occupancy?{PERIOD}&group_by=kind"
    (room,) = get(client, token_for, world.coordinator, path).get_json()["rows"]
    assert room["booked_share"] == round(12 / 360, 4)   # Alpha's own booking only
    assert room["used_share"] == round(11 / 12, 4) and room["no_show_rate"] == 0.0
    assert room["refused_demand"] == 1 and room["unbooked_use"] is None
    other = get(client, token_for, world.coordinator, path + "&organisation=beta")
    assert other.status_code == 403
    sizing = get(client, token_for, world.coordinator, "/api/v1/reports/sizing?kind=room")
    assert sizing.status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/reports/occupancy", "/api/v1/reports/occupancy.csv",
                                  "/api/v1/reports/sizing?kind=room",
                                  "/api/v1/reports/waiting"])
def test_staff_get_403(client, token_for, world, path):
    response = get(client, token_for, world.staff, path)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "not_allowed"


def test_sizing_answers_in_the_contract_shape(client, token_for, world):
    answer = get(client, token_for, world.facility,
                 f"/api/v1/reports/sizing?{PERIOD}&kind=room&count=1").get_json()
    assert answer["kind"] == "room" and answer["current"] == 3
    assert set(answer["recommended"]) == {"0.9", "0.95", "0.99"}
    # Demand: two used bookings (the no-show left out) and the refused request; none overlap.
    assert answer["recommended_at_service_level"] == 1 and answer["service_level"] == 0.95
    assert answer["refused_share_at_count"] == 0.0 and answer["demand"]["requests"] == 3
    sized = get(client, token_for, world.facility,
                f"/api/v1/reports/sizing.csv?{PERIOD}&kind=room").get_data(as_text=True)
    assert _csv_rows(sized)[0]["recommended_at_service_level"] == "1"


@pytest.mark.parametrize("query", ["from=2026-13-01", "from=2026-03-05&to=2026-03-01",
                                   "from=2020-01-01&to=2026-01-01", "group_by=week",
                                   "kind=castle", "from=9999-01-01"])
def test_bad_filters_are_400(client, token_for, world, query):
    response = get(client, token_for, world.facility, f"/api/v1/reports/occupancy?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] in ("from", "to", "group_by", "kind")


def test_sizing_needs_a_kind_and_a_sane_level(client, token_for, world):
    for query in ("", "kind=room&service_level=2", "kind=room&count=-1"):
        response = get(client, token_for, world.facility, f"/api/v1/reports/sizing?{query}")
        assert response.status_code == 400, query


def test_formula_cells_are_neutralised_in_exports(client, token_for, world):
    path = f"/api/v1/reports/occupancy.csv?{PERIOD}&group_by=resource"
    rows = _csv_rows(get(client, token_for, world.facility, path).get_data(as_text=True))
    assert "'=HYPERLINK(\"x\")" in [r["group"] for r in rows]
    sheet = load_workbook(io.BytesIO(get(client, token_for, world.facility, path.replace(
        ".csv", ".xlsx")).data)).active
    assert "'=HYPERLINK(\"x\")" in [c.value for c in sheet["A"]]


def test_an_unknown_site_or_organisation_is_404(client, token_for, world):
    for path in ("/api/v1/reports/occupancy?site=nowhere",
                 "/api/v1/reports/occupancy.csv?organisation=nobody",
                 "/api/v1/reports/sizing?kind=room&site=nowhere"):
        response = get(client, token_for, world.facility, path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["details"]["field"] in ("site", "organisation")


@pytest.mark.parametrize("path", ["/api/v1/reports/occupancy.xlsx?from=soon",
                                  "/api/v1/reports/sizing?kind=castle",
                                  "/api/v1/reports/waiting?to=2026-02-30"])
def test_permission_comes_before_the_shape_of_the_query(client, token_for, world, path):
    assert get(client, token_for, world.staff, path).status_code == 403
    assert get(client, token_for, world.facility, path).status_code == 400


def test_downloads_are_documented_with_their_media_types(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, media in (("/api/v1/reports/occupancy.csv", "text/csv"),
                        ("/api/v1/reports/sizing.xlsx", "application/vnd.openxmlformats-"
                                                         "officedocument.spreadsheetml.sheet")):
        assert list(paths[path]["get"]["responses"]["200"]["content"]) == [media]
