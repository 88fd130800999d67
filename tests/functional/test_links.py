"""Every outward link and UID comes from HUB_BASE_URL: the same booking has the same UID in
its .ics download and in the feed, whatever port the base URL names, and the links in API
answers do not follow the Host header a proxy passes on."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import holidays
import pytest

AMS = ZoneInfo("Europe/Amsterdam")
BASE = "http://127.0.0.1:5000/hub"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"HUB_BASE_URL": BASE, "API_PAGE_SIZE": 1}


def _tomorrow_at(hour: int) -> datetime:
    day = datetime.now(AMS).date() + timedelta(days=1)
    while day.weekday() >= 5 or day in holidays.country_holidays("NL", years=day.year):
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), AMS)


def _uids(body: str) -> list[str]:
    return re.findall(r"^UID:(booking-\d+@\S+)\r?$", body, flags=re.M)


def test_ics_and_feed_carry_the_same_uid_under_a_base_url_with_a_port(
        client: Any, make_user: Any, make_resource: Any, token_for: Any) -> None:
    staff = make_user()
    room = make_resource("room")
    headers = token_for(staff)
    start = _tomorrow_at(10)
    made = client.post("/api/v1/bookings", headers=headers, json={
        "resource": room.slug, "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat()}).get_json()
    for key in ("checkin_url", "qr_png_url", "ics_url"):
        assert made[key].startswith(BASE + "/"), (key, made[key])
    ics = client.get(urlsplit(made["ics_url"]).path.removeprefix("/hub"), headers=headers)
    feed_url = client.post("/api/v1/me/feed", headers=headers).get_json()["feed_url"]
    assert feed_url.startswith(BASE + "/ical/")
    feed = client.get(urlsplit(feed_url).path.removeprefix("/hub"))
    assert ics.status_code == feed.status_code == 200
    assert _uids(ics.get_data(as_text=True)) == [f"booking-{made['id']}@127.0.0.1"]
    assert _uids(feed.get_data(as_text=True)) == _uids(ics.get_data(as_text=True))


def test_list_links_follow_the_base_url_not_the_host_header(
        client: Any, make_org: Any, make_user: Any, token_for: Any) -> None:
    staff = make_user()
    make_org()
    headers = {**token_for(staff), "Host": "internal-app:8000"}
    answer = client.get("/api/v1/organisations", headers=headers).get_json()
    assert answer["next"].startswith(BASE + "/api/v1/organisations?")
    assert "internal-app" not in answer["next"]
