"""A process that makes many apps (the test run itself, a CLI loop) gives back the write
gate's lock file and the read counter's file of each app it is done with: the run once held
1,700 descriptors, past select()'s 1,024, and paho's clients in it stopped connecting."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from hub import create_app, readcache
from hub.accounts.models import Organisation
from hub.db import release, write
from hub.extensions import db
from tests.hub_fixtures import _config


def _open() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_each_app_gives_back_its_lock_and_counter_files(tmp_path: Path) -> None:
    before = None
    for n in range(30):
        url = f"sqlite:///{tmp_path / f'hub-{n}.sqlite3'}"
        app = create_app(_config(url, HUB_READ_VERSION_DIR=str(tmp_path / "versions")))
        with app.app_context():
            db.create_all()
            with write():  # opens the gate's lock file and bumps the counter
                db.session.add(Organisation(slug=f"org-{n}", name=f"Org {n}", kind="core",
                                            created_at=datetime.now(UTC)))
            assert (tmp_path / f"hub-{n}.sqlite3-write.lock").exists()
            db.session.remove()
            db.engine.dispose()
            release(db.engine)
            readcache.close(app)
        if n == 4:
            before = _open()  # after the first few (imports, logging) settled
    assert before is not None and _open() - before <= 3
