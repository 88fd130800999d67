"""Booking and reads on a building with a year of history, SQLite and PostgreSQL.

Both databases are bulk-loaded with the same building, each gets its own gunicorn as
production runs it, and the runs are interleaved (run 1 on SQLite then PostgreSQL, run 2, ...)
so that the noise of a shared machine falls on every figure alike. Each figure is compared
with a baseline measured in the same run; the table shows medians of the runs.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import booking, databases, history, profiling, reads
from bench.client import Outcome, Session, drive, repeat
from bench.databases import BenchDatabase
from bench.server import TRIVIAL, Server
from bench.table import Row, median, ms, rate

CONCURRENCY = (20, 50)


@dataclass
class Options:
    runs: int = 3
    profile: Path | None = None
    databases: tuple[str, ...] = ("sqlite", "postgresql")
    figures: tuple[str, ...] = ("booking", "reads")


@dataclass
class Samples:
    """Per figure, one dict of measurements per run."""

    runs: dict[str, list[dict[str, float]]] = field(default_factory=lambda: defaultdict(list))
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, key: str, **values: float) -> None:
        self.runs[key].append(values)

    def med(self, key: str, name: str) -> float:
        return median(r[name] for r in self.runs[key])

    def total(self, key: str, name: str) -> int:
        return int(sum(r[name] for r in self.runs[key]))


def trivial(port: int, clients: int, count: int) -> Outcome:
    sessions = [Session(port) for _ in range(clients)]
    outcome = drive(sessions, repeat(("GET", TRIVIAL, None)), limit=count, seconds=60,
                    check=lambda s, b: None if s == 200 else f"{s}: {b[:100]!r}")
    for s in sessions:
        s.close()
    return outcome


class Bench:
    def __init__(self, folder: Path, options: Options) -> None:
        self.folder, self.options = folder, options
        self.samples = Samples()
        self.building = history.build(datetime.now(UTC))
        self.h = self.building.history
        self.databases: list[BenchDatabase] = []
        self.servers: list[Server] = []
        self.days: dict[str, Iterator[object]] = {}

    def setup(self) -> None:
        print(f"  {self.h.bookings:,} bookings built", flush=True)
        for name in self.options.databases:
            database = databases.sqlite(self.folder) if name == "sqlite" else (
                databases.postgresql())
            self.databases.append(database)
            database.migrate()
            began = time.perf_counter()
            history.load(database, self.building)
            print(f"  {database.label}: migrated and loaded in {time.perf_counter() - began:.0f} s",
                  flush=True)
            self.days[database.label] = iter(self.h.booking_days)
            self.servers.append(Server(database, self.folder / f"gunicorn-{name}.log").start())

    def teardown(self) -> None:
        for server in self.servers:
            server.stop()
        for database in self.databases:
            databases.drop(database)

    def _profiled(self, server: Server, name: str):  # type: ignore[no-untyped-def]
        from contextlib import nullcontext

        if self.options.profile is None or server.proc is None:
            return nullcontext()
        self.options.profile.mkdir(parents=True, exist_ok=True)
        return profiling.sampled(server.proc.pid, self.options.profile / f"{name}.txt")

    def booking_run(self, database: BenchDatabase, server: Server, clients: int, run: int) -> None:
        key = f"{database.label}/{clients}"
        people = self.h.people[:: len(self.h.people) // clients][:clients]
        base = trivial(server.port, clients, booking.ATTEMPTS)
        day = next(self.days[database.label])
        tries = booking.attempts(self.h.contended_rooms, day, seed=run)  # type: ignore[arg-type]
        with self._profiled(server, f"booking-{database.label}-{clients}-run{run}"):
            http = booking.over_http(server.port, people, tries)
        got = booking.counted(database, self.h.contended_rooms, day, http)  # type: ignore[arg-type]
        sql_day = next(self.days[database.label])
        sql_tries = booking.attempts(self.h.contended_rooms, sql_day, seed=run)  # type: ignore[arg-type]
        sql, deadlocks = booking.direct_sql(database, people, sql_tries)
        sql_got = booking.counted(database, self.h.contended_rooms, sql_day,  # type: ignore[arg-type]
                                  sql, deadlocks)
        self.samples.add(key, rate=http.rate, p50=http.p50, p95=http.p95,
                         t_rate=base.rate, t_p50=base.p50, t_p95=base.p95,
                         ratio=http.rate / base.rate, p95_ratio=http.p95 / base.p95,
                         ok=got.successes, conflicts=got.conflicts, errors=got.errors,
                         doubles=got.doubles, stored=got.stored, correct=float(got.correct),
                         connects=http.connects, t_errors=base.count - base.share(200),
                         sql_rate=sql.rate, sql_p50=sql.p50, sql_p95=sql.p95,
                         sql_ratio=http.rate / sql.rate, sql_doubles=sql_got.doubles,
                         sql_ok=sql_got.successes, sql_deadlocks=deadlocks,
                         sql_errors=sql_got.errors, sql_correct=float(sql_got.correct))
        self.samples.notes[key] += http.failures + sql.failures
        print(f"  run {run + 1} {key} clients: HTTP {http.rate:.0f}/s (trivial {base.rate:.0f}/s, "
              f"SQL {sql.rate:.0f}/s), p95 {http.p95 * 1000:.0f} ms (trivial "
              f"{base.p95 * 1000:.0f} ms), {got.successes} booked, {got.doubles} doubles",
              flush=True)

    def reads_run(self, database: BenchDatabase, server: Server, run: int) -> None:
        readers = self.h.people[100:100 + reads.CLIENTS]
        api = [Session(server.port, {"Authorization": f"Bearer {p.token}"}) for p in readers]
        pages = [reads.login(server.port, p) for p in readers]
        base = trivial(server.port, reads.CLIENTS, 1000)
        for name, (path, marker) in reads.paths(self.h.busy_day, self.h.busiest_floor).items():
            with self._profiled(server, f"{name.replace(' ', '-')}-{database.label}-run{run}"):
                seen = reads.figure(pages if name == "day view" else api, path, marker,
                                    limit=200, seconds=15)
            key = f"{database.label}/{name}"
            self.samples.add(key, p50=seen.p50, p95=seen.p95, count=seen.count,
                             t_p50=base.p50, t_p95=base.p95, ratio=seen.p50 / base.p50,
                             p95_ratio=seen.p95 / base.p95, connects=seen.connects,
                             errors=seen.count - seen.share(200))
            self.samples.notes[key] += seen.failures
            print(f"  run {run + 1} {key}: p50 {seen.p50 * 1000:.0f} ms, p95 "
                  f"{seen.p95 * 1000:.0f} ms (trivial p50 {base.p50 * 1000:.1f} ms), "
                  f"{seen.count} requests", flush=True)
        for s in api + pages:
            s.close()

    def run(self) -> list[Row]:
        self.setup()
        try:
            for run in range(self.options.runs):
                for database, server in zip(self.databases, self.servers, strict=True):
                    if "booking" in self.options.figures:
                        for clients in CONCURRENCY:
                            self.booking_run(database, server, clients, run)
                    if "reads" in self.options.figures:
                        self.reads_run(database, server, run)
        finally:
            self.teardown()
        return self.rows()

    # --- the table ---------------------------------------------------------------------
    def rows(self) -> list[Row]:
        out: list[Row] = []
        n = self.options.runs
        for database in self.databases:
            for clients in CONCURRENCY:
                key = f"{database.label}/{clients}"
                if key in self.samples.runs:
                    out += self._booking_rows(key, database.label, clients, n)
        for database in self.databases:
            for name in ("availability", "board", "day view"):
                key = f"{database.label}/{name}"
                if key in self.samples.runs:
                    out.append(self._read_row(key, database.label, name))
        return out

    def _booking_rows(self, key: str, label: str, clients: int, n: int) -> list[Row]:
        s = self.samples
        correct = s.total(key, "correct") == n
        booked = (f"{s.total(key, 'ok')} booked, {s.total(key, 'conflicts')} conflicts, "
                  f"{s.total(key, 'errors')} errors, {s.total(key, 'doubles')} doubles "
                  f"in {n} runs")
        sql_note = (f"{s.total(key, 'sql_doubles')} doubles, "
                    f"{s.total(key, 'sql_deadlocks')} deadlocks broken up by PostgreSQL"
                    if label == "PostgreSQL" else f"{s.total(key, 'sql_doubles')} doubles")
        conns = s.total(key, "connects")
        return [
            Row(f"booking over HTTP, {label}, {clients} clients (aim >= 0.50)",
                rate(s.med(key, "rate")) + " attempts", f"trivial {rate(s.med(key, 't_rate'))}",
                s.med(key, "ratio"), booked, ok=correct),
            Row(f"  p50 / p95, {label}, {clients} clients (aim p95 < 3.00)",
                f"{ms(s.med(key, 'p50'))} / {ms(s.med(key, 'p95'))}",
                f"trivial {ms(s.med(key, 't_p50'))} / {ms(s.med(key, 't_p95'))}",
                s.med(key, "p95_ratio"),
                f"{conns} connections for {n * clients} clients (keep-alive)",
                ok=conns <= n * clients and s.total(key, "t_errors") == 0),
            Row(f"  direct SQL, {label}, {clients} threads (HTTP / SQL)",
                rate(s.med(key, "sql_rate")) + " attempts",
                f"HTTP {rate(s.med(key, 'rate'))}", s.med(key, "sql_ratio"), sql_note,
                ok=s.total(key, "sql_doubles") == 0 and s.total(key, "sql_errors") == 0),
        ]

    def _read_row(self, key: str, label: str, name: str) -> Row:
        s = self.samples
        aim = {"availability": " (aim <= 5)", "board": " (aim <= 3)"}.get(name, "")
        what = (f"{name} of a busy day, {self.h.resources} resources, {self.h.bookings:,} "
                "bookings" if name == "availability" else name)
        errors = s.total(key, "errors")
        return Row(f"{what}, {label}, {reads.CLIENTS} clients, p50{aim}",
                   f"{ms(s.med(key, 'p50'))} (p95 {ms(s.med(key, 'p95'))})",
                   f"trivial {ms(s.med(key, 't_p50'))} (p95 {ms(s.med(key, 't_p95'))})",
                   s.med(key, "ratio"),
                   f"{errors} errors in {s.total(key, 'count')} requests", ok=errors == 0)

    def notes(self) -> str:
        lines = [f"{key}: {note}" for key, items in self.samples.notes.items()
                 for note in items[:3]]
        return "\n".join(lines)

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps(self.samples.runs, indent=1))


def run(folder: Path, options: Options | None = None) -> tuple[list[Row], Bench]:
    bench = Bench(folder, options or Options())
    return bench.run(), bench
