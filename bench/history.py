"""A year of history for the booking bench, bulk-loaded with Core inserts.

300 resources on six floors (desks, rooms, landing spots; some private, some restricted to
one organisation), 600 people in 12 organisations and more than 200,000 bookings: every
weekday of the last year and the next two weeks, a full day tomorrow (the busy day of the
read figures) and bookings running right now (the board). The days the contended-booking
figure books on lie further ahead and are left empty.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import Table, text
from sqlalchemy.engine import Connection
from werkzeug.security import generate_password_hash

from bench.databases import BenchDatabase

TZ = ZoneInfo("Europe/Amsterdam")
PASSWORD = "bench password 15"
ORGS = 12
PEOPLE_PER_ORG = 50
FLOORS = 6
HISTORY_DAYS = 372
AHEAD_DAYS = 14
MIN_BOOKINGS = 200_000
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    organisation_id: int
    token: str


@dataclass
class History:
    """What the figures need to know of the loaded building."""

    people: list[Person]
    contended_rooms: list[int]
    booking_days: list[date]
    busy_day: date
    busiest_floor: int
    bookings: int = 0
    resources: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _tables() -> dict[str, Table]:
    import hub.models  # noqa: F401  (every table on the metadata)
    from hub.extensions import db

    return dict(db.metadata.tables)


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, TZ).astimezone(UTC)


def _open_days(first: date, last: date) -> list[date]:
    closed = holidays.country_holidays("NL", years=range(first.year, last.year + 1))
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5 and d not in closed]


class Loader:
    """Builds the rows in memory (deterministic) and inserts them in batches."""

    def __init__(self, now: datetime, seed: int = 15) -> None:
        self.now, self.rng = now, random.Random(seed)
        self.today = now.astimezone(TZ).date()
        self.serial = 0

    # --- the building and its people ---------------------------------------------------
    def organisations(self) -> list[dict[str, Any]]:
        return [{"id": i, "slug": f"org-{i:02d}", "name": f"Organisatie {i:02d}",
                 "kind": "core" if i <= 8 else "network", "active": True,
                 "created_at": self.now - timedelta(days=400)} for i in range(1, ORGS + 1)]

    def users(self) -> list[dict[str, Any]]:
        hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        rows = []
        for org in range(1, ORGS + 1):
            for n in range(PEOPLE_PER_ORG):
                uid = (org - 1) * PEOPLE_PER_ORG + n + 1
                role = "coordinator" if n == 0 else "reception" if org == 1 and n < 4 else "staff"
                rows.append({"id": uid, "email": f"p{uid:04d}@org-{org:02d}.bench",
                             "name": f"Persoon {uid:04d}", "organisation_id": org,
                             "role": role, "language": "nl", "password_hash": hashed,
                             "active": True,
                             "feed_token": f"feed-{uid:04d}-{self.rng.getrandbits(64):x}",
                             "session_version": 1, "created_at": self.now - timedelta(days=400)})
        return rows

    def resources(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """300 resources and the organisation restrictions of some rooms."""
        rows: list[dict[str, Any]] = []
        restricted: list[dict[str, Any]] = []

        def add(kind: str, floor: int, n: int, **extra: Any) -> None:
            rid = len(rows) + 1
            rows.append({"id": rid, "slug": f"{kind.replace('_', '-')}-{floor}-{n:02d}",
                         "name": f"{kind} {floor}.{n:02d}", "kind": kind, "floor_id": floor + 1,
                         "capacity": 8 if kind == "room" else 1, "amenities": ["screen"],
                         "privacy": "normal", "org_kinds": None, "bookable": True,
                         "active": True, "description": "", "plan_x": None, "plan_y": None,
                         **extra})

        for n in range(20):
            add("landing_spot", 0, n)
        for n in range(10):
            add("room", 0, n)
        for floor in range(1, FLOORS):
            for n in range(36):
                add("desk", floor, n)
            for n in range(18):
                # Every sixth room is private, every ninth restricted to one organisation.
                private = n % 6 == 5
                add("room", floor, n, privacy="private" if private else "normal")
                if n % 9 == 4:
                    restricted.append({"resource_id": rows[-1]["id"],
                                       "organisation_id": 1 + (floor + n) % ORGS})
        return rows, restricted

    def tokens(self, users: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Person]]:
        people, rows = [], []
        for u in users:
            if u["role"] != "staff":
                continue
            plain = f"hub_bench{u['id']:04d}{self.rng.getrandbits(128):032x}"
            people.append(Person(u["id"], u["email"], u["organisation_id"], plain))
            rows.append({"user_id": u["id"], "name": "bench", "token_hash": token_hash(plain),
                         "prefix": plain[:10], "created_at": self.now - timedelta(days=30),
                         "last_used_at": None, "revoked_at": None})
        return rows, people

    # --- the bookings ----------------------------------------------------------------------
    def _code(self) -> str:
        # A bijection of a counter onto 25**8 codes (the multiplier is prime to 25): unique
        # without a set, and fast enough for 200,000 rows.
        self.serial += 1
        n, out = (self.serial * 1_000_003 + 424_242) % 25**8, []
        for _ in range(8):
            n, digit = divmod(n, 25)
            out.append(CODE_ALPHABET[digit])
        return "".join(out)

    def _intervals(self, kind: str, day: date, busy: bool) -> list[tuple[datetime, datetime]]:
        if kind == "room":
            hours = sorted(self.rng.sample(range(8, 18), 10 if busy else self.rng.randint(4, 8)))
            return [(_utc(day, time(h)), _utc(day, time(h)) + timedelta(
                minutes=self.rng.choice((45, 60, 60)))) for h in hours]
        morning = (_utc(day, time(8)), _utc(day, time(12, 30)))
        afternoon = (_utc(day, time(12, 30)), _utc(day, time(18)))
        whole = (_utc(day, time(8)), _utc(day, time(18)))
        pick = self.rng.random()
        if busy or pick < 0.2:
            return [whole]
        return ([] if pick < 0.55 else [morning] if pick < 0.75 else [afternoon]
                if pick < 0.9 else [morning, afternoon])

    def _status(self, start: datetime, end: datetime) -> dict[str, Any]:
        if start > self.now:
            return {"status": "booked"}
        if end > self.now:
            return {"status": "checked_in", "checked_in_at": start}
        pick = self.rng.random()
        if pick < 0.06:
            return {"status": "cancelled", "cancelled_at": start - timedelta(days=1)}
        if pick < 0.12:
            return {"status": "released", "released_at": start + timedelta(minutes=15)}
        return {"status": "completed", "checked_in_at": start}

    def bookings(self, resources: list[dict[str, Any]], users: list[dict[str, Any]],
                 restricted: dict[int, int], busy_day: date) -> Iterator[dict[str, Any]]:
        members: dict[int, list[int]] = {}
        for u in users:
            members.setdefault(u["organisation_id"], []).append(u["id"])
        org_of = {u["id"]: u["organisation_id"] for u in users}
        core = [u["id"] for u in users if u["organisation_id"] <= 8]
        now_window = (self.now - timedelta(minutes=40), self.now + timedelta(minutes=80))
        running = {r["id"] for r in resources if r["id"] % 5 < 2}  # 40 % busy right now
        days = _open_days(self.today - timedelta(days=HISTORY_DAYS),
                          self.today + timedelta(days=AHEAD_DAYS))
        for day in sorted({*days, self.today}):
            for r in resources:
                intervals = self._intervals(r["kind"], day, day == busy_day)
                if day == self.today and r["id"] in running:
                    intervals = [i for i in intervals if not (
                        i[0] < now_window[1] and now_window[0] < i[1])] + [now_window]
                for start, end in intervals:
                    owner = restricted.get(r["id"])
                    pool = members[owner] if owner else (
                        core if r["kind"] == "desk" else members[self.rng.randint(1, ORGS)])
                    uid = self.rng.choice(pool)
                    yield {"resource_id": r["id"], "user_id": uid, "created_by_id": uid,
                           "organisation_id": org_of[uid], "start": start, "end": end,
                           "subject": "Overleg" if r["kind"] == "room" else None,
                           "attendees": 4 if r["kind"] == "room" else None,
                           "checkin_code": self._code(), "sequence": 0,
                           "created_at": start - timedelta(days=7),
                           "updated_at": start - timedelta(days=7),
                           "checked_in_at": None, "released_at": None, "cancelled_at": None,
                           **self._status(start, end)}


def sqlite_text(value: datetime) -> str:
    """What UTCDateTime binds on SQLite: naive UTC text in SQLAlchemy's format."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert below the column types (their per-value processing would take longer
    than the inserts themselves for 200,000 rows): executemany on SQLite, COPY on
    PostgreSQL."""
    if not rows:
        return
    sqlite = conn.dialect.name == "sqlite"
    names = list(rows[0])
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
    texts: dict[datetime, str] = {}  # bookings share few distinct times: convert each once

    def value(name: str, v: Any) -> Any:
        if name in json_columns:
            return json.dumps(v)
        if sqlite and isinstance(v, datetime):
            if v not in texts:
                texts[v] = sqlite_text(v)
            return texts[v]
        return v

    values = [tuple(value(n, row[n]) for n in names) for row in rows]
    columns = ", ".join(f'"{n}"' for n in names)
    if sqlite:
        marks = ", ".join("?" for _ in names)
        insert = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"  # noqa: S608
        conn.exec_driver_sql(insert, values)
        return
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for item in values:
            copy.write_row(item)


def _fix_sequences(conn: Connection, names: list[str]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the loaded rows."""
    for name in names:
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                          f"(SELECT coalesce(max(id), 1) FROM {name}))"))


@dataclass
class Building:
    """Every row of the bench building, built once and loaded into each database."""

    history: History
    tables: dict[str, list[dict[str, Any]]]


def build(now: datetime) -> Building:
    loader = Loader(now)
    orgs, users = loader.organisations(), loader.users()
    resources, restricted = loader.resources()
    token_rows, people = loader.tokens(users)
    future = _open_days(loader.today + timedelta(days=1), loader.today + timedelta(days=55))
    busy_day = future[0]
    owners = {row["resource_id"]: row["organisation_id"] for row in restricted}
    bookings = list(loader.bookings(resources, users, owners, busy_day))
    if len(bookings) < MIN_BOOKINGS:
        raise RuntimeError(f"only {len(bookings)} bookings built, the bench needs {MIN_BOOKINGS}")
    plain_rooms = [r["id"] for r in resources if r["kind"] == "room" and r["floor_id"] > 1
                   and r["privacy"] == "normal" and r["id"] not in owners]
    tables = {
        "organisations": orgs, "users": users, "api_tokens": token_rows,
        "sites": [{"id": 1, "slug": "bench", "name": "Bench building", "address": ""}],
        "floors": [{"id": f + 1, "site_id": 1, "slug": f"floor-{f}", "name": f"Verdieping {f}",
                    "level": f, "plan_image": None} for f in range(FLOORS)],
        "resources": resources, "resource_organisations": restricted,
        "booking_permissions": [{"org_kind": o, "resource_kind": k}
                                for o in ("core", "network")
                                for k in ("desk", "room", "landing_spot")
                                if (o, k) != ("network", "desk")],
        "bookings": bookings}
    history = History(people=people, contended_rooms=plain_rooms[:20],
                      booking_days=[d for d in future if d >= loader.today + timedelta(days=21)],
                      busy_day=busy_day, busiest_floor=2, bookings=len(bookings),
                      resources=len(resources))
    return Building(history, tables)


SEQUENCED = ("organisations", "users", "api_tokens", "sites", "floors", "resources",
             "booking_permissions", "bookings")


def load(database: BenchDatabase, building: Building) -> None:
    """Bulk-load the building and its year of history; the database is migrated already."""
    tables = _tables()
    engine = database.engine()
    with engine.begin() as conn:
        for name, rows in building.tables.items():
            _insert(conn, tables[name], rows)
        if database.dialect == "postgresql":
            _fix_sequences(conn, list(SEQUENCED))
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
