"""`hub sensors list`, `hub sensors assign DEVICE RESOURCE [--from DATE]` and
`hub sensors timeout`: the device registry from the command line (audited, channel cli)."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from hub.errors import HubError
from hub.sensors import queries
from hub.sensors.assignments import Actor, assign_device, set_device_timeout, set_model_timeout
from hub.sensors.cli import sensors_cli
from hub.sensors.timeparse import parse_from
from hub.timeutil import rfc3339, utcnow

CLI_ACTOR = Actor(id=None, label="cli", channel="cli")
NONE_WORDS = ("none", "-", "")


def _from(value: str | None, now: datetime) -> datetime:
    moment = parse_from(value, now, current_app.config.get("HUB_TIMEZONE", "Europe/Amsterdam"))
    if moment is None:
        raise click.BadParameter("give a date YYYY-MM-DD or an RFC 3339 instant with offset",
                                 param_hint="--from")
    return moment


def _run(action):  # type: ignore[no-untyped-def]
    try:
        return action()
    except HubError as exc:
        raise click.ClickException(exc.message) from None


@sensors_cli.command("list")
@with_appcontext
def list_devices() -> None:
    """Every sensor: id, gateway, kind, type, resource now, state now, vendor timeout."""
    rows = queries.device_rows(utcnow())
    for row in rows:
        d = row["device"]
        click.echo("\t".join(str(v) for v in (
            d.device_id, d.gateway_id or "-", d.kind, d.sensor_type, row["resource"] or "-",
            row["state"], f"{row['timeout_s']}s({row['timeout_source']})",
            rfc3339(d.last_seen) or "-")))
    if not rows:
        click.echo("no sensors yet")


@sensors_cli.command("assign")
@click.argument("device")
@click.argument("resource")
@click.option("--from", "start", help="YYYY-MM-DD (local) or an RFC 3339 instant; default now")
@with_appcontext
def assign(device: str, resource: str, start: str | None) -> None:
    """Assign DEVICE to RESOURCE (slug or id; `none` to unassign) from --from on."""
    now = utcnow()
    valid_from = _from(start, now)
    ref = None if resource.strip().lower() in NONE_WORDS else resource
    _run(lambda: assign_device(device, ref, valid_from=valid_from, actor=CLI_ACTOR, now=now))
    target = ref or "nothing"
    click.echo(f"{device} assigned to {target} from {rfc3339(valid_from)}")


@sensors_cli.command("timeout")
@click.argument("seconds")
@click.option("--device", help="this device (used when its vendor reports no timeout)")
@click.option("--model", help="every device of this model (when the device says nothing)")
@with_appcontext
def timeout(seconds: str, device: str | None, model: str | None) -> None:
    """Set (or with `none` clear) the vendor's own timeout for a device or a model."""
    if (device is None) == (model is None):
        raise click.UsageError("give exactly one of --device and --model")
    try:
        value = None if seconds.strip().lower() in NONE_WORDS else int(seconds)
    except ValueError:
        raise click.BadParameter("whole seconds or none", param_hint="SECONDS") from None
    now = utcnow()
    if device is not None:
        _run(lambda: set_device_timeout(device, value, actor=CLI_ACTOR, now=now))
    else:
        _run(lambda: set_model_timeout(str(model), value, actor=CLI_ACTOR, now=now))
    click.echo(f"vendor timeout of {device or model}: {value if value else 'default'}")
