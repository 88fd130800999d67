"""A connection cut after a request did its work (a database restart, a killed backend) fails
the session's closing rollback: the request keeps its answer and the pool replaces the
connection, instead of the teardown raising out of the request (a 500 or a dropped answer)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import create_engine, text

from hub import create_app
from hub.extensions import db
from tests.hub_fixtures import _config


def test_a_connection_killed_before_the_teardown_costs_the_request_nothing(pg_url: str) -> None:
    app: Flask = create_app(_config(pg_url))
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with app.test_request_context("/"):
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()  # a transaction
            with admin.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # the request's context ended without raising; the next request gets a new connection
        with app.test_request_context("/"):
            assert db.session.execute(text("SELECT 1")).scalar_one() == 1
            db.engine.dispose()
    finally:
        admin.dispose()
