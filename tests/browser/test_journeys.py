"""The seven journeys of issue 17, each one test from login to result, as the people of
PRODUCT.md use the hub; each saves a screenshot (HUB_SCREENSHOTS, see conftest) and checks
what was really stored, not only that no error showed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from flask import Flask
from playwright.sync_api import expect

from hub.extensions import db
from hub.timeutil import utcnow
from tests.browser.conftest import LiveServer, login, screenshot_dir
from tests.browser.test_kiosk_browser import fast  # noqa: F401  (short board/kiosk timers)
from tests.browser.test_plaza_browser import spots  # noqa: F401  (landing spots fixture)

pytestmark = pytest.mark.browser
AMS = ZoneInfo("Europe/Amsterdam")


# --- helpers ---------------------------------------------------------------------------------

def tomorrow() -> date:
    return (datetime.now(AMS) + timedelta(days=1)).date()


def at(day: date, hh_mm: str) -> datetime:
    """A local wall-clock time in Amsterdam, as an aware UTC instant."""
    return datetime.combine(day, time.fromisoformat(hh_mm), AMS).astimezone(UTC)


def next_monday() -> date:
    today = datetime.now(AMS).date()
    return today + timedelta(days=7 - today.weekday())


def dutch(day: date) -> str:
    return format_date(day, "EEEE d MMMM", locale="nl")


def shot(page: Any, name: str) -> Path:
    path = screenshot_dir() / f"journey-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def booking(app: Flask, booking_id: int) -> dict[str, Any]:
    """What the database holds for one booking (the app is the source of truth)."""
    from hub.booking.models import Booking

    with app.app_context():
        b = db.session.get(Booking, booking_id)
        assert b is not None
        row = {"status": b.status, "start": b.start, "end": b.end, "user": b.user.email,
               "created_by": db.session.get(type(b.user), b.created_by_id).email,
               "resource": b.resource.slug, "amenities": list(b.resource.amenities or []),
               "capacity": b.resource.capacity, "series_id": b.series_id,
               "code": b.checkin_code, "visitor": b.visitor_name, "attendees": b.attendees}
        db.session.remove()
    return row


def bookings_where(app: Flask, **filters: Any) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from hub.booking.models import Booking

    with app.app_context():
        query = select(Booking.id).filter_by(**filters).order_by(Booking.start)
        ids = list(db.session.scalars(query))
        db.session.remove()
    return [{"id": i, **booking(app, i)} for i in ids]


def user_id(app: Flask, email: str) -> int:
    from sqlalchemy import select

    from hub.accounts.models import User

    with app.app_context():
        found = db.session.scalar(select(User.id).filter_by(email=email))
        db.session.remove()
    assert found is not None
    return int(found)


def resource_id(app: Flask, slug: str) -> int:
    from sqlalchemy import select

    from hub.building.models import Resource

    with app.app_context():
        found = db.session.scalar(select(Resource.id).filter_by(slug=slug))
        db.session.remove()
    assert found is not None
    return int(found)


def switch(page: Any, live_server: LiveServer, label: str) -> Any:
    """Log out (a fresh set of cookies) and log in as another person."""
    page.context.clear_cookies()
    login(page, live_server.people[label])
    return page


def booking_id_from(page: Any) -> int:
    found = re.search(r"/bookings/(\d+)$", page.url)
    assert found, page.url
    return int(found.group(1))


@pytest.fixture
def kiosk_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the clock of the kiosk and the board (they run in this process) to a moment,
    running on from there in real time: a booking's check-in window, whatever the hour."""
    from hub.kiosk import api
    from hub.kiosk.web import pages

    def set_to(moment: datetime) -> None:
        started = utcnow()
        monkeypatch.setattr(api, "utcnow", lambda: moment + (utcnow() - started))
        monkeypatch.setattr(pages, "utcnow", lambda: moment + (utcnow() - started))
    return set_to


def kiosk_credential(name: str) -> str:
    from hub.kiosk.services import enrol_kiosk

    _kiosk, credential = enrol_kiosk(name=name, now=utcnow())
    db.session.remove()
    return credential


# --- 1. staff: a consulting room for tomorrow 10:00 ------------------------------------------

def test_journey_1_staff_books_a_wheelchair_room_gets_the_ics_and_cancels(
        login_as: Any, live_server: LiveServer) -> None:
    app, day = live_server.app, tomorrow()
    page = login_as("staff")
    page.goto("/book")
    page.fill("#day", day.isoformat())
    page.fill("#start", "10:00")
    page.fill("#people", "3")
    page.locator("details.more > summary").click()
    page.get_by_label("Rolstoeltoegankelijk").check()
    page.locator("form.search button[type=submit]").click()
    results = page.locator("ul.results > li")
    expect(page.locator("#results-title")).to_contain_text("10:00–11:00")
    assert results.count() >= 1
    for n in range(results.count()):  # only rooms that fit: wheelchair, at least 3 people
        assert "Rolstoeltoegankelijk" in results.nth(n).locator("ul.amenities").inner_text()
    name = results.first.locator("h3").inner_text()
    results.first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    expect(page.locator("h1")).to_have_text(f"Gereserveerd: {name}")
    made = booking_id_from(page)
    stored = booking(app, made)
    assert stored["status"] == "booked" and stored["user"] == live_server.people["staff"]
    assert stored["start"] == at(day, "10:00") and stored["end"] == at(day, "11:00")
    assert "wheelchair" in stored["amenities"] and stored["capacity"] >= 3
    assert stored["attendees"] == 3  # the party size, for the insights
    # the .ics download is a real calendar with the right time
    with page.expect_download() as download:
        page.locator("a[download][href$='.ics']").click()
    ics = Path(download.value.path()).read_bytes()
    import icalendar

    calendar = icalendar.Calendar.from_ical(ics)
    events = [e for e in calendar.walk("VEVENT")]
    assert len(events) == 1
    assert events[0].decoded("dtstart") == at(day, "10:00")
    assert events[0].decoded("dtend") == at(day, "11:00")
    assert name in str(events[0].get("location", "")) + str(events[0].get("summary", ""))
    # in "my bookings"
    page.get_by_role("link", name="Mijn reserveringen").first.click()
    page.wait_for_url(re.compile(r"/bookings$"))
    item = page.locator(f"#booking-{made}")
    expect(item).to_contain_text(name)
    expect(item).to_contain_text("10:00")
    shot(page, "1-my-bookings")
    item.get_by_role("link", name=re.compile("^Annuleren")).click()
    page.locator("#confirm-cancel").click()
    page.wait_for_url(re.compile(r"/bookings$"))
    expect(page.locator(".flashes")).to_contain_text("geannuleerd")
    expect(page.locator(f"#booking-{made}")).to_have_count(0)
    assert booking(app, made)["status"] == "cancelled"
    shot(page, "1-cancelled")


# --- 2. staff: a weekly spreekuur for 10 weeks with one conflict ------------------------------

@pytest.fixture
def spreekuur_room(live_server: LiveServer) -> Iterator[str]:
    """A room only this journey finds (12 people), and a booking horizon of 12 weeks so
    that ten weekly dates are all bookable; restored afterwards."""
    from hub.building.models import Resource
    from hub.building.services import create_floor, create_resource

    app = live_server.app
    with app.app_context():
        if db.session.query(Resource).filter_by(slug="spreekuurzaal").first() is None:
            floor = create_floor(site_slug="testhuis", slug="spreekuur-etage",
                                 name="Spreekuuretage", level=6)
            create_resource(slug="spreekuurzaal", floor_id=floor.id, kind="room",
                            name="Spreekuurzaal", now=utcnow(), capacity=12)
            db.session.commit()
        db.session.remove()
    policies = app.config["HUB_BOOKING_POLICIES"]
    saved = dict(policies["room"])
    policies["room"] = {**saved, "horizon_days": 84}
    yield "spreekuurzaal"
    policies["room"] = saved


def test_journey_2_a_weekly_spreekuur_names_the_conflict_books_the_rest_and_moves_one(
        login_as: Any, live_server: LiveServer, spreekuur_room: str) -> None:
    from hub.booking import services

    app, first = live_server.app, tomorrow()
    dates = [first + timedelta(weeks=n) for n in range(10)]
    taken = dates[3]
    with app.app_context():  # a colleague already has the room on the fourth date
        other = services.create_booking(
            actor_id=user_id(app, live_server.people["staff2"]), resource=spreekuur_room,
            start=at(taken, "09:30"), end=at(taken, "10:30"), now=utcnow()).booking.id
        db.session.remove()
    page = login_as("staff")
    page.goto("/book")
    page.fill("#day", first.isoformat())
    page.fill("#start", "09:00")
    page.select_option("#minutes", "120")
    page.fill("#people", "12")
    page.locator("details.more > summary").click()
    page.select_option("#repeat", "weekly")
    page.fill("#times", "10")
    page.locator("form.search button[type=submit]").click()
    # no room is free on all ten dates; the report names the one that is taken
    most = page.locator("li.most-free", has_text="Spreekuurzaal")
    expect(most).to_contain_text("Vrij op 9 van de 10 datums")
    expect(most.locator("ul.taken-on")).to_have_text(dutch(taken))
    most.get_by_role("button", name=re.compile("^Reserveer de 9 vrije datums")).click()
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    expect(page.locator(".flashes")).to_contain_text("9 reserveringen van de reeks")
    report = page.locator("#not-booked li")
    expect(report).to_have_count(1)
    expect(report).to_contain_text(dutch(taken))
    assert report.get_attribute("data-reason") == "conflict"
    shot(page, "2-series-report")
    series = bookings_where(app, series_id=booking(app, booking_id_from(page))["series_id"],
                            status="booked")
    assert [b["start"] for b in series] == [at(d, "09:00") for d in dates if d != taken]
    assert booking(app, other)["status"] == "booked"  # the colleague keeps theirs
    # move one occurrence (the second date) to 13:00, only that one
    second = series[1]["id"]
    page.goto("/bookings")
    page.locator(f"#booking-{second}").get_by_role("link", name=re.compile("^Verplaatsen")).click()
    page.wait_for_url(re.compile(rf"/bookings/{second}/move$"))
    page.fill("#start", "13:00")
    expect(page.get_by_label("Alleen deze")).to_be_checked()
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(rf"/bookings/{second}$"))
    expect(page.locator(".flashes")).to_contain_text("verplaatst")
    expect(page.locator("dl.facts")).to_contain_text("13:00")
    shot(page, "2-moved")
    after = {b["id"]: b["start"] for b in bookings_where(app, series_id=series[0]["series_id"],
                                                         status="booked")}
    assert after[second] == at(dates[1], "13:00")
    assert all(after[b["id"]] == b["start"] for b in series if b["id"] != second)
    # leave the room empty for a next run of the suite in the same session
    with app.app_context():
        services.cancel_booking(actor_id=user_id(app, live_server.people["staff"]),
                                booking_id=series[0]["id"], now=utcnow(), scope="following")
        services.cancel_booking(actor_id=user_id(app, live_server.people["staff2"]),
                                booking_id=other, now=utcnow())
        db.session.remove()


# --- 3. network partner: plaza, kiosk, refusal, walk-in ---------------------------------------

@pytest.mark.usefixtures("spots")
def test_journey_3_a_network_partner_books_the_plaza_checks_in_at_the_kiosk_and_a_walk_in(
        page: Any, login_as: Any, live_server: LiveServer,
        kiosk_clock: Callable[[datetime], None]) -> None:
    # the week after next: the plaza tests count the partner's bookings of next week
    app, monday = live_server.app, next_monday() + timedelta(weeks=1)
    year, week, _ = monday.isocalendar()
    page = login_as("network")
    page.goto("/plaza")
    for _n in range(2):
        page.get_by_role("link", name=re.compile("Volgende week")).click()
    page.wait_for_url(re.compile(rf"week={year}-W{week:02d}"))
    before = plaza_bookings(app, live_server.people["network"])
    free = page.locator("td button.plaza-free").first  # the first open half-day
    label = free.get_attribute("aria-label")
    free.click()
    expect(page.locator(".flashes")).to_contain_text("Gereserveerd")
    expect(page.locator(f'button[aria-label="{label}"]')).to_have_count(0)
    spot = new_plaza_booking(app, live_server.people["network"], before)
    assert spot["start"].astimezone(AMS).date() >= monday
    # the code is under "my bookings"
    page.goto("/bookings")
    page.locator(f"#booking-{spot['id']} h3 a").click()
    code = page.locator("#checkin-code").inner_text()
    assert code == spot["code"]
    # at the kiosk, in the check-in window of that morning
    kiosk_clock(spot["start"] + timedelta(minutes=5))
    with app.app_context():
        credential = kiosk_credential("journey-3-kiosk")
    kiosk = page.context.new_page()
    kiosk.goto(f"/kiosk#credential={credential}")
    expect(kiosk.locator("#k-home")).to_be_visible()
    kiosk.fill("#k-code", code)
    kiosk.press("#k-code", "Enter")
    expect(kiosk.locator("#k-result-box.k-good")).to_be_visible()
    expect(kiosk.locator("#k-result-title")).to_contain_text("Welkom, Network")
    shot(kiosk, "3-kiosk-welcome")
    assert booking(app, spot["id"])["status"] == "checked_in"
    kiosk.locator("#k-result .k-back").click()
    kiosk.fill("#k-code", "ZZZZ-ZZZZ")
    kiosk.press("#k-code", "Enter")
    expect(kiosk.locator("#k-result-box.k-bad")).to_be_visible()
    expect(kiosk.locator("#k-result-title")).to_contain_text("balie")
    shot(kiosk, "3-kiosk-unknown")
    # a walk-in takes a free spot
    kiosk.locator("#k-result .k-back").click()
    kiosk.locator("#k-walkin-btn").click()
    places = kiosk.locator("#k-place-list label")
    expect(places.first).to_be_visible()
    assert spot["resource"] not in [n.lower().replace(" ", "-") for n in
                                    places.all_inner_texts()]  # the taken one is not offered
    place = places.first.inner_text().strip()
    places.first.click()
    kiosk.select_option("#k-org", "ggz")
    kiosk.fill("#k-name", "Ria")
    kiosk.locator("#k-walkin-form button[type=submit]").click()
    expect(kiosk.locator("#k-result-box.k-good")).to_be_visible()
    expect(kiosk.locator("#k-result-title")).to_contain_text("Welkom, Ria (GGZ FACT-team)")
    shot(kiosk, "3-kiosk-walk-in")
    walked = [b for b in bookings_where(app, visitor_name="Ria")
              if b["start"] <= spot["start"] + timedelta(minutes=10) < b["end"]]
    assert len(walked) == 1 and walked[0]["status"] == "checked_in", walked
    assert place.startswith(page_names(app, walked[0]["resource"]))
    kiosk.close()


def plaza_bookings(app: Flask, email: str) -> set[int]:
    return {b["id"] for b in bookings_where(app, user_id=user_id(app, email), status="booked")
            if b["resource"].startswith("plaza-")}


def new_plaza_booking(app: Flask, email: str, before: set[int]) -> dict[str, Any]:
    """The one landing spot booking this person made since `before` was taken."""
    made = plaza_bookings(app, email) - before
    assert len(made) == 1, made
    (found,) = made
    return {"id": found, **booking(app, found)}


def page_names(app: Flask, slug: str) -> str:
    from hub.building.models import Resource

    with app.app_context():
        name = db.session.query(Resource).filter_by(slug=slug).one().name
        db.session.remove()
    return str(name)


# --- 4. reception books for a colleague from "today" -----------------------------------------

def test_journey_4_reception_finds_a_colleague_by_name_and_books_for_them(
        login_as: Any, live_server: LiveServer) -> None:
    app, day = live_server.app, tomorrow()
    colleague = live_server.people["keyboard"]
    page = login_as("reception")
    page.goto("/today")
    page.locator("#on_behalf_of").press_sequentially("Keyb", delay=20)
    option = page.locator(f'#colleagues option[value="{colleague}"]')
    expect(option).to_have_count(1)
    assert "Keyboard" in (option.get_attribute("label") or "")
    page.fill("#on_behalf_of", option.get_attribute("value"))  # chosen from the list
    page.fill("#day", day.isoformat())
    page.fill("#start", "14:00")
    page.fill("#people", "2")
    page.get_by_role("button", name="Zoek een vrije plek").click()
    result = page.locator("ul.results > li").first
    name = result.locator("h3").inner_text()
    result.get_by_role("button", name=re.compile(f"^Reserveer voor {colleague}")).click()
    page.wait_for_url(re.compile(r"/today"))
    expect(page.locator(".flashes")).to_contain_text(f"Gereserveerd voor {colleague}")
    page.get_by_role("link", name=re.compile("Volgende dag")).click()
    row = page.locator("table.today tr", has_text=name).filter(has_text="14:00")
    expect(row).to_contain_text("Keyboard")
    expect(row).to_contain_text("Reception")
    shot(page, "4-today-for-a-colleague")
    made = [b for b in bookings_where(app, user_id=user_id(app, colleague), status="booked")
            if b["start"] == at(day, "14:00")]
    assert len(made) == 1 and made[0]["created_by"] == live_server.people["reception"]
    assert made[0]["attendees"] == 2
    from hub.booking import services

    with app.app_context():  # tidy: the keyboard journey books as this colleague
        services.cancel_booking(actor_id=user_id(app, colleague), booking_id=made[0]["id"],
                                now=utcnow())
        db.session.remove()


# --- 5. the private GGD room is only "Bezet" to everyone else ---------------------------------

def test_journey_5_the_ggd_room_is_only_busy_to_everyone_outside_the_ggd(
        login_as: Any, live_server: LiveServer,
        kiosk_clock: Callable[[datetime], None]) -> None:
    app, day = live_server.app, tomorrow()
    page = login_as("ggd")
    page.goto("/book")
    page.fill("#day", day.isoformat())
    page.fill("#start", "15:00")
    page.fill("#people", "2")
    page.locator("details.more > summary").click()
    page.fill("#subject", "schoolarts spreekuur")
    page.locator("form.search button[type=submit]").click()
    page.get_by_role("button", name="Reserveer GGD-kamer").click()
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    made = booking_id_from(page)
    assert booking(app, made)["resource"] == "ggd-kamer"
    kiosk_clock(at(day, "15:05"))  # the board shows what is on now
    ground = _floor_id(app, "begane-grond")
    secret = ("GGD", "Ggd", "schoolarts", "gerda")
    seen: dict[str, list[str]] = {}
    for label in ("staff", "reception", "admin"):
        switch(page, live_server, label)
        page.goto(f"/book/timeline?date={day.isoformat()}&floor={ground}")
        track = page.locator("table.timeline tr", has_text="GGD-kamer").locator("li.seg.busy")
        expect(track.first).to_contain_text("Bezet")
        texts = [track.first.inner_text()]
        page.goto("/board")
        tile = page.locator("[data-resource=ggd-kamer]")
        expect(tile).to_have_class(re.compile(r"s-(booked|occupied)"))
        texts.append(tile.inner_text())
        assert tile.locator(".state").inner_text().startswith("Bezet"), tile.inner_text()
        if label != "staff":  # /today is the desk roles' page
            page.goto(f"/today?date={day.isoformat()}")
            row = page.locator("table.today tr", has_text="GGD-kamer").filter(has_text="15:00")
            expect(row).to_contain_text("Bezet")
            texts.append(row.inner_text())
        shot(page, f"5-ggd-room-as-{label}")
        seen[label] = texts
    leaks = {label: [t for t in texts if any(s in t.replace("GGD-kamer", "") for s in secret)]
             for label, texts in seen.items()}
    assert leaks == {label: [] for label in seen}, seen
    # and GGD staff themselves see their own booking in full
    switch(page, live_server, "ggd")
    page.goto(f"/book/timeline?date={day.isoformat()}&floor={ground}")
    own = page.locator("table.timeline tr", has_text="GGD-kamer").locator("li.seg.mine")
    expect(own).to_contain_text("schoolarts spreekuur")  # their own subject
    from hub.booking import services

    with app.app_context():
        services.cancel_booking(actor_id=user_id(app, live_server.people["ggd"]),
                                booking_id=made, now=utcnow())
        db.session.remove()


def _floor_id(app: Flask, slug: str) -> int:
    from hub.building.models import Floor

    with app.app_context():
        found = db.session.query(Floor).filter_by(slug=slug).one().id
        db.session.remove()
    return int(found)


# --- 6. facility: insights, period, sizing band, CSV, council report ---------------------------

@pytest.fixture
def history(live_server: LiveServer) -> tuple[date, date]:
    """Three past weeks of used room bookings (booked minutes before the start: checked in),
    so the sizing has whole weeks to resample; the period they fill."""
    from hub.booking import services

    app = live_server.app
    monday = next_monday() - timedelta(weeks=5)
    with app.app_context():
        people = [user_id(app, live_server.people[p]) for p in ("staff", "staff2", "phone")]
        for week in range(3):
            for weekday in range(3):
                day = monday + timedelta(weeks=week, days=weekday)
                for n, slug in enumerate(("spreekkamer-1", "spreekkamer-2",
                                          "spreekkamer-3")[:1 + (week + weekday // 2) % 3]):
                    start = at(day, "10:00")
                    try:
                        services.create_booking(actor_id=people[n], resource=slug, start=start,
                                                end=start + timedelta(hours=1),
                                                now=start - timedelta(minutes=5))
                    except Exception as exc:  # a second run in the same session
                        assert "conflict" in type(exc).__name__.lower(), exc
        db.session.remove()
    return monday, monday + timedelta(weeks=3, days=-1)


def test_journey_6_facility_reads_the_sizing_and_downloads_the_csv_and_report(
        login_as: Any, live_server: LiveServer, history: tuple[date, date]) -> None:
    first, last = history
    page = login_as("facility")
    page.goto("/facility/insights/")
    expect(page.locator("h1")).to_contain_text("voor het nieuwe gebouw")
    page.fill("#f-from", first.isoformat())
    page.fill("#f-to", last.isoformat())
    page.select_option("#f-kind", "room")
    page.locator("form.insight-filters button[type=submit]").click()
    page.wait_for_url(re.compile(rf"from={first.isoformat()}"))
    expect(page.locator("p.lead")).to_contain_text(format_date(first, "long", locale="nl"))
    sizing = page.locator("section[aria-labelledby=h-sizing] table.numbers tbody tr").first
    expect(sizing.locator("th")).to_contain_text(re.compile("[Kk]amers"))
    cells = [c.strip() for c in sizing.locator("td").all_inner_texts()]
    # 90%, 95% and 99% served: the number and its band over resampled weeks (the history's
    # weekly peaks are 2, 3 and 3 rooms, so the 90% band spans 2 to 3)
    bands = [re.fullmatch(r"(\d+) \((\d+)–(\d+)\)", c) for c in cells[1:4]]
    assert all(bands), cells
    (n90, low90, high90), (n95, low95, high95), _n99 = (
        tuple(int(x) for x in b.groups()) for b in bands if b)
    assert (n90, low90, high90) == (3, 2, 3) and low95 <= n95 <= high95 <= 3, cells
    assert cells[-1] == "18 (0 geweigerd)", cells  # the history's 18 bookings, none refused
    shot(page, "6-insights")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren als CSV").click()
    assert download.value.suggested_filename == f"occupancy-{first}-{last}.csv"
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(
        Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    rooms = [r for r in rows if r["group"] == "room"]
    assert len(rooms) == 1 and float(rooms[0]["booked_share"]) > 0, rows  # the history
    with page.expect_download(timeout=60_000) as report:
        page.get_by_role("link", name="Raadsrapportage (pdf)").click()
    pdf = Path(report.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and report.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Raadsrapportage (afdrukken)").click()
    expect(page.locator("body")).to_contain_text("Definities")
    expect(page.locator("body")).to_contain_text(format_date(first, "long", locale="nl"))
    shot(page, "6-council-report")


# --- 7. the wall board follows a booking made elsewhere ---------------------------------------

@pytest.mark.usefixtures("fast")
def test_journey_7_the_wall_board_updates_by_itself_when_someone_books_elsewhere(
        browser: Any, page: Any, live_server: LiveServer,
        kiosk_clock: Callable[[datetime], None]) -> None:
    day = tomorrow()
    kiosk_clock(at(day, "16:05"))  # the wall shows tomorrow 16:05 "now"
    login(page, live_server.people["reception"])
    page.goto("/board?display=wall")
    tile = page.locator("[data-resource=spreekkamer-2]")
    expect(tile).to_have_class(re.compile(r"\bs-free\b"))
    page.evaluate("window.__sameDocument = true")
    # a colleague books Spreekkamer 2 for 16:00 in their own browser
    other = browser.new_context(base_url=live_server.url, locale="nl-NL",
                                timezone_id="Europe/Amsterdam")
    try:
        colleague = other.new_page()
        login(colleague, live_server.people["staff2"])
        colleague.goto(f"/book?day={day.isoformat()}&start=16:00&minutes=30&people=2&kind=room")
        colleague.get_by_role("button", name="Reserveer Spreekkamer 2").click()
        colleague.wait_for_url(re.compile(r"/bookings/\d+$"))
        made = booking_id_from(colleague)
    finally:
        other.close()
    expect(tile).to_have_class(re.compile(r"\bs-booked\b"), timeout=8000)
    expect(tile).to_contain_text("Gemeente – Wmo")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    shot(page, "7-wall-board")
    assert booking(live_server.app, made)["resource"] == "spreekkamer-2"
    from hub.booking import services

    with live_server.app.app_context():
        services.cancel_booking(actor_id=user_id(live_server.app, live_server.people["staff2"]),
                                booking_id=made, now=utcnow())
        db.session.remove()


# --- keyboard only: journeys 1 and 3 without a mouse ------------------------------------------
# Only keyboard.press and keyboard.type (page.goto is the address bar): Tab to each control,
# check that its focus is visible, act with Enter or Space, and after every action check that
# focus moved to what happened (the message, or the result's heading).

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  const look = s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join('|');
  const s = getComputedStyle(e);
  const focused = look(s);
  // the same element unfocused: a shallow copy beside it (no id, name or checked state)
  const copy = e.cloneNode(false);
  ['id', 'name', 'checked', 'autofocus'].forEach(a => copy.removeAttribute(a));
  e.parentNode.insertBefore(copy, e.nextSibling);
  const plain = look(getComputedStyle(copy));
  copy.remove();
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) ||
               s.boxShadow !== 'none';
  return {id: e.id, tag: e.tagName, type: e.type || '', name: e.getAttribute('name') || '',
          text: (e.innerText || e.value || '').trim(), href: e.getAttribute('href') || '',
          aria: e.getAttribute('aria-label') || '', value: e.value || '',
          cls: e.className || '',
          label: e.labels && e.labels.length ? e.labels[0].innerText.trim() : '',
          visible: ring && focused !== plain, focused, plain};
}"""

RESULT_FOCUSED = """() => {
  const e = document.activeElement;
  return !!e && e !== document.body && !!e.closest(
    '[role=status], [role=alert], .flashes, .hub-flash, [data-hub-focus], [data-hub-result], ' +
    'h1, #results-title, #k-result');
}"""


def tab_to(page: Any, match: Callable[[dict[str, str]], bool], limit: int = 120,
           key: str = "Tab") -> dict[str, Any]:
    """Press Tab until the focused element matches; its focus must be visible."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused and match(focused):
            assert focused["visible"], f"focus not visible on {focused}"
            return focused
        seen.append(focused and (focused["tag"], focused["id"], focused["text"][:30]))
    raise AssertionError(f"never reached by keyboard; passed {seen}")


def focus_moved_to_result(page: Any) -> None:
    page.wait_for_function(RESULT_FOCUSED, timeout=3000)


def keyboard_login(page: Any, email: str) -> None:
    from tests.hub_fixtures import TEST_PASSWORD

    page.goto("/login")
    tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type(email)
    tab_to(page, lambda f: f["id"] == "password")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def type_date(page: Any, day: date) -> None:
    """Type a date into the focused date field, whatever order the browser shows (the
    segments advance by themselves; Shift+Tab goes back a segment)."""
    value = lambda: page.evaluate("document.activeElement.value")  # noqa: E731
    if page.evaluate("document.activeElement.type") != "date":  # a text field
        page.keyboard.press("Control+A")
        page.keyboard.type(f"{day.day:02d}-{day.month:02d}-{day.year}")
        return
    for order in ((day.month, day.day), (day.day, day.month)):
        page.keyboard.type(f"{order[0]:02d}{order[1]:02d}{day.year}")
        if value() == day.isoformat():
            return
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"the date field holds {value()}, not {day}")


def type_time(page: Any, hh_mm: str) -> None:
    value = lambda: page.evaluate("document.activeElement.value")  # noqa: E731
    if page.evaluate("document.activeElement.type") != "time":  # a text field
        page.keyboard.press("Control+A")
        page.keyboard.type(hh_mm)
        return
    page.keyboard.type(hh_mm.replace(":", ""))
    if value() != hh_mm:  # a 12-hour clock: the third segment is AM/PM
        page.keyboard.type("A" if int(hh_mm[:2]) < 12 else "P")
    assert value() == hh_mm, value()


def test_journey_1_by_keyboard_only(page: Any, live_server: LiveServer) -> None:
    app, day = live_server.app, tomorrow()
    keyboard_login(page, live_server.people["keyboard"])
    tab_to(page, lambda f: f["tag"] == "A" and f["href"] == "/book")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/book$"))
    tab_to(page, lambda f: f["id"] == "day")
    type_date(page, day)
    tab_to(page, lambda f: f["id"] == "start")
    type_time(page, "10:00")
    tab_to(page, lambda f: f["id"] == "people")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    tab_to(page, lambda f: f["tag"] == "SUMMARY")
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["label"] == "Rolstoeltoegankelijk")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Zoek een vrije ruimte")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/book\?.*amenities=wheelchair"))
    focus_moved_to_result(page)  # the search: focus on the results' heading
    assert page.evaluate("document.activeElement.id") == "results-title"
    expect(page.locator("#results-title")).to_contain_text("10:00–11:00")
    first = page.locator("ul.results > li").first
    assert "Rolstoeltoegankelijk" in first.locator("ul.amenities").inner_text()
    name = first.locator("h3").inner_text()
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"].startswith("Reserveer"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/bookings/\d+$"))
    focus_moved_to_result(page)  # booked: focus on "Gereserveerd: ..."
    made = booking_id_from(page)
    stored = booking(app, made)
    assert stored["start"] == at(day, "10:00") and "wheelchair" in stored["amenities"]
    assert stored["status"] == "booked" and stored["user"] == live_server.people["keyboard"]
    expect(page.locator("h1")).to_have_text(f"Gereserveerd: {name}")
    tab_to(page, lambda f: f["tag"] == "A" and f["href"].endswith(".ics"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    import icalendar

    event = next(iter(icalendar.Calendar.from_ical(
        Path(download.value.path()).read_bytes()).walk("VEVENT")))
    assert event.decoded("dtstart") == at(day, "10:00")
    tab_to(page, lambda f: f["tag"] == "A" and f["text"] == "Mijn reserveringen"
           and f["href"] == "/bookings")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/bookings$"))
    expect(page.locator(f"#booking-{made}")).to_contain_text(name)
    tab_to(page, lambda f: f["tag"] == "A" and f"/bookings/{made}/cancel" in f["href"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/bookings/{made}/cancel"))
    tab_to(page, lambda f: f["id"] == "confirm-cancel")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/bookings(/\d+)?$"))
    focus_moved_to_result(page)  # cancelled: focus on the message
    expect(page.locator(".flashes")).to_contain_text("geannuleerd")
    shot(page, "1-keyboard-cancelled")
    assert booking(app, made)["status"] == "cancelled"


@pytest.mark.usefixtures("spots")
def test_journey_3_by_keyboard_only(page: Any, live_server: LiveServer,
                                    kiosk_clock: Callable[[datetime], None]) -> None:
    app = live_server.app
    year, week, _ = (next_monday() + timedelta(weeks=1)).isocalendar()
    keyboard_login(page, live_server.people["network"])
    page.goto(f"/plaza?week={year}-W{week:02d}")
    before = plaza_bookings(app, live_server.people["network"])
    found = tab_to(page, lambda f: f["tag"] == "BUTTON" and "plaza-free" in f["cls"],
                   limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plaza"))
    focus_moved_to_result(page)  # booked: focus on the message
    expect(page.locator(".flashes")).to_contain_text("Gereserveerd")
    expect(page.locator(f'button[aria-label="{found["aria"]}"]')).to_have_count(0)
    spot = new_plaza_booking(app, live_server.people["network"], before)
    kiosk_clock(spot["start"] + timedelta(minutes=5))
    with app.app_context():
        credential = kiosk_credential("journey-3-keyboard-kiosk")
    page.goto(f"/kiosk#credential={credential}")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'k-code'")
    page.keyboard.type(spot["code"].lower())
    page.keyboard.press("Enter")
    expect(page.locator("#k-result-box.k-good")).to_be_visible()
    focus_moved_to_result(page)  # checked in: focus on the welcome
    expect(page.locator("#k-result-title")).to_contain_text("Welkom, Network")
    assert booking(app, spot["id"])["status"] == "checked_in"
    tab_to(page, lambda f: "k-back" in f["cls"])
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'k-code'")
    page.keyboard.type("ZZZZ-ZZZZ")
    page.keyboard.press("Enter")
    expect(page.locator("#k-result-box.k-bad")).to_be_visible()
    focus_moved_to_result(page)  # refused: focus on the friendly refusal
    expect(page.locator("#k-result-title")).to_contain_text("balie")
    tab_to(page, lambda f: "k-back" in f["cls"])
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["id"] == "k-walkin-btn")
    page.keyboard.press("Enter")
    expect(page.locator("#k-walkin")).to_be_visible()
    place = tab_to(page, lambda f: f["type"] == "radio")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "k-org")
    page.keyboard.type("GGZ")
    assert page.evaluate("document.activeElement.value") == "ggz"
    tab_to(page, lambda f: f["id"] == "k-name")
    page.keyboard.type("Kim")
    page.keyboard.press("Enter")
    expect(page.locator("#k-result-box.k-good")).to_be_visible()
    focus_moved_to_result(page)
    expect(page.locator("#k-result-title")).to_contain_text("Welkom, Kim (GGZ FACT-team)")
    shot(page, "3-keyboard-walk-in")
    walked = [b for b in bookings_where(app, visitor_name="Kim")
              if b["start"] <= spot["start"] + timedelta(minutes=10) < b["end"]]
    assert len(walked) == 1 and walked[0]["resource"] == place["value"], (walked, place)
