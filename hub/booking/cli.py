"""`hub sweep`: one auto-release pass (the worker runs the same job every minute)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Release no-shows and complete finished bookings, once."""
    from hub.booking.sweep import sweep
    from hub.timeutil import utcnow

    counts = sweep(utcnow())
    click.echo(f"released {counts['released']}, completed {counts['completed']}")
