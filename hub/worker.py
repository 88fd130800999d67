"""`hub worker`: the sensor ingest plus periodic jobs of any package.

Packages register a `PeriodicJob` on the app's registry (hub.registries; booking adds its
auto-release sweep, mail its retries); sensors never import them, and the web process never
runs this.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from hub.extensions import db
from hub.registries import PeriodicJob, registry

if TYPE_CHECKING:
    from hub.sensors.worker import IngestWorker

__all__ = ["PeriodicJob", "run_due", "run_periodic", "worker_command"]

log = logging.getLogger("hub.worker")


def run_due(app: Flask, last_run: dict[str, float], clock: Callable[[], float] = time.monotonic,
            now: Callable[[], datetime] = lambda: datetime.now(UTC),
            holder: str | None = None) -> list[str]:
    """Run every job whose interval has passed and whose lease this worker gets (hub.ops.leader:
    once per interval across all workers); a failing job is logged, never fatal."""
    from hub.ops import leader

    me = holder or default_holder()
    ran = []
    for job in registry(app).items("periodic_jobs"):
        if clock() < last_run.get(job.name, float("-inf")):
            continue
        with app.app_context():
            try:
                mine = leader.claim(job.name, job.interval_s, now=now(), holder=me)
            except Exception:
                db.session.rollback()
                log.exception("periodic job %s: could not claim its run", job.name)
                mine = False
            finally:
                db.session.remove()
        # Not ours (another worker ran it): look again soon, it may die meanwhile.
        last_run[job.name] = clock() + (job.interval_s if mine else min(job.interval_s, 10.0))
        if mine:
            _run_claimed(app, job, me, now)
            ran.append(job.name)
    return ran


def _run_claimed(app: Flask, job: PeriodicJob, holder: str,
                 now: Callable[[], datetime]) -> None:
    from hub.ops import leader

    with app.app_context():
        error = None
        try:
            job.run(now())
        except Exception as exc:
            db.session.rollback()
            error = f"{type(exc).__name__}: {exc}"
            log.exception("periodic job %s failed", job.name)
        try:
            leader.finish(job.name, now=now(), holder=holder, error=error)
        except Exception:
            db.session.rollback()
            log.exception("periodic job %s: could not record its run", job.name)
        finally:
            db.session.remove()


def default_holder(client_id: str | None = None) -> str:
    """Who runs a job, as /metrics and the job table show it."""
    return f"{client_id or 'hub-worker'}@{socket.gethostname()}:{os.getpid()}"


def run_periodic(app: Flask, stop: threading.Event, tick_s: float = 1.0,
                 holder: str | None = None) -> None:
    """Loop until `stop` is set."""
    last_run: dict[str, float] = {}
    while not stop.is_set():
        run_due(app, last_run, holder=holder)
        stop.wait(tick_s)


@click.command("worker")
@click.option("--client-id", default="hub-ingest-1", show_default=True,
              help="fixed MQTT client id; each worker needs its own")
@click.option("--shared", is_flag=True, help="share the event subscription with other workers")
@click.option("--health-port", type=int, default=None,
              help="serve /healthz, /readyz and /metrics of this worker on 127.0.0.1:PORT")
@with_appcontext
def worker_command(client_id: str, shared: bool, health_port: int | None) -> None:
    """The sensor ingest plus the periodic jobs (auto-release sweep, mail retries, ...)."""
    from hub.sensors.cli import run_ingest, worker_options

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    log.info("periodic jobs: %s", ", ".join(registry(app).names("periodic_jobs")) or "none")
    run_ingest(app, worker_options(app, client_id=client_id, shared=shared),
               beside=lambda stop: run_periodic(app, stop, holder=default_holder(client_id)),
               on_start=(lambda w: _serve_probes(app, w, health_port)) if health_port else None)


def _serve_probes(app: Flask, worker: IngestWorker, port: int) -> None:
    from hub.ops.worker_http import WorkerProbes, serve

    def counters() -> dict[str, float]:
        return {**{f"ingest_{k}_total": float(v) for k, v in worker.stats.items()},
                "ingest_messages_queued": float(worker.queue.qsize())}

    serve(WorkerProbes(app, worker.connected.is_set, counters), "127.0.0.1", port)
    log.info("worker probes on 127.0.0.1:%d", port)
