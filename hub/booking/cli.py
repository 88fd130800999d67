"""`hub sweep` (one auto-release pass; the worker runs it every minute) and `hub policy`."""

from __future__ import annotations

import json
import sys
from dataclasses import fields

import click
from flask.cli import with_appcontext


@click.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Release no-shows and complete finished bookings, once."""
    from hub.booking.services.sweep import sweep
    from hub.timeutil import utcnow

    counts = sweep(utcnow())
    click.echo(f"released {counts['released']}, completed {counts['completed']}")


@click.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="retention period in days (default 90)")
@with_appcontext
def purge_command(days: int | None) -> None:
    """Erase booking subjects older than the retention period (bookings stay)."""
    from flask import current_app

    from hub.accounts.retention import LOGIN_RECORD_DAYS, purge_login_records
    from hub.booking.services.retention import purge_subjects
    from hub.timeutil import utcnow

    days = days or int(current_app.config["SUBJECT_RETENTION_DAYS"])
    count = purge_subjects(now=utcnow(), days=days)
    click.echo(f"erased {count} subjects of bookings that ended more than {days} days ago")
    attempts, sessions = purge_login_records(now=utcnow())
    click.echo(f"erased {attempts} login attempts older than {LOGIN_RECORD_DAYS} days and "
               f"{sessions} ended login sessions")


policy_cli = click.Group("policy", help="Booking rules per resource kind (or one resource).")


def _value(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text  # plain words and times such as 07:30


@policy_cli.command("show")
@click.argument("kind", type=click.Choice(["desk", "room", "landing_spot"]))
@click.option("--resource", "slug", default=None, help="one resource's slug")
@with_appcontext
def show_policy(kind: str, slug: str | None) -> None:
    """Print the rules that apply, one setting a line."""
    from hub.booking.policies import kind_policy, policy_of
    from hub.building.services import resource_by_ref

    policy = policy_of(resource_by_ref(slug)) if slug else kind_policy(kind)
    for item in fields(policy):
        click.echo(f"{item.name} = {getattr(policy, item.name)}")


@policy_cli.command("set")
@click.argument("kind", type=click.Choice(["desk", "room", "landing_spot"]))
@click.argument("settings", nargs=-1, required=True)
@click.option("--resource", "slug", default=None, help="only this resource (its slug)")
@with_appcontext
def set_policy_command(kind: str, settings: tuple[str, ...], slug: str | None) -> None:
    """Override settings, e.g. `hub policy set room max_minutes=240 opens=07:30`."""
    from hub.booking.models import BookingPolicy
    from hub.booking.policies import set_policy
    from hub.building.services import resource_by_ref
    from hub.db import write
    from hub.errors import HubError
    from hub.extensions import db

    pairs = [s.split("=", 1) for s in settings]
    if any(len(p) != 2 for p in pairs):
        raise click.UsageError("write each setting as NAME=VALUE")
    try:
        with write():
            resource_id = resource_by_ref(slug).id if slug else None
            row = db.session.query(BookingPolicy).filter_by(resource_kind=kind,
                                                            resource_id=resource_id).first()
            merged = {**(row.settings if row else {}), **{k: _value(v) for k, v in pairs}}
            set_policy(kind, merged, resource_id=resource_id)
    except HubError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"{kind}{' ' + slug if slug else ''}: {merged}")
