"""Security headers (issue 14, defect 7): a CSP without inline script on every page,
frame-ancestors 'none', Referrer-Policy, Permissions-Policy (camera on the kiosk only),
X-Frame-Options on /api/docs too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import hub

TEMPLATES = Path(hub.__file__).parent
# A script element without src runs inline, unless it only holds data (type application/json).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
PAGES = ["/login", "/", "/book", "/bookings", "/today", "/account", "/api/docs",
         "/api/v1/openapi.json", "/api/v1/me", "/no-such-page"]


def _directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.fixture
def logged_in(client: Any, auth: Any, make_user: Any) -> Any:
    auth.login(make_user(role="admin").email)
    return client


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_has_the_security_headers(logged_in: Any, path: str) -> None:
    response = logged_in.get(path)
    assert response.status_code < 500
    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == "script-src 'self'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert "'unsafe-inline'" not in csp.get("default-src", "")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer",
                                                   "strict-origin-when-cross-origin")
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_kiosk_alone_may_use_the_camera(client: Any) -> None:
    response = client.get("/kiosk")
    assert "camera=(self)" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_runs_inline_script(logged_in: Any, path: str) -> None:
    body = logged_in.get(path).get_data(as_text=True)
    assert not INLINE_SCRIPT.search(body), "move inline script into a file under hub/static/"
    assert not HANDLER_ATTRIBUTE.search(body)
    assert "javascript:" not in body


def test_no_template_holds_inline_script() -> None:
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        if "vendor" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER_ATTRIBUTE.search(text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_api_docs_load_their_scripts_from_the_hub(client: Any) -> None:
    page = client.get("/api/docs").get_data(as_text=True)
    sources = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert sources and all(src.startswith("/static/") for src in sources)
