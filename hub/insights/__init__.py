"""Insights for the facility manager: occupancy metrics, sizing, exports, the council report.

Reads booking and sensors through their read side; nothing imports insights but the app
wiring (an import-linter contract holds that line)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """The pages, the report API and `hub report`."""
    from hub.extensions import api, csrf
    from hub.insights import views
    from hub.insights.api import blp
    from hub.insights.cli import report_cli

    app.register_blueprint(views.bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
    csrf.exempt(blp)
    app.cli.add_command(report_cli)
