"""Scale-out, proven: two gunicorn instances and two `hub worker` processes (shared
subscription, distinct client ids) on one PostgreSQL database and one broker.

- a booking race across both web instances has exactly one winner;
- every sensor event is stored once, and both workers took a share;
- the gateway row stays consistent although both workers receive every status and heartbeat;
- the periodic jobs ran once in total, not once per worker.

The commands are the ones of docs/deployment.md (`hub db upgrade`, gunicorn with
hub.gunicorn_conf, `hub worker --client-id ... --shared --health-port ...`). Heavy (about
20 s): two server processes and two workers start here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from hub.sensors.contract import heartbeat_topic
from tests.integration.sensor_helpers import Publisher, event
from tests.support.broker import Broker, free_port
from tests.support.pgcluster import PgCluster, wait_until

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EVENTS = 300
RACERS = 12


@pytest.fixture(scope="module")
def cluster() -> Iterator[PgCluster]:
    c = PgCluster()
    c.start()
    yield c
    c.destroy()


def _env(url: str, broker: Broker, **extra: str) -> dict[str, str]:
    return {**os.environ, "HUB_ENV": "production", "HUB_SECRET_KEY": "s" * 40,
            "HUB_DATABASE_URL": url, "HUB_MQTT_URL": broker.url,
            "HUB_BASE_URL": "https://hub.example.nl", "PYTHONPATH": str(ROOT), **extra}


def _seed(env: dict[str, str]) -> str:
    """A room, an organisation and a person with a token, through the CLI and services."""
    code = '''
import sys
from hub import create_app
from hub.accounts.services import create_organisation, create_token, create_user
from hub.building.services import DEFAULT_PERMISSIONS, create_floor, create_resource, create_site, set_permissions
from hub.db import write
from hub.timeutil import utcnow
app = create_app()
with app.app_context():
    now = utcnow()
    with write():
        create_organisation(slug="wmo", name="Wmo", kind="core", now=now)
        create_site(slug="site", name="Site")
        floor = create_floor(site_slug="site", slug="f0", name="Begane grond")
        create_resource(slug="spreekkamer-1", floor_id=floor.id, kind="room", name="Spreekkamer 1", now=now)
        set_permissions(set(DEFAULT_PERMISSIONS))
    tokens = []
    for n in range(int(sys.argv[1])):
        with write():
            user = create_user(email=f"p{n}@example.nl", organisation_slug="wmo",
                               role="staff", password=None, name=f"Person {n}", now=now)
        with write():
            tokens.append(create_token(user.id, name="race", now=now))
    print(",".join(tokens))
'''
    done = subprocess.run([sys.executable, "-c", code, str(RACERS)], env=env, capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def deployment(cluster: PgCluster, broker: Broker, tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = cluster.createdb(f"hub_scale_{uuid.uuid4().hex[:8]}")
    env = _env(url, broker)
    upgrade = subprocess.run([str(BIN / "hub"), "db", "upgrade"], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    tokens = _seed(env).split(",")
    procs: list[subprocess.Popen[bytes]] = []
    webs, probes = [], []
    for n in (1, 2):
        port, probe = free_port(), free_port()
        procs.append(_start([str(BIN / "gunicorn"), "-c", "python:hub.gunicorn_conf",
                             "hub:create_app()"],
                            {**env, "HUB_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1",
                             "HUB_WEB_THREADS": "4"}, tmp_path / f"web{n}.log"))
        procs.append(_start([str(BIN / "hub"), "worker", "--client-id", f"hub-ingest-{n}",
                             "--shared", "--health-port", str(probe)], env,
                            tmp_path / f"worker{n}.log"))
        webs.append(f"http://127.0.0.1:{port}")
        probes.append(f"http://127.0.0.1:{probe}")
    try:
        for base in webs + probes:
            assert wait_until(lambda b=base: _up(f"{b}/readyz"), timeout=90), (
                f"{base} not ready: " + "".join(p.read_text()[-1500:] for p in tmp_path.glob("*.log")))
        yield {"url": url, "webs": webs, "probes": probes, "tokens": tokens, "started":
               datetime.now(UTC), "logs": tmp_path}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _race(webs: list[str], tokens: list[str]) -> list[int]:
    day = date.today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    body = {"resource": "spreekkamer-1", "start": f"{day.isoformat()}T10:00:00+01:00",
            "end": f"{day.isoformat()}T11:00:00+01:00"}
    barrier = threading.Barrier(len(tokens))
    codes: list[int] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        barrier.wait()
        answer = requests.post(f"{webs[n % 2]}/api/v1/bookings", json=body, timeout=30,
                               headers={"Authorization": f"Bearer {tokens[n]}"})
        with lock:
            codes.append(answer.status_code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(tokens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(codes)


def _metric(base: str, name: str) -> float:
    for line in requests.get(f"{base}/metrics", timeout=5).text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def test_two_webs_two_workers_one_database(deployment: dict[str, Any], broker: Broker) -> None:
    webs, probes = deployment["webs"], deployment["probes"]
    assert _race(webs, deployment["tokens"]) == [201] + [409] * (RACERS - 1)

    publisher = Publisher(broker.port)
    beat = {"schema": "hub.heartbeat.v1", "session": "s1", "queue_depth": 0}
    publisher.status("gw-1", "online", "s1")
    ids = [uuid.uuid4().hex for _ in range(EVENTS)]
    for n, event_id in enumerate(ids):
        publisher.event("gw-1", event(f"pir-{n % 7}", event_id=event_id))
        if n % 50 == 0:
            publisher.publish(heartbeat_topic("gw-1"),
                              json.dumps({**beat, "seq": n // 50 + 1,
                                          "sent_at": datetime.now(UTC).isoformat()}).encode())
    engine = create_engine(deployment["url"])

    def stored() -> int:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM sensor_events")).scalar_one())

    assert wait_until(lambda: stored() >= EVENTS, timeout=30), f"stored {stored()} of {EVENTS}"
    time.sleep(1.0)  # anything stored twice would show up now
    with engine.connect() as conn:
        assert stored() == EVENTS
        assert conn.execute(text("SELECT count(DISTINCT event_id) FROM sensor_events")
                            ).scalar_one() == EVENTS
    shares = [_metric(p, "hub_worker_ingest_stored_total") for p in probes]
    assert sum(shares) == EVENTS and all(s > 0 for s in shares), shares

    # Both workers got every status and heartbeat; the row tells one consistent story.
    publisher.status("gw-1", "offline", "s1")
    with engine.connect() as conn:
        assert wait_until(lambda: conn.execute(text(
            "SELECT state FROM sensor_gateways WHERE gateway_id='gw-1'")).scalar_one() ==
            "offline" or conn.rollback(), timeout=10)
        row = conn.execute(text("SELECT state, session, heartbeat_seq FROM sensor_gateways "
                                "WHERE gateway_id='gw-1'")).one()
        assert tuple(row) == ("offline", "s1", (EVENTS - 1) // 50 + 1)
        time.sleep(0.5)
        assert conn.execute(text("SELECT count(*) FROM sensor_gateway_outages "
                                 "WHERE gateway_id='gw-1'")).scalar_one() == 1
    publisher.close()

    # Each periodic job ran once (both workers started within seconds, intervals >= 15 s).
    elapsed = (datetime.now(UTC) - deployment["started"]).total_seconds() + 10
    with engine.connect() as conn:
        runs = dict(conn.execute(text("SELECT name, runs FROM periodic_job_runs")).all())
    assert runs.get("booking.sweep") == 1 and runs.get("booking.purge") == 1, runs
    assert runs.get("calendar.mail", 1) <= elapsed // 15 + 1, runs
    engine.dispose()
