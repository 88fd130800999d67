"""The one unit of work: every writing use case runs inside `write()` (or `@transactional`).

SQLite in WAL mode refuses at once a deferred transaction that read and then wants to write
after another connection committed ("database is locked", which the busy timeout cannot
help). So a writer ends its read transaction and takes the write lock first
(`BEGIN IMMEDIATE`), before its first read; it commits once and rolls back on any error.
PostgreSQL needs no lock here: its constraints (and advisory locks where a count must stay
true) decide. Reads never take the write lock.

The writers of a SQLite file queue at a gate before BEGIN IMMEDIATE (a thread lock, then a
flock across processes; `_Gate`): SQLite's busy handler polls the file lock with sleeps of up
to 100 ms, so 16 threads of two gunicorn workers spinning on it left the lock idle between
writers (and timed out into 503s under load); the gate hands over at once. A writer that
does not pass the gate (another program) still meets SQLite's busy timeout.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from hub.errors import DatabaseBusy
from hub.extensions import db

P = ParamSpec("P")
R = TypeVar("R")
_DEPTH = "hub.unit_of_work.depth"
BEGIN_OPTION = "hub_sqlite_begin"
LOCK_WAIT_S = 15.0  # as long as SQLite's busy timeout (PRAGMA busy_timeout below)
log = logging.getLogger(__name__)
_GATE = "_hub_write_gate"  # the engine's _Gate, in the engine's own __dict__
_GATES_GUARD = threading.Lock()


class CommitThenRaise(Exception):
    """Raised inside a unit of work: keep what it wrote (a refusal row, an audit entry), then
    answer with `error`."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def commit_then_raise(error: Exception) -> CommitThenRaise:
    """`raise commit_then_raise(BookingConflict(...))`: the unit of work commits, then raises."""
    return CommitThenRaise(error)


def in_unit_of_work() -> bool:
    return bool(db.session.info.get(_DEPTH))


def is_locked(exc: BaseException) -> bool:
    """SQLite's write lock timed out (another writer held it past the busy timeout)."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def _busy() -> DatabaseBusy:
    return DatabaseBusy(_("The database is busy. Try again in a moment."))


class _Gate:
    """One writer at a time of one SQLite file: a thread lock within the process, then an
    advisory lock (flock) on `<file>-write.lock` across the processes. Both hand over at once
    (the next thread is woken; the other process polls every millisecond or two), where
    SQLite's busy handler sleeps up to 100 ms. Re-entrant in a thread: a thread that already
    writes meets SQLite's own lock, as before."""

    def __init__(self, path: str | None) -> None:
        self.path, self.lock = path, threading.RLock()
        self.fd, self.pid, self.depth = -1, 0, 0

    def close(self) -> None:
        if self.fd >= 0 and self.pid == os.getpid():
            os.close(self.fd)
        self.fd, self.pid = -1, 0

    def __del__(self) -> None:
        self.close()

    @contextmanager
    def held(self) -> Iterator[None]:
        if not self.lock.acquire(timeout=LOCK_WAIT_S):
            raise _busy()
        try:
            outermost = self.depth == 0 and self.path is not None
            if outermost:
                self._flock(time.monotonic() + LOCK_WAIT_S)
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if outermost:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.lock.release()

    def _flock(self, deadline: float) -> None:
        if self.pid != os.getpid():  # a forked child opens its own (flock is per open file)
            self.fd = os.open(self.path or "", os.O_RDWR | os.O_CREAT, 0o600)
            self.pid = os.getpid()
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _busy() from None
                time.sleep(pause)
                pause = min(pause * 2, 0.002)


def _gate(session: Any) -> _Gate:
    """The engine's gate (two engines on one file in a process still exclude each other:
    flock holds between open files, not only between processes)."""
    engine = session.get_bind()
    gate = engine.__dict__.get(_GATE)
    if gate is None:
        url = engine.url
        path = url.database if url.database and url.database != ":memory:" else None
        with _GATES_GUARD:
            gate = engine.__dict__.setdefault(_GATE, _Gate(f"{path}-write.lock" if path else None))
    return gate


def release(engine: Any) -> None:
    """Close the write gate's lock file of an engine that is done (disposed)."""
    gate = engine.__dict__.pop(_GATE, None)
    if gate is not None:
        gate.close()


@contextmanager
def write() -> Iterator[None]:
    """Run the enclosed writes as one transaction: lock (SQLite), commit once, roll back on
    error. Nested calls join the outer unit of work."""
    session = db.session
    depth = session.info.get(_DEPTH, 0)
    if depth:
        session.info[_DEPTH] = depth + 1
        try:
            yield
        finally:
            session.info[_DEPTH] = depth
        return
    # End the read transaction: a SQLite reader cannot safely upgrade to a writer. (Commit,
    # not roll back: a caller outside any use case, a test or a seed, may have added rows;
    # with nothing pending, the loaded objects are kept, as on PostgreSQL.)
    # PostgreSQL reads the latest commits at every statement anyway: with nothing pending it
    # goes on in the same transaction, which keeps what the request loaded (the caller, its
    # organisation) and saves the round trips of a new transaction on the hot path.
    if session.new or session.dirty or session.deleted:
        session.commit()
    elif _sqlite(session):
        _end_read(session)
    sqlite = _sqlite(session)
    with _gate(session).held() if sqlite else nullcontext():
        session.info[_DEPTH] = 1
        try:
            try:
                if sqlite:
                    session.connection(execution_options={BEGIN_OPTION: "BEGIN IMMEDIATE"})
                yield
                session.commit()
            except CommitThenRaise as keep:
                session.commit()
                raise keep.error from None
        except OperationalError as exc:
            session.rollback()
            if is_locked(exc):
                raise _busy() from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info[_DEPTH] = 0


def _end_read(session: Any) -> None:
    """End a read transaction that wrote nothing, keeping what it loaded (the caller, its
    organisation): as on PostgreSQL, the objects of the request stay, and the use case does
    not load them again inside the write lock. Its own queries see the latest commits."""
    actual = session()  # the thread's Session behind the scoped_session
    keep = actual.expire_on_commit
    actual.expire_on_commit = False
    try:
        actual.commit()
    finally:
        actual.expire_on_commit = keep


def _sqlite(session: Any) -> bool:
    return bool(session.get_bind().dialect.name == "sqlite")


def transactional(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate a writing use case: its whole body runs inside `write()`."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with write():
            return function(*args, **kwargs)

    return run


def end_session(_error: BaseException | None = None) -> None:
    """End the request's session (teardown). A connection cut by a database restart after
    the answer was made fails the closing rollback: the connection is invalidated and the
    pool replaces it, so the request keeps its answer (a 503 already, or its success)."""
    try:
        db.session.remove()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("database connection lost at the end of a request: %s", exc.orig)
        db.session.registry.clear()


def install(engine: Engine) -> None:
    """Bind the SQLite pragmas and the BEGIN handling to this app's engine (not to the Engine
    class, so another library's engine in the same process is left alone)."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _sqlite_pragmas):
        return
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    event.listen(engine, "set_connection_execution_options", _carry_begin_option)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # WAL lets readers work beside the one writer; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # pysqlite's own transaction handling breaks SAVEPOINTs (a released savepoint commits);
    # let SQLAlchemy emit BEGIN itself (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None


def _carry_begin_option(conn: Any, opts: dict[str, Any]) -> None:
    if BEGIN_OPTION in opts:
        conn.info[BEGIN_OPTION] = opts[BEGIN_OPTION]


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql(conn.info.pop(BEGIN_OPTION, "BEGIN"))
