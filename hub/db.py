"""The one unit of work: every writing use case runs inside `write()` (or `@transactional`).

SQLite in WAL mode refuses at once a deferred transaction that read and then wants to write
after another connection committed ("database is locked", which the busy timeout cannot
help). So a writer ends its read transaction and takes the write lock first
(`BEGIN IMMEDIATE`), before its first read; it commits once and rolls back on any error.
PostgreSQL needs no lock here: its constraints (and advisory locks where a count must stay
true) decide. Reads never take the write lock.

Within one process the writers of a SQLite file queue on a thread lock before BEGIN
IMMEDIATE: SQLite's busy handler polls the file lock with sleeps of up to 100 ms, so 8
threads of a gunicorn worker spinning on it left the lock idle between writers (and timed
out into 503s under load); a thread lock hands over at once, and only one writer per process
waits on the file lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from hub.errors import DatabaseBusy
from hub.extensions import db

P = ParamSpec("P")
R = TypeVar("R")
_DEPTH = "hub.unit_of_work.depth"
BEGIN_OPTION = "hub_sqlite_begin"
LOCK_WAIT_S = 15.0  # as long as SQLite's busy timeout (PRAGMA busy_timeout below)
_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


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


def _write_lock(session: Any) -> threading.RLock:
    """The process's lock of this SQLite file (re-entrant: a thread that already writes
    meets SQLite's own lock, as before)."""
    key = str(session.get_bind().url)
    lock = _WRITE_LOCKS.get(key)
    if lock is None:
        with _WRITE_LOCKS_GUARD:
            lock = _WRITE_LOCKS.setdefault(key, threading.RLock())
    return lock


@contextmanager
def _queued(session: Any) -> Iterator[None]:
    """Wait for this process's other writers of the SQLite file (503 after the busy timeout)."""
    lock = _write_lock(session)
    if not lock.acquire(timeout=LOCK_WAIT_S):
        raise _busy()
    try:
        yield
    finally:
        lock.release()


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
    # not roll back: a caller outside any use case, a test or a seed, may have added rows.)
    # PostgreSQL reads the latest commits at every statement anyway: with nothing pending it
    # goes on in the same transaction, which keeps what the request loaded (the caller, its
    # organisation) and saves the round trips of a new transaction on the hot path.
    if _sqlite(session) or session.new or session.dirty or session.deleted:
        session.commit()
    sqlite = _sqlite(session)
    with _queued(session) if sqlite else nullcontext():
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


def _sqlite(session: Any) -> bool:
    return bool(session.get_bind().dialect.name == "sqlite")


def transactional(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate a writing use case: its whole body runs inside `write()`."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with write():
            return function(*args, **kwargs)

    return run


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
