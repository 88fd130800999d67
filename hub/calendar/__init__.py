"""Calendars: iCalendar rendering (pure), the feeds, a booking's .ics, QR rendering, and
booking mail (outbox, invitations)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Booking mail listens to booking events; `hub worker` sends the outbox."""
    from hub.calendar import api as calendar_api
    from hub.calendar.mail_events import on_booking_event
    from hub.calendar.outbox import deliver_due, forget_ended
    from hub.calendar.views import bp
    from hub.extensions import api, csrf
    from hub.registries import PeriodicJob, add_job, registry

    registry(app).add("booking_listeners", "calendar.mail", on_booking_event, order=10)
    registry(app).add("retention_steps", "calendar.mail", forget_ended, order=10)
    app.register_blueprint(bp)
    api.register_blueprint(calendar_api.blp, url_prefix="/api/v1")
    csrf.exempt(calendar_api.blp)
    add_job(app, PeriodicJob(name="calendar.mail", interval_s=15.0, run=deliver_due), order=30)
