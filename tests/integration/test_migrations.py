"""Migrations upgrade an empty database to head and match the models, on both databases."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from hub import create_app
from hub.extensions import db
from tests.hub_fixtures import _config, create_pg_database, drop_pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    url = create_pg_database("hub_migrate")
    yield url
    drop_pg_database(url)


def test_upgrade_to_head_matches_the_models(empty_db_url: str) -> None:
    app = create_app(_config(empty_db_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={
                "compare_type": True}), db.metadata)
        db.engine.dispose()
    assert diff == []
