"""The kiosk at the entrance, QR check-in, walk-ins, door labels and the live board."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Hook the kiosk into the app: its credential resolver, pages, API and CLI."""
    from hub.extensions import api, csrf
    from hub.kiosk import api as kiosk_api
    from hub.kiosk.cli import kiosk_cli
    from hub.kiosk.demo import kiosk_step
    from hub.kiosk.services import kiosk_for_credential
    from hub.kiosk.web import bp, facility, labels, pages, phone  # noqa: F401  (routes on bp)
    from hub.registries import registry

    registry(app).add("kiosk_resolvers", "kiosk", kiosk_for_credential)
    registry(app).add("demo_steps", "kiosk.entrance", kiosk_step, order=50)
    app.register_blueprint(bp)
    api.register_blueprint(kiosk_api.blp, url_prefix="/api/v1")
    csrf.exempt(kiosk_api.blp)
    app.cli.add_command(kiosk_cli)
