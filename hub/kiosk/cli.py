"""`hub kiosk enrol NAME` (prints the credential once), `hub kiosk list`, `hub kiosk revoke`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

kiosk_cli = click.Group("kiosk", help="Kiosks at the entrance (and wall screens).")


@kiosk_cli.command("enrol")
@click.argument("name")
@click.option("--location", default="", help="where it stands, e.g. 'Entrance, ground floor'")
@with_appcontext
def enrol_command(name: str, location: str) -> None:
    """Enrol a kiosk; its credential is printed alone on the last line, once."""
    from hub.errors import HubError
    from hub.kiosk.services import enrol_kiosk
    from hub.timeutil import utcnow

    try:
        kiosk, credential = enrol_kiosk(name=name, location=location, now=utcnow())
    except HubError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"Kiosk {kiosk.name} enrolled. Keep this credential: it is shown only once.")
    click.echo("Paste it on the kiosk's /kiosk page (or open /kiosk#credential=... there).")
    click.echo(credential)


@kiosk_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Name, location, last seen and status, one kiosk a line."""
    from hub.extensions import db
    from hub.kiosk.models import Kiosk
    from hub.timeutil import rfc3339

    for kiosk in db.session.scalars(select(Kiosk).order_by(Kiosk.name)):
        state = "active" if kiosk.active else "revoked"
        click.echo(f"{kiosk.name}\t{kiosk.location}\t{rfc3339(kiosk.last_seen_at) or 'never'}"
                   f"\t{state}")


@kiosk_cli.command("revoke")
@click.argument("name")
@with_appcontext
def revoke_command(name: str) -> None:
    """Revoke a kiosk's credential at once."""
    from hub.errors import HubError
    from hub.kiosk.services import revoke_kiosk
    from hub.kiosk.services.enrol import kiosk_by_name
    from hub.timeutil import utcnow

    try:
        revoke_kiosk(kiosk_id=kiosk_by_name(name).id, now=utcnow(), channel="cli")
    except HubError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"Kiosk {name} revoked.")
