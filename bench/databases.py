"""The bench's own databases: a SQLite file in the bench folder and a PostgreSQL database
created for this run (dropped afterwards), both migrated as production migrates them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("HUB_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET = "bench-secret-key-" + "x" * 32


@dataclass
class BenchDatabase:
    label: str  # "SQLite" or "PostgreSQL"
    url: str

    @property
    def dialect(self) -> str:
        return make_url(self.url).get_backend_name()

    def engine(self, **options: object) -> Engine:
        return create_engine(self.url, **options)  # type: ignore[arg-type]

    def environ(self) -> dict[str, str]:
        """The environment of a hub process on this database (as production sets it)."""
        return {**os.environ, "HUB_DATABASE_URL": self.url, "HUB_ENV": "production",
                "HUB_SECRET_KEY": SECRET, "HUB_BASE_URL": "http://127.0.0.1"}

    def migrate(self) -> None:
        hub = str(Path(sys.executable).parent / "hub")
        done = subprocess.run([hub, "db", "upgrade", "heads"], cwd=ROOT, env=self.environ(),
                              capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"migrating the {self.label} bench database failed:\n"
                               f"{done.stderr[-3000:]}")


def sqlite(folder: Path) -> BenchDatabase:
    return BenchDatabase("SQLite", f"sqlite:///{folder / 'bench-booking.sqlite3'}")


def _admin(statement: str) -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def postgresql() -> BenchDatabase:
    """A new PostgreSQL database of this bench run (SystemExit with the reason if none)."""
    name = f"hub_bench_booking_{os.getpid()}"
    try:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        raise SystemExit(f"PostgreSQL is needed at {PG_ADMIN} for the booking bench: "
                         f"{str(exc).splitlines()[0]}") from None
    url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    return BenchDatabase("PostgreSQL", url)


def drop(database: BenchDatabase) -> None:
    if database.dialect == "postgresql":
        _admin(f'DROP DATABASE IF EXISTS "{make_url(database.url).database}" WITH (FORCE)')
