"""Feeds as calendar clients read them, and their tokens: one secret per feed, stored hashed,
renewable and revocable; icalendar and ical.js read the same start instants around DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select, text

from hub import links
from hub.booking import services
from hub.calendar import feeds, tokens
from hub.calendar.mail_drafts import message_text
from hub.calendar.models import FeedToken, OutboxMail
from hub.extensions import db
from tests.support import icaljs
from tests.support.smtp import calendar_part

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)


def _at(y: int, m: int, d: int, h: int) -> datetime:
    return datetime(y, m, d, h, tzinfo=AMS).astimezone(UTC)


@pytest.fixture
def app_config() -> dict[str, Any]:
    # Open at the weekend: the booking of the DST Sunday itself is possible.
    return {"HUB_BOOKING_POLICIES": {"room": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6],
                                              "public_holidays": False}}}


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hub.calendar.feeds.utcnow", lambda: NOW)


@pytest.fixture
def sanne(make_user: Any) -> Any:
    return make_user(name="Sanne")


@pytest.fixture
def bookings(sanne: Any, make_resource: Any) -> dict[str, Any]:
    room = make_resource("room", name="Spreekkamer 2")
    dst_sunday = services.create_booking(actor_id=sanne.id, resource=room.id,
                                         start=_at(2026, 10, 25, 10), end=_at(2026, 10, 25, 11),
                                         now=NOW).booking
    series = services.create_booking(actor_id=sanne.id, resource=room.id,
                                     start=_at(2026, 10, 13, 9), end=_at(2026, 10, 13, 12),
                                     now=NOW, rrule="FREQ=WEEKLY;COUNT=4")
    return {"room": room, "dst": dst_sunday, "series": series.occurrences}


def test_the_feed_reads_the_same_in_icalendar_and_ical_js_across_dst(
        client: Any, sanne: Any, bookings: dict[str, Any]) -> None:
    token = tokens.issue(sanne.id, "personal", now=NOW)
    body = client.get(f"/ical/{token}.ics").data
    (read,) = icaljs.read(body)
    assert read["method"] == "PUBLISH" and read["refresh_interval"] == "PT1H"
    assert read["name"] == read["x_wr_calname"] == "Mijn reserveringen"
    js = {e["uid"]: e["start"] for e in read["events"]}
    py = {str(e["uid"]): e.decoded("dtstart").astimezone(UTC)
          for e in Calendar.from_ical(body).walk("VEVENT")}
    expected = {links.booking_uid(b.id): b.start for b in [bookings["dst"], *bookings["series"]]}
    assert py == expected
    assert js == {uid: s.strftime("%Y-%m-%dT%H:%M:%S.000Z") for uid, s in expected.items()}
    # Sunday 25 October 10:00 is after the change (UTC+1): 09:00Z; the series keeps 09:00.
    assert js[links.booking_uid(bookings["dst"].id)] == "2026-10-25T09:00:00.000Z"
    assert sorted(js[links.booking_uid(b.id)] for b in bookings["series"]) == [
        "2026-10-13T07:00:00.000Z", "2026-10-20T07:00:00.000Z", "2026-10-27T08:00:00.000Z",
        "2026-11-03T08:00:00.000Z"]
    assert {e["tzid"] for e in read["events"]} == {"Europe/Amsterdam"}


def test_the_vtimezone_matches_zoneinfo_at_every_transition_of_the_feed_window(
        client: Any, sanne: Any) -> None:
    body = client.get(f"/ical/{tokens.issue(sanne.id, 'personal', now=NOW)}.ics").data
    (vtimezone,) = Calendar.from_ical(body).walk("VTIMEZONE")
    ours, zone = vtimezone.to_tz(), ZoneInfo("Europe/Amsterdam")
    start, end = NOW - feeds.PAST, NOW + feeds.AHEAD
    transitions, moment = [], start
    while moment < end:  # find zoneinfo's transitions to the minute
        step = moment + timedelta(hours=1)
        if step.astimezone(zone).utcoffset() != moment.astimezone(zone).utcoffset():
            exact = moment
            while exact.astimezone(zone).utcoffset() == moment.astimezone(zone).utcoffset():
                exact += timedelta(minutes=1)
            transitions.append(exact)
        moment = step
    assert transitions, "the window holds at least one DST change"
    for instant in transitions:
        for probe in (instant - timedelta(seconds=1), instant):
            assert probe.astimezone(ours).utcoffset() == probe.astimezone(zone).utcoffset(), probe


def test_each_feed_has_its_own_token_and_a_shared_plaza_link_opens_nothing_else(
        client: Any, sanne: Any, bookings: dict[str, Any]) -> None:
    room = bookings["room"]
    personal = tokens.issue(sanne.id, "personal", now=NOW)
    plaza = tokens.issue(sanne.id, "plaza", now=NOW)
    resource = tokens.issue(sanne.id, "resource", now=NOW, resource_id=room.id)
    assert client.get(f"/ical/{personal}.ics").status_code == 200
    assert client.get(f"/ical/plaza.ics?token={plaza}").status_code == 200
    assert client.get(f"/ical/resource/{room.slug}.ics?token={resource}").status_code == 200
    assert client.get(f"/ical/{plaza}.ics").status_code == 404
    assert client.get(f"/ical/plaza.ics?token={personal}").status_code == 404
    assert client.get(f"/ical/resource/{room.slug}.ics?token={plaza}").status_code == 404


def test_tokens_are_stored_hashed_renewable_and_revocable(client: Any, sanne: Any) -> None:
    first = tokens.issue(sanne.id, "personal", now=NOW)
    stored = db.session.scalars(select(FeedToken.token_hash)).all()
    assert first not in stored and tokens.digest(first) in stored
    dump = " ".join(str(v) for row in db.session.execute(text("SELECT * FROM feed_tokens"))
                    for v in row)
    assert first not in dump
    second = tokens.issue(sanne.id, "personal", now=NOW)
    assert client.get(f"/ical/{first}.ics").status_code == 404
    assert client.get(f"/ical/{second}.ics").status_code == 200
    tokens.revoke(sanne.id, "personal", now=NOW)
    assert client.get(f"/ical/{second}.ics").status_code == 404


def test_account_shows_a_new_link_once_as_https_and_webcal(client: Any, auth: Any,
                                                           sanne: Any) -> None:
    auth.login(sanne.email)
    client.post("/account/feeds/plaza")
    page = client.get("/account").get_data(as_text=True)
    url = page.split('id="newfeed" readonly value="', 1)[1].split('"', 1)[0]
    assert url.startswith("https://hub.test/ical/plaza.ics?token=")
    assert links.webcal(url).replace("&", "&amp;") in page
    assert client.get(url.replace("https://hub.test", "")).status_code == 200
    assert 'id="newfeed"' not in client.get("/account").get_data(as_text=True)  # shown once


def test_the_download_the_feed_and_the_invitation_share_one_uid(
        client: Any, auth: Any, sanne: Any, bookings: dict[str, Any]) -> None:
    booking = bookings["dst"]
    auth.login(sanne.email)
    download = client.get(links.booking_ics_url(booking.id).replace("https://hub.test", ""))
    assert download.status_code == 200
    (event,) = Calendar.from_ical(download.data).walk("VEVENT")
    feed = client.get(f"/ical/{tokens.issue(sanne.id, 'personal', now=NOW)}.ics").data
    assert str(event["uid"]) == links.booking_uid(booking.id)
    assert f"UID:{links.booking_uid(booking.id)}".encode() in feed
    mail = db.session.scalar(select(OutboxMail).filter_by(booking_id=booking.id))
    message = message_from_string(message_text(mail), _class=EmailMessage,
                                  policy=policy.default)
    _method, invitation = calendar_part(message)
    (invited,) = Calendar.from_ical(invitation).walk("VEVENT")
    assert str(invited["uid"]) == str(event["uid"])


def test_cancelled_bookings_stay_cancelled_for_seven_days_then_leave(
        client: Any, sanne: Any, bookings: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    booking = bookings["dst"]
    services.cancel_booking(actor_id=sanne.id, booking_id=booking.id, now=NOW)
    token = tokens.issue(sanne.id, "personal", now=NOW)
    (read,) = icaljs.read(client.get(f"/ical/{token}.ics").data)
    statuses = {e["uid"]: e["status"] for e in read["events"]}
    assert statuses[links.booking_uid(booking.id)] == "CANCELLED"
    monkeypatch.setattr("hub.calendar.feeds.utcnow", lambda: NOW + timedelta(days=8))
    (later,) = icaljs.read(client.get(f"/ical/{token}.ics").data)
    assert links.booking_uid(booking.id) not in {e["uid"] for e in later["events"]}
