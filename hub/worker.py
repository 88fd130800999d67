"""`hub worker`: the sensor ingest plus periodic jobs of any package.

Packages register a `PeriodicJob` on the app's registry (hub.registries; booking adds its
auto-release sweep, mail its retries); sensors never import them, and the web process never
runs this.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from hub.extensions import db
from hub.registries import PeriodicJob, registry

__all__ = ["PeriodicJob", "run_due", "run_periodic", "worker_command"]

log = logging.getLogger("hub.worker")


def run_due(app: Flask, last_run: dict[str, float], clock: Callable[[], float] = time.monotonic,
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> list[str]:
    """Run every job whose interval has passed; a failing job is logged, never fatal."""
    ran = []
    for job in registry(app).items("periodic_jobs"):
        if clock() - last_run.get(job.name, float("-inf")) < job.interval_s:
            continue
        last_run[job.name] = clock()
        with app.app_context():
            try:
                job.run(now())
                ran.append(job.name)
            except Exception:
                db.session.rollback()
                log.exception("periodic job %s failed", job.name)
            finally:
                db.session.remove()
    return ran


def run_periodic(app: Flask, stop: threading.Event, tick_s: float = 1.0) -> None:
    """Loop until `stop` is set."""
    last_run: dict[str, float] = {}
    while not stop.is_set():
        run_due(app, last_run)
        stop.wait(tick_s)


@click.command("worker")
@click.option("--client-id", default="hub-ingest-1", show_default=True,
              help="fixed MQTT client id; each worker needs its own")
@click.option("--shared", is_flag=True, help="share the event subscription with other workers")
@with_appcontext
def worker_command(client_id: str, shared: bool) -> None:
    """The sensor ingest plus the periodic jobs (auto-release sweep, mail retries, ...)."""
    from hub.sensors.cli import run_ingest, worker_options

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    log.info("periodic jobs: %s", ", ".join(registry(app).names("periodic_jobs")) or "none")
    run_ingest(app, worker_options(app, client_id=client_id, shared=shared),
               beside=lambda stop: run_periodic(app, stop))
