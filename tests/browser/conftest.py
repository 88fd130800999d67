"""Browser tests: the real app behind a real HTTP server, driven by Debian's chromium.

The shared `app` fixture runs every test on SQLite and PostgreSQL; a browser test needs only
one database, so this module builds its own app (SQLite file in a temporary folder), serves it
with werkzeug in a background thread, and seeds a small building once per session.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from hub import create_app
from hub.extensions import db
from tests.browser import seed
from tests.hub_fixtures import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask
    people: dict[str, str]  # role label -> e-mail address (password TEST_PASSWORD)


def _need_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("browser")
    app = create_app({
        "TESTING": True,
        "HUB_ENVIRON": {"HUB_ENV": "testing", "HUB_SECRET_KEY": "browser-test-secret-key"},
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'hub.sqlite3'}",
        "HUB_UPLOAD_FOLDER": str(folder / "uploads"),
        # Real forms, real CSRF: the browser posts what a person would post.
        "WTF_CSRF_ENABLED": True,
        "LOGIN_THROTTLE_ATTEMPTS": 1000,
        # Rooms open around the clock: the tests book "now" whenever the suite runs.
        "HUB_BOOKING_POLICIES": {"room": {"open_weekdays": [0, 1, 2, 3, 4, 5, 6],
                                          "opens": "00:00", "closes": "23:59",
                                          "public_holidays": False}},
    })
    with app.app_context():
        db.create_all()
        seed.small_building()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(browser_app: Flask) -> Iterator[LiveServer]:
    """The app on a free port of 127.0.0.1, served by a threaded werkzeug server."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, browser_app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    browser_app.config["HUB_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(url=url, app=browser_app, people=dict(seed.PEOPLE))
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the whole session (starting it takes seconds)."""
    _need_chromium()
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    playwright = manager.start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        manager.__exit__(None, None, None)
        raise
    yield chromium
    chromium.close()
    manager.__exit__(None, None, None)


@pytest.fixture
def page_size() -> dict[str, int]:
    """Override in a test module (or parametrise) for another viewport."""
    return {"width": 1280, "height": 900}


@pytest.fixture
def page(browser: Any, live_server: LiveServer, page_size: dict[str, int]) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page; Dutch, Amsterdam time."""
    context = browser.new_context(base_url=live_server.url, viewport=page_size,
                                  locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def login(page: Any, email: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the form (typing and Enter: these are not the clicks being counted)."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.press("#password", "Enter")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def login_as(page: Any, live_server: LiveServer) -> Any:
    """login_as("staff") logs the page in as the seeded person of that label."""
    def do(label: str) -> Any:
        login(page, live_server.people[label])
        return page
    return do


def screenshot_dir() -> Path:
    """Where screenshots go for a person to look at (kept out of the repository)."""
    path = Path(os.environ.get("HUB_SCREENSHOTS", "/tmp/hub-screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
