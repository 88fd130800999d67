"""Every outward link and UID, built from HUB_BASE_URL in one place.

Links that leave the request (mail, QR codes, calendar feeds, API answers) must not depend
on the Host header or the proxy in front of the app: they come from the configured base URL
(scheme, host, port and path prefix), with or without a request context (the worker sends
mail). UIDs use the host name alone, so the same booking has the same UID in its feed, its
.ics download and its mail invitation whatever port HUB_BASE_URL names.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def base_url() -> str:
    """HUB_BASE_URL without a trailing slash, e.g. `https://hub.example.nl`."""
    return str(current_app.config["HUB_BASE_URL"]).rstrip("/")


def external(endpoint: str, **values: Any) -> str:
    """The absolute URL of a Flask endpoint under HUB_BASE_URL (no request needed)."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    clean = {k: v for k, v in values.items() if v is not None}
    return adapter.build(endpoint, clean, force_external=True)


def uid_domain() -> str:
    """The right-hand side of every UID: the base URL's host name, port left out."""
    return urlsplit(base_url()).hostname or "hub"


def booking_uid(booking_id: int) -> str:
    """One UID per booking, in feeds, .ics downloads and mail invitations alike."""
    return f"booking-{booking_id}@{uid_domain()}"


def series_uid(series_id: int) -> str:
    """The UID of a recurring series' single invitation."""
    return f"series-{series_id}@{uid_domain()}"


def feed_uid(name: str) -> str:
    """The UID of a calendar feed itself (`user-3`, `resource-5`, `plaza`)."""
    return f"feed-{name}@{uid_domain()}"


def checkin_url(code: str) -> str:
    """What a booking's QR code encodes: `<base>/k/<code>`."""
    return f"{base_url()}/k/{code}"


def resource_url(slug: str) -> str:
    """What a printed door or desk label encodes: `<base>/r/<slug>`."""
    return f"{base_url()}/r/{slug}"


def booking_qr_png_url(booking_id: int) -> str:
    return external("booking_api.qr_png", booking_id=booking_id)


def booking_qr_svg_url(booking_id: int) -> str:
    return external("booking_api.qr_svg", booking_id=booking_id)


def booking_ics_url(booking_id: int) -> str:
    return external("booking_api.ics", booking_id=booking_id)


def booking_page_url(booking_id: int) -> str:
    return external("booking_pages.confirmed", booking_id=booking_id)


def invite_url(token: str) -> str:
    return f"{base_url()}/invite/{token}"


def personal_feed_url(token: str) -> str:
    return f"{base_url()}/ical/{token}.ics"


def resource_feed_url(slug: str, token: str) -> str:
    return f"{base_url()}/ical/resource/{slug}.ics?token={token}"


def plaza_feed_url(token: str) -> str:
    return f"{base_url()}/ical/plaza.ics?token={token}"


def webcal(url: str) -> str:
    """The same feed for calendar apps that subscribe through `webcal://`."""
    return "webcal://" + url.split("://", 1)[1]
