"""Backups restore: the commands of docs/deployment.md, run for real.

PostgreSQL: `pg_dump --format=custom` of a live database, `pg_restore` into a new one,
`hub db upgrade` on the restored copy is a no-op, and the hub reads every booking back.
SQLite: the online backup (`sqlite3 hub.sqlite3 ".backup ..."`) taken WHILE bookings are
being written is a consistent database that the hub opens and books in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, select, text

from hub import create_app
from hub.booking import services
from hub.booking.models import Booking
from hub.extensions import db
from tests.hub_fixtures import T0, _config
from tests.support.pgcluster import PgCluster

ROOT = Path(__file__).resolve().parents[2]
HUB = str(Path(sys.executable).parent / "hub")


def _upgrade(url: str) -> str:
    env = {**os.environ, "HUB_DATABASE_URL": url, "HUB_ENV": "development"}
    done = subprocess.run([HUB, "db", "upgrade"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1500:]
    return done.stderr


def _book(app: Flask, count: int) -> list[tuple[int, str]]:
    from hub.accounts.services import create_organisation, create_user
    from hub.building.services import (
        DEFAULT_PERMISSIONS,
        create_floor,
        create_resource,
        create_site,
        set_permissions,
    )
    from hub.db import write

    with app.app_context():
        with write():
            create_organisation(slug="wmo", name="Wmo", kind="core", now=T0)
            user = create_user(email="a@example.nl", organisation_slug="wmo", role="staff",
                               now=T0, password=None)
            create_site(slug="s", name="S")
            floor = create_floor(site_slug="s", slug="f", name="F")
            room = create_resource(slug="kamer", floor_id=floor.id, kind="room", name="Kamer",
                                   now=T0)
            set_permissions(set(DEFAULT_PERMISSIONS))
        for i in range(count):
            services.create_booking(actor_id=user.id, resource=room.id,
                                    start=T0 + timedelta(days=1, minutes=15 * i),
                                    end=T0 + timedelta(days=1, minutes=15 * i + 15), now=T0,
                                    subject=f"Gesprek {i}", channel="api")
        rows = [(b.id, b.subject) for b in db.session.scalars(select(Booking).order_by(Booking.id))]
        db.session.remove()
        db.engine.dispose()
    return rows


def test_pg_dump_and_restore(pg_cluster: PgCluster) -> None:
    live = pg_cluster.createdb("hub_live")
    _upgrade(live)
    before = _book(create_app(_config(live)), 6)
    dump = pg_cluster.root / "hub.dump"  # the cluster user writes it (runuser postgres)
    pg_cluster.tool("pg_dump", "--format=custom", "--file", str(dump), "hub_live")
    restored = pg_cluster.createdb("hub_restored")
    pg_cluster.tool("pg_restore", "--no-owner", "--exit-on-error", "--dbname", "hub_restored",
                    str(dump))
    assert "Running upgrade" not in _upgrade(restored)  # already at head: nothing to do
    app = create_app(_config(restored))
    with app.app_context():
        after = [(b.id, b.subject) for b in db.session.scalars(
            select(Booking).order_by(Booking.id))]
        db.session.remove()
        db.engine.dispose()
    assert after == before and len(after) == 6


def test_sqlite_online_backup_during_writes(tmp_path: Path) -> None:
    live = tmp_path / "hub.sqlite3"
    url = f"sqlite:///{live}"
    _upgrade(url)
    app = create_app(_config(url))
    writer = threading.Thread(target=_book, args=(app, 30))
    writer.start()
    backup = tmp_path / "backup.sqlite3"
    done = subprocess.run(["sqlite3", str(live), f".backup '{backup}'"], capture_output=True,
                          text=True, timeout=60)
    writer.join(timeout=60)
    assert done.returncode == 0, done.stderr
    engine = create_engine(f"sqlite:///{backup}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        copied = conn.execute(text("SELECT count(*) FROM bookings")).scalar_one()
    engine.dispose()
    assert 0 <= copied <= 30  # a consistent snapshot: whole bookings as of one moment
    # Restore = put the file back (hub stopped); the hub opens it and books in it.
    restored = tmp_path / "restored.sqlite3"
    restored.write_bytes(backup.read_bytes())
    again = create_app(_config(f"sqlite:///{restored}"))
    with again.app_context():
        count = len(list(db.session.scalars(select(Booking.id))))
        user_id = db.session.execute(text("SELECT id FROM users LIMIT 1")).scalar()
        db.session.remove()
        if user_id is not None:
            made = services.create_booking(actor_id=user_id, resource="kamer",
                                           start=T0 + timedelta(days=2),
                                           end=T0 + timedelta(days=2, hours=1), now=T0,
                                           channel="api")
            assert made is not None
        db.engine.dispose()
    assert count == copied
