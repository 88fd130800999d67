"""Bookings of rooms, desks and landing spots: rules, recurrence, privacy, calendar feeds."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from flask import Flask


def register(app: Flask) -> None:
    """Hook booking into the building's state_now, the demo seed, the CLI and the worker."""
    from hub.booking import demo, demo_plan
    from hub.booking.cli import policy_cli, purge_command, sweep_command
    from hub.booking.queries import booked_now
    from hub.booking.services.sweep import sweep
    from hub.calendar.feeds import bp as feeds_bp
    from hub.registries import PeriodicJob, add_job, registry

    hub_registry = registry(app)
    hub_registry.add("state_providers", "booking.booked_now", booked_now, order=10)
    hub_registry.add("demo_steps", "booking.history", demo.history_step, order=10)
    hub_registry.add("demo_steps", "booking.floor_plan", demo_plan.plan_step, order=11)
    app.register_blueprint(feeds_bp)
    app.cli.add_command(sweep_command)
    app.cli.add_command(policy_cli)
    app.cli.add_command(purge_command)
    add_job(app, PeriodicJob(name="booking.sweep", interval_s=60.0, run=sweep), order=10)
    days = int(app.config["SUBJECT_RETENTION_DAYS"])
    add_job(app, PeriodicJob(name="booking.purge", interval_s=6 * 3600.0,
                             run=partial(_purge, days=days)), order=20)


def _purge(now: datetime, *, days: int) -> int:
    from hub.accounts.retention import purge_login_records
    from hub.booking.services.retention import purge_subjects

    purge_login_records(now=now, channel="worker")
    return purge_subjects(now=now, days=days, channel="worker")
