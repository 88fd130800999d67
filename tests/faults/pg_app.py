"""An app on a database of the private cluster (schema as the shared fixture makes it)."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text

from hub import create_app
from hub.extensions import db
from tests.hub_fixtures import _config
from tests.support.pgcluster import PgCluster


def private_database(cluster: PgCluster, prefix: str = "hub_fault") -> str:
    """A new database on the private cluster with the schema created; returns its URL."""
    url = cluster.createdb(f"{prefix}_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS btree_gist"))
    engine.dispose()
    app = create_app(_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url
