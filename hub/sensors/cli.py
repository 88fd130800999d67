"""`hub sensors listen` (the ingest worker alone) and `hub sensors demo-bridge-config PATH`."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from hub.sensors.worker import IngestWorker, WorkerOptions

log = logging.getLogger("hub.sensors")
sensors_cli = click.Group("sensors", help="The sensor ingest worker and sensor tools.")


def worker_options(app: Flask, *, client_id: str, shared: bool) -> WorkerOptions:
    return WorkerOptions(url=app.config["HUB_MQTT_URL"], prefix=app.config["HUB_MQTT_PREFIX"],
                         client_id=client_id, shared=shared,
                         ca_file=app.config.get("HUB_MQTT_CA_FILE")
                         or os.environ.get("HUB_MQTT_CA_FILE"))


def run_ingest(app: Flask, options: WorkerOptions,
               beside: Callable[[threading.Event], None] | None = None,
               on_start: Callable[[IngestWorker], None] | None = None) -> None:
    """Run the ingest (and `beside`, e.g. periodic jobs) until SIGTERM or SIGINT;
    `on_start` sees the running worker (the worker's health probes read its state)."""
    stop = threading.Event()

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    worker = IngestWorker(app, options)
    worker.start()
    if on_start:
        on_start(worker)
    log.info("ingest worker %s listening on %s", options.client_id, options.url.split("@")[-1])
    side = threading.Thread(target=beside, args=(stop,), daemon=True) if beside else None
    if side:
        side.start()
    while not stop.wait(60.0):
        log.info("ingest: %s", dict(worker.stats))
    worker.stop()
    if side:
        side.join(10)


def client_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option("--client-id", default="hub-ingest-1", show_default=True,
                           help="fixed MQTT client id; each worker needs its own")(command)
    return click.option("--shared", is_flag=True,
                        help="use the shared subscription $share/hub-ingest/... so several "
                             "workers split the events")(command)


@sensors_cli.command("listen")
@client_options
@with_appcontext
def listen(client_id: str, shared: bool) -> None:
    """Store sensor events from the broker at HUB_MQTT_URL until stopped (ingest only)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_ingest(app, worker_options(app, client_id=client_id, shared=shared))


@sensors_cli.command("demo-bridge-config")
@click.argument("path")
@click.option("--gateway", default="gw-demo", show_default=True)
@click.option("--client-id", default="hub-ingest-1", show_default=True,
              help="the worker whose broker session is opened now")
@with_appcontext
def demo_bridge_config(path: str, gateway: str, client_id: str) -> None:
    """Write a firmware-bridge simulate config for the demo devices in the database, and
    open the worker's broker session so no simulated event is missed while it starts."""
    from hub.sensors.demo import bridge_config
    from hub.sensors.worker import open_session

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    outbox = Path(current_app.instance_path) / "demo-bridge-outbox.sqlite3"
    text = bridge_config(gateway_id=gateway, hub_url=current_app.config["HUB_MQTT_URL"],
                         prefix=current_app.config["HUB_MQTT_PREFIX"], outbox=outbox)
    if text is None:
        raise click.ClickException("no demo sensor devices in the database (hub seed demo)")
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target}")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not open_session(worker_options(app, client_id=client_id, shared=False)):
        click.echo("note: no broker answered; the worker's session opens when it starts")


# The registry commands (list, assign, timeout) join this group.
from hub.sensors import cli_registry  # noqa: E402,F401
