"""Web security in one place: safe redirect targets, security headers, cookie and proxy
settings, and the guard against hostile JSON bodies.

Every redirect to a target a client supplied (`next=`, `back=`) goes through `safe_url`.
Browsers read `//host`, `/\\host` and `\\\\host` as links to another site, and strip tabs and
newlines from a URL before reading it, so a check on the raw text alone is not enough.
"""

from __future__ import annotations

import math
import time
import unicodedata
from collections import deque
from datetime import timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, Response, request
from flask_babel import gettext as _

from hub.accounts.sessions import SESSION_DAYS
from hub.errors import InvalidInput, TooManyRequests

# Longest redirect target we follow; our own links are far shorter.
MAX_TARGET = 2000
# Deepest JSON body we parse: no request of the API nests more than a few levels, and Python's
# parser would run out of stack (RecursionError, a 500) on a few thousand.
MAX_JSON_DEPTH = 32
HSTS = "max-age=31536000"
_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    # Style attributes position pins and timeline blocks; <style> elements stay forbidden.
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{k} {v}" for k, v in _CSP.items())
_DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "serial")


def _holds_control(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)


def _leaves_site(text: str) -> bool:
    """True when a browser (or a proxy that decodes once more) could read `text` as a link
    to another site."""
    if not text.startswith("/") or text[1:2] in ("/", "\\") or "\\" in text:
        return True
    parts = urlsplit(text)
    return bool(parts.scheme or parts.netloc) or _holds_control(text)


def safe_url(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`.

    A target with control characters (a tab, a newline) is refused with 400: no link of the
    hub has them, and a newline would break the Location header."""
    if not target:
        return fallback
    if _holds_control(target):
        raise InvalidInput(_("This link is damaged. Open the page from the menu."),
                           {"field": "next"})
    if len(target) > MAX_TARGET or any(c.isspace() for c in target):
        return fallback
    decoded = target
    # Encoded forms (`/%2F/evil`, `/%5Cevil`, `%252F`) must not decode into a way out either.
    for _round in range(3):
        if _leaves_site(decoded):
            return fallback
        once = unquote(decoded)
        if once == decoded:
            return target
        decoded = once
    return fallback


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when a JSON text nests arrays/objects deeper than `limit` (strings skipped)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # the common case, counted in C
    depth, in_string, escaped = 0, False, False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def check_json_body() -> None:
    """Refuse JSON that would crash the parser or the database later (400, not a 500)."""
    if not request.is_json or request.content_length == 0:
        return
    body = request.get_data(cache=True)
    if json_depth_exceeds(body):
        raise InvalidInput(_("The JSON body is nested too deeply."), {"body": "depth"})
    data = request.get_json(silent=True)
    # "\ud800" is valid JSON but no valid text: neither SQLite nor PostgreSQL can store it.
    if _has_lone_surrogate(data):
        raise InvalidInput(_("The JSON body contains a broken character (a lone surrogate)."),
                           {"body": "encoding"})


class FailureWindow:
    """Failed attempts per key in a sliding window, in this process's memory (a guard against
    floods, not a ledger: with N web processes a client gets up to N times the limit)."""

    def __init__(self, limit: int, seconds: float, max_keys: int = 10_000) -> None:
        self.limit, self.seconds, self.max_keys = limit, seconds, max_keys
        self._hits: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key, deque())
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        return hits

    def wait_s(self, key: str, now: float) -> float:
        """Seconds until this key may try again (0 when it may now)."""
        hits = self._recent(key, now)
        return hits[0] + self.seconds - now if len(hits) >= self.limit else 0.0

    def add(self, key: str, now: float) -> None:
        if key not in self._hits and len(self._hits) >= self.max_keys:
            self._hits.clear()  # a flood of addresses: start over rather than grow
        hits = self._recent(key, now)
        hits.append(now)
        self._hits[key] = hits


# Unknown or revoked Bearer credentials one client address may send per minute.
TOKEN_FAILURES_PER_MINUTE = 30
_TOKEN_WINDOW = "hub.token_failures"  # noqa: S105 - an extension key, not a secret


def _bearer() -> bool:
    return request.path.startswith("/api/") and request.headers.get(
        "Authorization", "").lower().startswith("bearer ")


def throttle_bad_tokens(app: Flask) -> None:
    """An address that keeps sending unknown tokens (a broken script, a guesser) gets 429
    with Retry-After for the rest of the minute, before any token lookup."""
    window = app.extensions.setdefault(
        _TOKEN_WINDOW, FailureWindow(TOKEN_FAILURES_PER_MINUTE, 60.0))

    @app.before_request
    def _refuse_flood() -> None:
        if _bearer():
            wait = window.wait_s(request.remote_addr or "?", time.monotonic())
            if wait > 0:
                raise TooManyRequests(_("Too many requests with an unknown token. Wait "
                                        "%(n)d seconds.", n=math.ceil(wait)),
                                      {"retry_after_s": math.ceil(wait)})

    @app.after_request
    def _count_failure(response: Response) -> Response:
        if response.status_code == 401 and _bearer():
            window.add(request.remote_addr or "?", time.monotonic())
        return response


def is_https(app: Flask) -> bool:
    return str(app.config.get("HUB_BASE_URL", "")).startswith("https://")


def permissions_policy(path: str) -> str:
    """No powerful feature anywhere; the camera only on the kiosk (it scans QR codes)."""
    kiosk = path == "/kiosk" or path.startswith("/kiosk/")
    return ", ".join(f"{name}=(self)" if kiosk and name == "camera" else f"{name}=()"
                     for name in _DENIED_FEATURES)


def add_headers(response: Response, *, https: bool) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", permissions_policy(request.path))
    if https:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def configure_cookies(app: Flask) -> None:
    """HttpOnly and SameSite always; Secure whenever the hub is served over https."""
    secure = is_https(app)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure, REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=timedelta(days=SESSION_DAYS))


def configure_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto from exactly HUB_PROXY_FIX proxies (0: none, the default).

    Only then is `request.remote_addr` the client's own address, which login throttling
    counts per; without a proxy the header is the client's to forge, so it is ignored."""
    hops = int(app.config.get("HUB_PROXY_FIX") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    """Cookies, proxy, headers and the JSON guard for this app."""
    configure_cookies(app)
    configure_proxy(app)
    https = is_https(app)
    app.before_request(check_json_body)
    throttle_bad_tokens(app)
    app.after_request(lambda response: add_headers(response, https=https))
    app.jinja_env.globals["safe_url"] = safe_url
