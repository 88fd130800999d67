"""A personal API token on the hot path: one query to find it, the last-used time written
only after the answer has gone out, and a revoked token or closed organisation still 401."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import event, select

from hub.accounts.models import ApiToken
from hub.extensions import db
from hub.timeutil import utcnow


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _last_used() -> Any:
    db.session.rollback()  # a fresh snapshot: the request wrote in its own connection
    return db.session.scalar(select(ApiToken.last_used_at))


def test_a_token_call_answers_before_its_last_used_time_is_written(
        app: Flask, client: Any, make_user: Any, token_for: Any) -> None:
    headers = token_for(make_user(email="anna@example.nl"))
    long_ago = utcnow() - timedelta(days=3)
    db.session.execute(ApiToken.__table__.update().values(last_used_at=long_ago))
    db.session.commit()

    with statements(app) as seen:
        answer = client.get("/api/v1/me", headers=headers)
        assert answer.status_code == 200
        assert answer.get_json()["email"] == "anna@example.nl"
        # The answer is out and nothing was written: one lookup, no UPDATE yet.
        assert not [s for s in seen if s.lstrip().upper().startswith("UPDATE")]
        assert len([s for s in seen if "FROM api_tokens" in s]) == 1
        assert _last_used() == long_ago
        answer.close()  # the server has sent the answer: now the time is kept
    assert _last_used() > long_ago

    # Used again within the minute: no write at all.
    with statements(app) as seen:
        again = client.get("/api/v1/me", headers=headers)
        again.close()
    assert again.status_code == 200
    assert not [s for s in seen if s.lstrip().upper().startswith("UPDATE")]


def test_a_revoked_token_or_a_closed_organisation_is_refused(
        app: Flask, client: Any, make_user: Any, token_for: Any) -> None:
    anna = make_user()
    headers = token_for(anna)
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    anna.organisation.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401

    anna.organisation.active = True
    db.session.execute(ApiToken.__table__.update().values(revoked_at=utcnow()))
    db.session.commit()
    answer = client.get("/api/v1/me", headers=headers)
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "not_authenticated"
