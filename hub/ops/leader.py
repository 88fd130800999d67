"""Run each periodic job once per interval across every `hub worker`, not once per worker.

A job's row in `periodic_job_runs` is its lease. Claiming it is one short transaction that
locks the row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's write lock, BEGIN IMMEDIATE,
serialises every writer anyway) and takes it only when the interval has passed since the
last start and no other worker is still running it. A worker killed mid-job never finishes
its run: its lease lapses after RUNNING_LEASE and another worker takes over (the job itself
is one transaction, so the killed run left nothing half done).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub.db import write
from hub.extensions import db
from hub.ops.models import JobRun

# How long a started run may take before its worker counts as dead; at least twice the
# interval, so a slow run is never started a second time beside itself.
MIN_RUNNING_LEASE = timedelta(minutes=2)


def running_lease(interval_s: float) -> timedelta:
    return max(MIN_RUNNING_LEASE, timedelta(seconds=2 * interval_s))


def _locked_row(name: str) -> JobRun:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(JobRun.__table__).values(
        name=name, holder="", runs=0, failures=0, last_error="").on_conflict_do_nothing())
    row = db.session.scalar(select(JobRun).where(JobRun.name == name).with_for_update()
                            .execution_options(populate_existing=True))
    assert row is not None
    return row


def _running(row: JobRun) -> bool:
    return row.started_at is not None and (row.finished_at is None
                                           or row.finished_at < row.started_at)


def claim(name: str, interval_s: float, *, now: datetime, holder: str) -> bool:
    """Take the job's run for this interval; False when it is not due or another worker
    runs it."""
    with write():
        row = _locked_row(name)
        if row.started_at is not None:
            wait = running_lease(interval_s) if _running(row) else timedelta(seconds=interval_s)
            if now < row.started_at + wait:
                return False
        row.started_at, row.holder = now, holder
        return True


def finish(name: str, *, now: datetime, holder: str, error: str | None = None) -> None:
    """Record the end of this worker's run (a lease taken over meanwhile is left alone)."""
    with write():
        row = _locked_row(name)
        if row.holder != holder:
            return
        row.finished_at = now
        row.runs += 1
        if error is None:
            row.succeeded_at, row.last_error = now, ""
        else:
            row.failures += 1
            row.last_error = error[:500]
