"""A worker process whose sweep pauses inside its transaction, for the kill test:

    python -m tests.faults.slow_sweep_worker DB_URL MARKER NOW_ISO

It runs the real `run_due` of `hub worker` with only the booking sweep; a booking listener
(called inside the sweep's unit of work, before the commit) touches MARKER and sleeps, so
the test can SIGKILL the process mid-sweep."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

from hub import create_app
from hub.registries import registry
from hub.worker import run_due
from tests.hub_fixtures import _config


def main(url: str, marker: str, now_iso: str) -> None:
    app = create_app(_config(url))
    hub_registry = registry(app)
    for name in hub_registry.names("periodic_jobs"):
        if name != "booking.sweep":
            hub_registry.remove("periodic_jobs", name)

    def pause(event: str, bookings: list[object], now: datetime) -> None:
        if event == "released" and bookings:
            Path(marker).write_text(str(len(bookings)))
            time.sleep(30)

    hub_registry.add("booking_listeners", "test.pause", pause, order=0)
    now = datetime.fromisoformat(now_iso)
    run_due(app, {}, now=lambda: now, holder="doomed-worker")


if __name__ == "__main__":
    main(*sys.argv[1:4])
