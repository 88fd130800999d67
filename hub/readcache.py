"""Answers of the heavy reads (availability of a day, the live board), kept until the next
write: exact, never a time-to-live guess.

Every process of one hub (the web workers, `hub worker`, the CLI) counts its committed writes
in one shared counter, a small file next to the instance (`read-version-<database>`): after
each DBAPI commit of a transaction that ran anything but a SELECT, the counter goes up. A
transaction notes the counter when it begins, before its first read; an answer built in it
is kept under that number, and served again only while the counter has not moved. So:
- a write that was counted before the reader began is in the reader's snapshot (the writer
  counts after its commit), and a write counted later moves the counter on, which makes the
  next request build afresh: a new booking shows at once, from any worker;
- a transaction that wrote itself (uncommitted) neither serves nor keeps an answer;
- writes to tables no kept answer reads (UNREAD_TABLES: token use, logins, audit) are not
  counted.

What this does not see: writes by a program outside the hub's engines (psql, another host on
the same PostgreSQL). The hub is one machine (docs/operations); after a manual change in the
database, restart the hub or set `HUB_READ_CACHE=0`.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine

from hub.extensions import db

T = TypeVar("T")
KEY = "hub.readcache"
ENTRIES = 32  # per process; an availability answer of 300 resources is about 450 KB
_READS = ("SELECT", "PRAGMA", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "SHOW",
          "EXPLAIN")
_VERSION = "hub_read_version"
# Tables no kept answer is built from: a token's last-used time (written once a minute per
# token), login records and audit entries do not move the counter. Anything else does,
# and so does every statement whose target is not plain to see (WITH ..., DDL).
UNREAD_TABLES = frozenset({"api_tokens", "login_attempts", "login_sessions", "audit_entries"})
_TARGET = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?[\s(]',
                     re.IGNORECASE)
_ALL: weakref.WeakSet[ReadCache] = weakref.WeakSet()


class SharedCounter:
    """A 64-bit counter in a file, shared by every process that opens the same path."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        # Closed with the counter (or by close()): a process that makes many apps (the tests)
        # would otherwise pile up descriptors past select()'s 1,024, where paho stops.
        self._finalizer = weakref.finalize(self, os.close, self.fd)

    def close(self) -> None:
        self._finalizer()

    def value(self) -> int:
        fcntl.flock(self.fd, fcntl.LOCK_SH)
        try:
            raw = os.pread(self.fd, 8, 0)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        return int.from_bytes(raw, "little") if len(raw) == 8 else 0

    def bump(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            raw = os.pread(self.fd, 8, 0)
            n = int.from_bytes(raw, "little") if len(raw) == 8 else 0
            os.pwrite(self.fd, (n + 1).to_bytes(8, "little"), 0)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)


class ReadCache:
    def __init__(self, counter: SharedCounter, enabled: bool) -> None:
        self.counter, self.enabled = counter, enabled
        self.entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self.lock = threading.Lock()
        self.wrote: set[int] = set()  # DBAPI connections with an uncommitted write
        self.building: dict[Hashable, threading.Lock] = {}  # the keys being built
        self.hits = self.misses = 0


def _path(app: Flask, engine: Engine) -> Path:
    url = engine.url.render_as_string(hide_password=True)
    name = hashlib.sha256(url.encode()).hexdigest()[:16]
    return Path(app.config.get("HUB_READ_VERSION_DIR") or app.instance_path) / (
        f"read-version-{name}")


def close(app: Flask) -> None:
    """Give back the counter's file of an app that is done (its engine disposed): what is
    kept is no longer served."""
    cache: ReadCache | None = app.extensions.get(KEY)
    if cache is not None:
        cache.enabled = False
        cache.entries.clear()
        cache.counter.close()


def install(app: Flask, engine: Engine) -> None:
    """Count this engine's committed writes in the shared counter, note the counter at the
    begin of each transaction (once per engine, before any request)."""
    setting = app.config.get("HUB_READ_CACHE", os.environ.get("HUB_READ_CACHE", "1"))
    enabled = str(setting).lower() not in ("0", "false", "no", "off")
    cache = ReadCache(SharedCounter(_path(app, engine)), enabled)
    _ALL.add(cache)
    app.extensions[KEY] = cache
    if event.contains(engine, "begin", _note_version):
        engine.dialect.__dict__.get("_hub_caches", []).append(cache)
        return
    caches = [cache]
    engine.dialect._hub_caches = caches  # type: ignore[attr-defined]
    # First among the begin listeners: the counter is read before SQLite's BEGIN (and so
    # before the snapshot of the transaction's first read).
    event.listen(engine, "begin", _note_version, insert=True)
    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "rollback", _forget_write)
    event.listen(engine, "reset", _forget_reset)
    commit = engine.dialect.do_commit

    def do_commit(connection: Any) -> None:
        commit(connection)  # the write is visible from here on; then count it
        key = id(getattr(connection, "dbapi_connection", connection))  # the pool's proxy
        for each in caches:
            if key in each.wrote:
                each.wrote.discard(key)
                each.counter.bump()

    engine.dialect.do_commit = do_commit  # type: ignore[method-assign,assignment]


def _caches(conn: Any) -> list[ReadCache]:
    return list(getattr(conn.dialect, "_hub_caches", []))


def _note_version(conn: Any) -> None:
    caches = _caches(conn)
    if caches:
        conn.info[_VERSION] = caches[0].counter.value()


def _note_write(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip()[:9].upper().startswith(_READS):
        return
    target = _TARGET.match(statement)
    if target is not None and target.group(1).lower() in UNREAD_TABLES:
        return
    key = id(conn.connection.dbapi_connection)
    for cache in _caches(conn):
        cache.wrote.add(key)


def _forget_write(conn: Any) -> None:
    if conn.invalidated:
        # The connection was cut (a database restart): its DBAPI connection is gone, and
        # asking for it would fail the rollback itself (a 500 instead of the 503). A stale
        # mark can only make a later connection build afresh, never serve an old answer.
        return
    key = id(conn.connection.dbapi_connection)
    for cache in _caches(conn):
        cache.wrote.discard(key)


def _forget_reset(dbapi_connection: Any, connection_record: Any, reset_state: Any) -> None:
    # The pool rolled back a connection given back (a transaction nobody ended).
    for cache in _ALL:
        cache.wrote.discard(id(dbapi_connection))


def cached(key: Hashable, build: Callable[[], T],
           still: Callable[[T], bool] = lambda _value: True) -> T:
    """`build()`'s answer for `key`, from the cache while no write was committed since it was
    built and `still(answer)` holds (in a transaction that wrote itself, always built
    afresh)."""
    cache: ReadCache | None = current_app.extensions.get(KEY)
    if cache is None or not cache.enabled:
        return build()
    conn = db.session.connection()  # begins the transaction (and notes the counter) if needed
    version = conn.info.get(_VERSION)
    if version is None or id(conn.connection.dbapi_connection) in cache.wrote:
        return build()
    kept = _kept(cache, key, version, still)
    if kept is not None:
        return kept[0]
    # One build per key at a time: the threads that asked meanwhile take its answer (when it
    # holds for their version) instead of building it again at the same moment.
    with cache.lock:
        building = cache.building.setdefault(key, threading.Lock())
    try:
        with building:
            kept = _kept(cache, key, version, still)
            if kept is not None:
                return kept[0]
            value = build()
            with cache.lock:
                cache.misses += 1
                entry = cache.entries.get(key)
                if entry is None or entry[0] <= version:  # never over a newer answer
                    cache.entries[key] = (version, value)
                    cache.entries.move_to_end(key)
                while len(cache.entries) > ENTRIES:
                    cache.entries.popitem(last=False)
            return value
    finally:
        with cache.lock:  # forget the lock once nobody waits on it (keys come and go)
            if cache.building.get(key) is building and not building.locked():
                del cache.building[key]


def _kept(cache: ReadCache, key: Hashable, version: int,
          still: Callable[[Any], bool]) -> tuple[Any] | None:
    with cache.lock:
        entry = cache.entries.get(key)
        if entry is not None and entry[0] == version and still(entry[1]):
            cache.entries.move_to_end(key)
            cache.hits += 1
            return (entry[1],)
    return None


def json_body(payload: Any) -> bytes:
    """The JSON text `jsonify` would send, encoded once (to keep it in the cache)."""
    return (current_app.json.dumps(payload, separators=(",", ":")) + "\n").encode()


def json_response(body: bytes) -> Any:
    return current_app.response_class(body, mimetype=current_app.json.mimetype)  # type: ignore[attr-defined]
