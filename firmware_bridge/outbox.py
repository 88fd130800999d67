"""The on-disk outbox: every event is stored here before it is published, and leaves only
when the hub broker acknowledged it (PUBACK). Replay is in insertion order."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from firmware_bridge.events import DEFAULT_PREFIX, CanonicalEvent, encode, new_event_id

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    payload BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS device_seq (
    device_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letter (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    payload BLOB NOT NULL,
    reason TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Row:
    """One stored message, ready to publish."""

    id: int
    topic: str
    payload: bytes


class Outbox:
    """A SQLite (WAL) queue shared by the source threads and the publisher thread."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a stored event survives a power cut, not only a crash of the bridge.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def add_event(self, event: CanonicalEvent, *, gateway_id: str,
                  prefix: str = DEFAULT_PREFIX) -> str:
        """Give `event` an event_id and the device's next seq, store it; return the id."""
        event_id = new_event_id()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                seq = self._next_seq(event.device_id)
                topic, payload = encode(event, gateway_id=gateway_id, event_id=event_id,
                                        seq=seq, prefix=prefix)
                self._insert(topic, payload)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return event_id

    def add(self, topic: str, payload: bytes) -> int:
        """Store a ready-made message; return its row id."""
        with self._lock:
            return self._insert(topic, payload)

    def _insert(self, topic: str, payload: bytes) -> int:
        cursor = self._db.execute(
            "INSERT INTO outbox (topic, payload, created_at) VALUES (?, ?, ?)",
            (topic, payload, datetime.now(UTC).isoformat()),
        )
        return int(cursor.lastrowid or 0)

    def _next_seq(self, device_id: str) -> int:
        row = self._db.execute(
            "INSERT INTO device_seq (device_id, seq) VALUES (?, 1) "
            "ON CONFLICT (device_id) DO UPDATE SET seq = seq + 1 RETURNING seq",
            (device_id,),
        ).fetchone()
        return int(row[0])

    def pending(self, after_id: int = 0, limit: int = 100) -> list[Row]:
        """Stored messages with an id above `after_id`, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, topic, payload FROM outbox WHERE id > ? ORDER BY id LIMIT ?",
                (after_id, limit),
            ).fetchall()
        return [Row(int(r[0]), str(r[1]), bytes(r[2])) for r in rows]

    def remove(self, ids: Iterable[int]) -> None:
        """Delete acknowledged messages, in one transaction."""
        batch = [(i,) for i in ids]
        if not batch:
            return
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM outbox WHERE id = ?", batch)
            self._db.execute("COMMIT")

    def bury(self, row_id: int, reason: str) -> None:
        """Move a message the broker refused (e.g. not authorised) to the dead-letter table."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT OR REPLACE INTO dead_letter (id, topic, payload, reason, failed_at) "
                "SELECT id, topic, payload, ?, ? FROM outbox WHERE id = ?",
                (reason, datetime.now(UTC).isoformat(), row_id),
            )
            self._db.execute("DELETE FROM outbox WHERE id = ?", (row_id,))
            self._db.execute("COMMIT")

    def depth(self) -> int:
        """How many messages wait for an acknowledgement."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def dead_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM dead_letter").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
