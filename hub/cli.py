"""The `hub` admin CLI: the Flask CLI group of the app plus the hub's own commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from hub.accounts.roles import ROLES
from hub.config import ConfigError


def _create_app() -> Flask:
    from hub import create_app

    try:
        return create_app()
    except ConfigError as exc:
        click.echo(f"configuration error: {exc}", err=True)
        sys.exit(2)


def main() -> None:
    """Entry point of the `hub` console script."""
    group = FlaskGroup(create_app=_create_app, help="The booking hub's admin commands.")
    group.main(prog_name="hub")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _report(report: object) -> None:
    from hub.csvimport import ImportReport

    assert isinstance(report, ImportReport)
    if report.ok:
        click.echo(f"imported {report.created} rows")
        return
    click.echo("nothing imported; bad rows:", err=True)
    for line in report.lines():
        click.echo(f"  {line}", err=True)
    sys.exit(1)


users_cli = click.Group("users", help="Manage users.")
tokens_cli = click.Group("tokens", help="Personal API tokens.")
orgs_cli = click.Group("orgs", help="Organisations.")
import_cli = click.Group("import", help="CSV imports (all rows or none).")
seed_cli = click.Group("seed", help="Seed data.")


@users_cli.command("create")
@click.argument("email")
@click.option("--org", "org_slug", required=True, help="organisation slug")
@click.option("--role", required=True,
              type=click.Choice(ROLES))
@click.option("--name", default=None)
@click.option("--language", default="nl", type=click.Choice(["nl", "en"]))
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@with_appcontext
def create_user(email: str, org_slug: str, role: str, name: str | None, language: str,
                password_stdin: bool) -> None:
    """Create a user; without --password-stdin an invitation link is printed."""
    from hub.accounts import services
    from hub.db import write
    from hub.errors import HubError
    from hub.links import invite_url
    from hub.timeutil import utcnow

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        with write():
            user = services.create_user(email=email, organisation_slug=org_slug, role=role,
                                        name=name, language=language, password=password,
                                        now=utcnow())
            link = None
            if password is None:
                token = services.create_invitation(user, actor_id=None, now=utcnow(),
                                                   valid_days=7)
                link = invite_url(token)
    except HubError as exc:
        _fail(exc.message)
        return
    click.echo(f"created {user.email} ({user.role}, {user.organisation.slug})")
    if link:
        click.echo(f"invitation link (valid 7 days): {link}")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", default="CLI")
@with_appcontext
def create_token(email: str, name: str) -> None:
    """Create a personal API token; it is printed alone on the last line."""
    from hub.accounts import services
    from hub.errors import HubError
    from hub.timeutil import utcnow

    try:
        user = services.user_by_email(email)
        token = services.create_token(user.id, name=name, now=utcnow(), channel="cli")
    except HubError as exc:
        _fail(exc.message)
        return
    click.echo(f"token for {user.email} (shown once):")
    click.echo(token)


@orgs_cli.command("list")
@with_appcontext
def list_orgs() -> None:
    """slug, kind, name; one a line."""
    from hub.accounts.models import Organisation
    from hub.extensions import db

    for org in db.session.scalars(select(Organisation).order_by(Organisation.slug)):
        click.echo(f"{org.slug}\t{org.kind}\t{org.name}")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror}")
        return b""


@import_cli.command("organisations")
@click.argument("file")
@with_appcontext
def import_organisations(file: str) -> None:
    """Columns: slug, name, kind."""
    from hub.accounts.imports import import_organisations as run
    from hub.timeutil import utcnow

    _report(run(_read(file), now=utcnow()))


@import_cli.command("users")
@click.argument("file")
@with_appcontext
def import_users(file: str) -> None:
    """Columns: email, organisation, role[, name, language]."""
    from hub.accounts.imports import import_users as run
    from hub.timeutil import utcnow

    _report(run(_read(file), now=utcnow()))


@import_cli.command("resources")
@click.argument("file")
@with_appcontext
def import_resources(file: str) -> None:
    """Columns: slug, name, kind, site, floor[, capacity, amenities, privacy, ...]."""
    from hub.building.imports import import_resources as run
    from hub.timeutil import utcnow

    _report(run(_read(file), now=utcnow()))


@seed_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="do nothing when organisations exist")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Seed the demo building (organisations, people, rooms, history)."""
    from hub.accounts.models import Organisation
    from hub.demo.seed import DEMO_PASSWORD, seed
    from hub.extensions import db

    if db.session.scalar(select(Organisation).limit(1)) is not None:
        if if_empty:
            click.echo("database has data; demo seed skipped")
            return
        _fail("the database is not empty; seed a fresh database")
    logins = seed()
    click.echo(f"demo building seeded; every demo login uses the password {DEMO_PASSWORD}")
    for email, role in logins:
        click.echo(f"  {role:<12} {email}")


def register(app: Flask) -> None:
    """Add the hub's command groups to the app's CLI."""
    from hub.demo.live import demo_cli
    from hub.sensors.cli import sensors_cli
    from hub.worker import worker_command

    for group in (users_cli, tokens_cli, orgs_cli, import_cli, seed_cli, sensors_cli,
                  worker_command, demo_cli):
        app.cli.add_command(group)
