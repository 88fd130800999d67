"""Bookings of rooms, desks and landing spots: rules, recurrence, privacy, calendar feeds."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from flask import Flask


def register(app: Flask) -> None:
    """Hook booking into the building's state_now, `hub sweep` and the worker's jobs."""
    from hub.booking.queries import booked_now
    from hub.booking.sweep import sweep
    from hub.building.queries import state_providers

    if booked_now not in state_providers:
        state_providers.append(booked_now)
    from hub.booking import demo
    from hub.demo.seed import HISTORY_STEPS

    if demo.history_step not in HISTORY_STEPS:
        HISTORY_STEPS.append(demo.history_step)
    from hub.booking.cli import policy_cli, purge_command, sweep_command
    from hub.booking.feeds import bp as feeds_bp

    app.register_blueprint(feeds_bp)

    app.cli.add_command(sweep_command)
    app.cli.add_command(policy_cli)
    app.cli.add_command(purge_command)
    try:
        from hub.worker import PeriodicJob, add_job
    except ImportError:  # the worker is optional for the web app
        return
    add_job(PeriodicJob(name="booking.sweep", interval_s=60.0, run=sweep))
    days = int(app.config["SUBJECT_RETENTION_DAYS"])
    add_job(PeriodicJob(name="booking.purge", interval_s=6 * 3600.0,
                        run=partial(_purge, days=days)))


def _purge(now: datetime, *, days: int) -> int:
    from hub.booking.retention import purge_subjects

    return purge_subjects(now=now, days=days, channel="worker")
