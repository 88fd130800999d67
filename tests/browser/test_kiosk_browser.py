"""The kiosk, the board and the label sheet in a real chromium.

The kiosk is driven as a visitor would: a typed code, and a keyboard-wedge scanner's burst
(the URL typed within milliseconds, then Enter) with the focus anywhere on the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.extensions import db
from hub.timeutil import utcnow
from tests.browser.conftest import LiveServer, login, screenshot_dir
from tests.support.kiosk import decode_png

pytestmark = pytest.mark.browser


@pytest.fixture
def fast(live_server: LiveServer) -> Iterator[None]:
    """Short kiosk and board timers for this test only (the page reads them when it loads)."""
    config = live_server.app.config
    saved = {k: config.get(k) for k in ("HUB_KIOSK_RESULT_MS", "HUB_BOARD_REFRESH_S")}
    config.update(HUB_KIOSK_RESULT_MS=2500, HUB_BOARD_REFRESH_S=1)
    yield
    for key, value in saved.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value


ROOMS = ("kioskkamer-a", "kioskkamer-b", "kioskkamer-c")


@pytest.fixture(scope="module")
def rooms(live_server: LiveServer) -> tuple[str, ...]:
    """Rooms of these tests only, on a floor of their own (the other tests book rooms too)."""
    from hub.building.models import Resource
    from hub.building.services import create_floor, create_resource

    with live_server.app.app_context():
        if db.session.query(Resource).filter_by(slug=ROOMS[0]).first() is None:
            floor = create_floor(site_slug="testhuis", slug="kiosk-etage", name="Kioskverdieping",
                                 level=5)
            for slug in ROOMS:
                create_resource(slug=slug, floor_id=floor.id, kind="room",
                                name=f"Kioskkamer {slug[-1].upper()}", now=utcnow(), capacity=4)
            create_resource(slug="kioskplek-1", floor_id=floor.id, kind="landing_spot",
                            name="Kioskplek 1", now=utcnow())
            db.session.commit()
        db.session.remove()
    return ROOMS


# The kiosk and the board run on this clock (the server runs in this process): a Monday
# morning, so that the tests do not depend on the hour the suite runs at.
FIXED = datetime(2026, 3, 30, 8, 20, tzinfo=UTC)  # 10:20 in Amsterdam


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    from hub.kiosk import api
    from hub.kiosk.web import pages

    started = utcnow()

    def now() -> datetime:  # FIXED, then running on in real time
        return FIXED + (utcnow() - started)

    monkeypatch.setattr(api, "utcnow", now)
    monkeypatch.setattr(pages, "utcnow", now)
    return FIXED


def _booking(live_server: LiveServer, label: str, slug: str, minutes_from_now: int) -> Any:
    """A room booking near the fixed clock, made an hour before (so it waits for check-in)."""
    from hub.accounts.models import User
    from hub.booking import services

    with live_server.app.app_context():
        person = db.session.query(User).filter_by(email=live_server.people[label]).one()
        now = FIXED
        start = now - timedelta(minutes=now.minute % 15) + timedelta(minutes=minutes_from_now)
        made = services.create_booking(actor_id=person.id, resource=slug, start=start,
                                       end=start + timedelta(minutes=30),
                                       now=now - timedelta(hours=1)).booking
        code, booking_id = made.checkin_code, made.id
        db.session.remove()
    return code, booking_id


def _credential(live_server: LiveServer, name: str) -> str:
    from hub.kiosk.services import enrol_kiosk

    with live_server.app.app_context():
        _kiosk, credential = enrol_kiosk(name=name, now=utcnow())
        db.session.remove()
    return credential


def test_kiosk_typed_code_and_wedge_burst(page: Any, live_server: LiveServer, fast: None,
                                          clock: datetime,
                                          rooms: tuple[str, ...]) -> None:
    typed, _id = _booking(live_server, "staff", rooms[0], 15)
    wedge, _id2 = _booking(live_server, "staff2", rooms[1], 15)
    page.goto(f"/kiosk#credential={_credential(live_server, 'browser-kiosk')}")
    assert "credential" not in page.url  # taken out of the address bar at once
    page.wait_for_selector("#k-home:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "k-code"
    size = page.locator("#k-code-form button").bounding_box()
    assert size["height"] >= 44 and size["width"] >= 44
    page.fill("#k-code", typed.lower())
    page.press("#k-code", "Enter")
    page.wait_for_selector("#k-result-box.k-good")
    assert "Welkom, Staff" in page.inner_text("#k-result-title")
    assert "Kioskkamer A" in page.inner_text("#k-result-text")
    assert "Kioskverdieping" in page.inner_text("#k-result-text")
    page.screenshot(path=str(screenshot_dir() / "kiosk-welcome.png"))
    # nothing personal after the result time: the screen starts over by itself
    page.wait_for_selector("#k-home:not([hidden])", timeout=6000)
    assert "Staff" not in page.inner_text("body")
    # a wedge scanner types the whole URL fast, wherever the focus is
    page.evaluate("document.activeElement.blur()")
    page.keyboard.type(f"{live_server.url}/k/{wedge}", delay=3)
    page.keyboard.press("Enter")
    page.wait_for_selector("#k-result-box.k-good")
    assert "Staff2" in page.inner_text("#k-result-title")
    # the same scan again is harmless; an unknown code says what to do
    page.click(".k-back >> nth=0")
    page.fill("#k-code", wedge)
    page.press("#k-code", "Enter")
    page.locator("#k-result-title", has_text="al ingecheckt").wait_for()
    page.click("#k-result .k-back")
    page.fill("#k-code", "QQQQ-QQQQ")
    page.press("#k-code", "Enter")
    page.wait_for_selector("#k-result-box.k-bad")
    assert "balie" in page.inner_text("#k-result-title")
    # English at one tap, and back
    page.click("button[data-lang=en]")
    page.click("#k-result .k-back")
    assert page.inner_text("#k-home-title") == "Welcome"
    page.screenshot(path=str(screenshot_dir() / "kiosk-home-en.png"))


def test_kiosk_says_when_the_hub_is_away_and_recovers(page: Any, live_server: LiveServer,
                                                      fast: None) -> None:
    live_server.app.config["HUB_KIOSK_HEARTBEAT_MS"] = 500
    try:
        page.goto(f"/kiosk#credential={_credential(live_server, 'offline-kiosk')}")
        page.wait_for_selector("#k-home:not([hidden])")
        page.route("**/api/v1/kiosk/**", lambda route: route.abort())
        page.wait_for_selector("#k-offline:not([hidden])", timeout=5000)
        page.screenshot(path=str(screenshot_dir() / "kiosk-offline.png"))
        page.unroute("**/api/v1/kiosk/**")
        page.wait_for_selector("#k-offline", state="hidden", timeout=5000)
    finally:
        live_server.app.config.pop("HUB_KIOSK_HEARTBEAT_MS", None)


def test_the_board_refreshes_without_a_reload(page: Any, live_server: LiveServer,
                                              fast: None, clock: datetime, rooms: tuple[str, ...]) -> None:
    login(page, live_server.people["reception"])
    page.goto("/board")
    tile = page.locator("[data-resource=kioskkamer-c]")
    tile.wait_for()
    before = page.get_attribute("body", "data-board-updated")
    page.evaluate("window.__sameDocument = true")
    _booking(live_server, "staff2", rooms[2], 0)
    page.locator("[data-resource=kioskkamer-c].s-booked").wait_for(timeout=8000)
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    assert page.get_attribute("body", "data-board-updated") != before
    assert "Gemeente – Wmo" in tile.inner_text()
    ggd = page.locator("[data-resource=ggd-kamer]").inner_text()
    assert "GGD Brabant" not in ggd
    page.goto("/board?display=wall")
    page.screenshot(path=str(screenshot_dir() / "board-wall.png"), full_page=True)


def test_label_sheet_qr_codes_decode_to_the_resource_pages(page: Any, live_server: LiveServer
                                                           ) -> None:
    from hub.accounts.services import create_user

    with live_server.app.app_context():
        from hub.accounts.models import User

        if not db.session.query(User).filter_by(email="fm@welzijn.example.nl").first():
            create_user(email="fm@welzijn.example.nl", organisation_slug="welzijn",
                        role="facility", password="correct horse battery", name="Fm", now=utcnow())
            db.session.commit()
        db.session.remove()
    login(page, "fm@welzijn.example.nl")
    page.goto("/facility/labels")
    labels = page.locator(".label")
    assert labels.count() >= 4
    for n in range(labels.count()):
        label = labels.nth(n)
        slug = label.get_attribute("data-slug")
        qr = label.locator(".label-qr svg")
        box = qr.bounding_box()
        assert box["width"] >= 2 / 2.54 * 96  # at least 2 cm at CSS 96 dpi
        assert decode_png(qr.screenshot()) == [f"{live_server.url}/r/{slug}"]
        assert f"{live_server.url.split('://')[1]}/r/{slug}" in label.inner_text()
    page.emulate_media(media="print")
    page.screenshot(path=str(screenshot_dir() / "labels-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1


def test_the_vendored_camera_decoder_reads_a_qr_without_any_cdn(page: Any,
                                                                 live_server: LiveServer) -> None:
    """The decoder the kiosk falls back to (Linux chromium has no BarcodeDetector) loads its
    .wasm from the hub and decodes a real QR image; any request elsewhere is refused."""
    outside: list[str] = []

    def only_the_hub(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_hub)
    page.goto("/kiosk")
    text = page.evaluate("""async () => {
        const api = window.BarcodeDetectionAPI;
        api.prepareZXingModule({ overrides: { locateFile: (path, prefix) =>
            path.endsWith('.wasm') ? '/static/vendor/barcode-detector/zxing_reader.wasm' : prefix + path } });
        const detector = new api.BarcodeDetector({ formats: ['qr_code'] });
        const image = await createImageBitmap(await (await fetch('/r/spreekkamer-1/qr.png')).blob());
        const codes = await detector.detect(image);
        return codes.map(c => c.rawValue);
    }""")
    assert text == [f"{live_server.url}/r/spreekkamer-1"]
    assert outside == []


def test_a_walk_in_at_the_kiosk_and_on_the_board(page: Any, live_server: LiveServer, fast: None,
                                                 clock: datetime, rooms: tuple[str, ...]) -> None:
    page.goto(f"/kiosk#credential={_credential(live_server, 'walk-in-kiosk')}")
    page.wait_for_selector("#k-home:not([hidden])")
    page.click("#k-walkin-btn")
    page.locator("#k-place-list label", has_text="Kioskplek 1").click()
    page.screenshot(path=str(screenshot_dir() / "kiosk-walk-in.png"))
    page.select_option("#k-org", "ggz")
    page.fill("#k-name", "Noor")
    page.click("#k-walkin-form button[type=submit]")
    page.wait_for_selector("#k-result-box.k-good")
    assert "Welkom, Noor (GGZ FACT-team)" in page.inner_text("#k-result-title")
    assert "Kioskplek 1" in page.inner_text("#k-result-title")
    board = page.context.new_page()
    login(board, live_server.people["reception"])
    board.goto("/board")
    tile = board.locator("[data-resource=kioskplek-1]")
    assert "s-booked" in (tile.get_attribute("class") or "")
    assert "GGZ FACT-team" in tile.inner_text()
    assert "GGZ FACT-team" in board.inner_text("#board-plaza")
    assert "Noor" not in board.inner_text("main")


@pytest.fixture
def axe_tab(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """axe is injected as a script: the CSP (no inline script) is bypassed for it only."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nl-NL",
                                  viewport={"width": 1280, "height": 900},
                                  timezone_id="Europe/Amsterdam")
    yield context.new_page()
    context.close()


def test_kiosk_pages_have_no_serious_axe_finding(axe_tab: Any, live_server: LiveServer,
                                                 fast: None, clock: datetime,
                                                 rooms: tuple[str, ...]) -> None:
    from tests.browser.test_accessibility import _axe

    page = axe_tab
    code, _id = _booking(live_server, "staff", rooms[2], 30)
    findings = {}
    page.goto(f"/kiosk#credential={_credential(live_server, 'axe-kiosk')}")
    page.wait_for_selector("#k-home:not([hidden])")
    findings["/kiosk"] = _axe(page)
    page.click("#k-walkin-btn")
    page.wait_for_selector("#k-walkin:not([hidden])")
    findings["/kiosk walk-in"] = _axe(page)
    # the kiosk switches its language in the page: the same screens in English
    page.click(".k-lang-btn[data-lang=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    findings["/kiosk walk-in (en)"] = _axe(page)
    page.reload()
    page.wait_for_selector("#k-home:not([hidden])")
    page.click(".k-lang-btn[data-lang=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    findings["/kiosk (en)"] = _axe(page)
    login(page, live_server.people["staff"])
    for path in (f"/k/{code}", f"/r/{rooms[2]}", "/board", "/board?display=wall"):
        page.goto(path)
        findings[path] = _axe(page)
    assert {path: found for path, found in findings.items() if found} == {}
