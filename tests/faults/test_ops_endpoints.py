"""The operator's probes and metrics: /healthz, /readyz (503 while the database is away)
and Prometheus metrics for ingest lag, rejects, the mail queue and periodic job runs."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from hub.extensions import db
from hub.ops import leader
from hub.sensors.ingest import Incoming, store_batch
from tests.faults.pg_app import private_database
from tests.hub_fixtures import T0
from tests.integration.sensor_helpers import event
from tests.support.pgcluster import PgCluster

SAMPLE = re.compile(r'^([a-z_]+)(\{[^}]*\})? (-?[0-9.e+]+)$')


def _metrics(text: str) -> dict[str, float]:
    """Parse the Prometheus text format strictly: every line a comment or a sample."""
    found = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample: {line!r}"
        found[match.group(1) + (match.group(2) or "")] = float(match.group(3))
    return found


def _event(event_id: str, observed: datetime) -> Incoming:
    body = event("pir-1", event_id=event_id, observed_at=observed)
    return Incoming("hub/v1/gw/gw-1/dev/pir-1/event", json.dumps(body).encode(),
                    T0 + timedelta(seconds=3))


def test_probes_and_metrics(app: Flask, client: Any) -> None:
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.text == "ready\n"  # no detail, no login
    store_batch([_event("e-1", T0),
                 Incoming("hub/v1/gw/gw-1/dev/pir-1/event", b"{not json", T0)],
                prefix="hub/v1", now=T0)
    assert leader.claim("booking.sweep", 60, now=T0, holder="w1")
    leader.finish("booking.sweep", now=T0 + timedelta(seconds=1), holder="w1")
    db.session.remove()
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    metrics = _metrics(answer.text)
    assert metrics["hub_ingest_lag_seconds"] == 3.0
    assert sum(v for k, v in metrics.items() if k.startswith("hub_ingest_rejected_total")) == 1
    assert metrics['hub_job_runs_total{job="booking.sweep"}'] == 1
    assert metrics['hub_job_last_success_timestamp_seconds{job="booking.sweep"}'] == (
        (T0 + timedelta(seconds=1)).timestamp())
    if "hub_mail_outbox" in answer.text:
        assert metrics['hub_mail_outbox{status="pending"}'] == 0


def test_metrics_token(app: Flask, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_METRICS_TOKEN", "s3cret")
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


@pytest.fixture
def db_url(request: pytest.FixtureRequest) -> str:
    if request.node.name.startswith("test_readyz_while"):
        return private_database(request.getfixturevalue("pg_cluster"), "hub_ready")
    return f"sqlite:///{request.getfixturevalue('tmp_path') / 'hub.sqlite3'}"


def test_readyz_while_the_database_restarts(app: Flask, client: Any,
                                            pg_cluster: PgCluster) -> None:
    assert client.get("/readyz").status_code == 200
    pg_cluster.stop("fast")
    try:
        away = client.get("/readyz")
        assert away.status_code == 503 and away.text == "not ready\n"
        assert client.get("/healthz").status_code == 200  # the process itself is fine
    finally:
        pg_cluster.start()
    assert client.get("/readyz").status_code == 200  # back by itself
