"""Fixtures for the hub: an app on SQLite and on PostgreSQL, clients, factories, login."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hub import create_app, readcache
from hub.db import release
from hub.extensions import db

PG_ADMIN_URL = os.environ.get("HUB_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASES = [d for d in os.environ.get("HUB_TEST_DATABASES", "sqlite,postgresql").split(",") if d]
TEST_PASSWORD = "correct horse battery"
T0 = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def _need_postgres(reason: str) -> None:
    message = f"PostgreSQL is needed at {PG_ADMIN_URL} ({reason})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def create_pg_database(prefix: str = "hub_test") -> str:
    """A new empty PostgreSQL database of this run; returns its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        _need_postgres(str(exc).splitlines()[0])
    finally:
        admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """One PostgreSQL database for the whole run, with the schema created once."""
    url = create_pg_database()
    app = create_app(_config(url))
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS btree_gist"))
        db.create_all()
        db.engine.dispose()
    yield url
    drop_pg_database(url)


def _config(url: str, **overrides: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "HUB_ENVIRON": {"HUB_ENV": "testing", "HUB_SECRET_KEY": "test-secret-key"},
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "HUB_BASE_URL": "https://hub.test",
        "SERVER_NAME": None,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **overrides,
    }


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """SQLite for every test; PostgreSQL as well where the database matters (constraints,
    locking, time zones, SQL-heavy queries): mark those `both_databases`."""
    if "db_url" not in metafunc.fixturenames:
        return
    both = metafunc.definition.get_closest_marker("both_databases") is not None
    names = DATABASES if both else DATABASES[:1]
    metafunc.parametrize("db_url", names, indirect=True)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override per test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(db_url: str, app_config: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    app = create_app(_config(db_url, **{"HUB_READ_VERSION_DIR": str(tmp_path), **app_config}))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.create_all()
        yield app
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()
        # give back the lock and counter files: a run makes about a thousand apps
        release(db.engine)
        readcache.close(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def make_org(app: Flask) -> Callable[..., Any]:
    from hub.accounts.services import create_organisation

    counter = iter(range(1, 10_000))

    def make(slug: str | None = None, kind: str = "core", name: str | None = None) -> Any:
        n = next(counter)
        org = create_organisation(slug=slug or f"org-{n}", name=name or f"Organisation {n}",
                                  kind=kind, now=T0)
        db.session.commit()
        return org
    return make


@pytest.fixture
def make_user(app: Flask, make_org: Callable[..., Any]) -> Callable[..., Any]:
    from hub.accounts.services import create_user

    counter = iter(range(1, 10_000))

    def make(role: str = "staff", org: Any = None, email: str | None = None,
             password: str | None = TEST_PASSWORD, name: str | None = None,
             language: str = "nl") -> Any:
        org = org or make_org()
        n = next(counter)
        user = create_user(email=email or f"user{n}@example.nl", organisation_slug=org.slug,
                           role=role, password=password, name=name or f"User {n}",
                           language=language, now=T0)
        db.session.commit()
        return user
    return make


@pytest.fixture
def make_floor(app: Flask) -> Callable[..., Any]:
    from hub.building.services import create_floor, create_site

    def make(site_slug: str = "site", slug: str = "floor-0", name: str = "Begane grond") -> Any:
        from hub.building.models import Site

        if db.session.query(Site).filter_by(slug=site_slug).first() is None:
            create_site(slug=site_slug, name=site_slug.title())
        floor = create_floor(site_slug=site_slug, slug=slug, name=name)
        db.session.commit()
        return floor
    return make


@pytest.fixture
def make_resource(app: Flask, make_floor: Callable[..., Any]) -> Callable[..., Any]:
    from hub.building.services import DEFAULT_PERMISSIONS, create_resource, set_permissions

    state: dict[str, Any] = {"floor": None, "n": 0}

    def make(kind: str = "room", slug: str | None = None, floor: Any = None,
             **values: Any) -> Any:
        if state["floor"] is None and floor is None:
            state["floor"] = make_floor()
            set_permissions(set(DEFAULT_PERMISSIONS))
        state["n"] += 1
        values.setdefault("name", f"{kind.title()} {state['n']}")
        resource = create_resource(slug=slug or f"{kind.replace('_', '-')}-{state['n']}",
                                   floor_id=(floor or state["floor"]).id, kind=kind, now=T0,
                                   **values)
        db.session.commit()
        return resource
    return make


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = TEST_PASSWORD) -> Any:
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def token_for(app: Flask) -> Callable[[Any], dict[str, str]]:
    """Authorization headers with a fresh personal token of a user."""
    from hub.accounts.services import create_token

    def make(user: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_token(user.id, name='test', now=T0)}"}
    return make
