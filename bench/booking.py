"""Contended booking: 2,000 attempts at 20 rooms x 10 hourly slots of one day.

Over HTTP (POST /api/v1/bookings, one keep-alive connection and one personal token per
client) and, as the baseline, the same check-and-insert done directly with SQL at the same
concurrency (SQLite: BEGIN IMMEDIATE; PostgreSQL: the exclusion constraint decides). Each
run books on a day of its own; afterwards the database is asked how many bookings of that
day overlap another (double bookings: must be 0).
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.client import Outcome, Session, drive
from bench.databases import BenchDatabase
from bench.history import CODE_ALPHABET, Person, sqlite_text

TZ = ZoneInfo("Europe/Amsterdam")
ATTEMPTS = 2000
HOURS = range(8, 18)  # 10 hourly slots
Attempt = tuple[int, datetime, datetime]


def attempts(rooms: list[int], day: date, seed: int) -> list[Attempt]:
    """Every slot is tried ATTEMPTS / 200 times, in a shuffled order."""
    slots = []
    for room in rooms:
        for hour in HOURS:
            start = datetime.combine(day, time(hour), TZ).astimezone(UTC)
            slots.append((room, start, start + timedelta(hours=1)))
    tries = [slots[i % len(slots)] for i in range(ATTEMPTS)]
    random.Random(seed).shuffle(tries)
    return tries


@dataclass
class Booked:
    """The outcome of one contended run, with what the database holds afterwards."""

    outcome: Outcome
    successes: int
    conflicts: int
    errors: int
    stored: int  # active bookings of that day in the contended rooms
    doubles: int  # of them, the ones overlapping another
    deadlocks: int = 0

    @property
    def correct(self) -> bool:
        return (self.doubles == 0 and self.errors == 0 and self.stored == self.successes
                and self.successes + self.conflicts == self.outcome.count)


def _conflict_or_created(status: int, body: bytes) -> str | None:
    if status == 201:
        return None if b'"id"' in body else f"201 without an id: {body[:200]!r}"
    if status == 409:
        return None if b"booking_conflict" in body else f"409: {body[:200]!r}"
    return f"{status}: {body[:300]!r}"


def over_http(port: int, people: list[Person], tries: list[Attempt]) -> Outcome:
    sessions = [Session(port, {"Authorization": f"Bearer {p.token}"}) for p in people]
    jobs = (("POST", "/api/v1/bookings", json.dumps({
        "resource": room, "start": start.isoformat().replace("+00:00", "Z"),
        "end": end.isoformat().replace("+00:00", "Z")}).encode()) for room, start, end in tries)
    try:
        return drive(sessions, jobs, limit=len(tries), seconds=300,
                     check=_conflict_or_created)
    finally:
        for s in sessions:
            s.close()


def counted(database: BenchDatabase, rooms: list[int], day: date, outcome: Outcome,
            deadlocks: int = 0) -> Booked:
    """Count what the database holds for the contended rooms on that day."""
    first = datetime.combine(day, time(0), TZ).astimezone(UTC)
    window = {"a": first, "b": first + timedelta(days=1)}
    ids = ", ".join(str(r) for r in rooms)

    def active(b: str) -> str:
        return (f"{b}.status IN ('booked', 'checked_in') AND {b}.resource_id IN ({ids}) "
                f"AND {b}.start >= :a AND {b}.start < :b")

    engine = database.engine()
    if database.dialect == "sqlite":
        window = {k: sqlite_text(v) for k, v in window.items()}
    with engine.connect() as conn:
        # The SQL is built from the bench's own room ids, never from input.
        counting = f"SELECT count(*) FROM bookings x WHERE {active('x')}"  # noqa: S608
        stored = conn.execute(text(counting), window).scalar_one()
        doubles = conn.execute(text(
            f"SELECT count(*) FROM bookings x WHERE {active('x')} "  # noqa: S608
            "AND EXISTS (SELECT 1 FROM bookings y WHERE y.resource_id = x.resource_id "
            "AND y.id != x.id AND y.status IN ('booked', 'checked_in') "
            'AND y.start < x."end" AND x.start < y."end")'), window).scalar_one()
    engine.dispose()
    good = outcome.share(201)
    return Booked(outcome, successes=good, conflicts=outcome.share(409),
                  errors=outcome.count - good - outcome.share(409), stored=int(stored),
                  doubles=int(doubles), deadlocks=deadlocks)


# --- the baseline: the same check-and-insert directly with SQL ---------------------------

CHECK = ('SELECT 1 FROM bookings WHERE resource_id = {p} AND start < {p} AND "end" > {p} '
         "AND status IN ('booked', 'checked_in') LIMIT 1")
INSERT = ('INSERT INTO bookings (resource_id, user_id, created_by_id, organisation_id, start, '
          '"end", status, checkin_code, sequence, created_at, updated_at) '
          "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, 'booked', {p}, 0, {p}, {p})")


class SqlClient:
    """One database connection doing check-and-insert per attempt, as one person."""

    def __init__(self, database: BenchDatabase, person: Person) -> None:
        self.person, self.connects, self.deadlocks = person, 1, 0
        self.sqlite = database.dialect == "sqlite"
        if self.sqlite:
            path = make_url(database.url).database or ""
            self.conn: Any = sqlite3.connect(path, timeout=15, isolation_level=None,
                                             check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout=15000")
            mark = "?"
        else:
            url = make_url(database.url).set(drivername="postgresql")
            self.conn = psycopg.connect(url.render_as_string(hide_password=False))
            mark = "%s"
        self.check, self.insert = CHECK.format(p=mark), INSERT.format(p=mark)

    def _t(self, value: datetime) -> Any:
        return sqlite_text(value) if self.sqlite else value

    def run(self, attempt: Attempt) -> tuple[int, bytes]:
        room, start, end = attempt
        now = datetime.now(UTC)
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        values = (room, self.person.id, self.person.id, self.person.organisation_id,
                  self._t(start), self._t(end), code, self._t(now), self._t(now))
        return self._sqlite(room, start, end, values) if self.sqlite else self._pg(
            room, start, end, values)

    def _sqlite(self, room: int, start: datetime, end: datetime,
                values: tuple[Any, ...]) -> tuple[int, bytes]:
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            if cur.execute(self.check, (room, self._t(end), self._t(start))).fetchone():
                cur.execute("ROLLBACK")
                return 409, b""
            cur.execute(self.insert, values)
            cur.execute("COMMIT")
            return 201, b""
        except sqlite3.Error as exc:
            cur.execute("ROLLBACK")
            return 500, str(exc).encode()

    def _pg(self, room: int, start: datetime, end: datetime,
            values: tuple[Any, ...]) -> tuple[int, bytes]:
        try:
            with self.conn.transaction():
                if self.conn.execute(self.check, (room, end, start)).fetchone():
                    return 409, b""
                self.conn.execute(self.insert, values)
            return 201, b""
        except psycopg.errors.ExclusionViolation:
            return 409, b""
        except psycopg.errors.DeadlockDetected:
            # A lost race the database broke up itself: the other transaction won the slot.
            self.deadlocks += 1
            return 409, b""

    def close(self) -> None:
        self.conn.close()


def direct_sql(database: BenchDatabase, people: list[Person], tries: list[Attempt],
               ) -> tuple[Outcome, int]:
    clients = [SqlClient(database, p) for p in people]
    try:
        outcome = drive(clients, iter(tries), limit=len(tries), seconds=300,
                        check=lambda status, body: None if status in (201, 409) else
                        f"{status}: {body[:200]!r}")
    finally:
        for c in clients:
            c.close()
    return outcome, sum(c.deadlocks for c in clients)
