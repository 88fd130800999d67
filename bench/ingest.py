"""Ingest benchmark: how fast the hub stores a burst of sensor events, as a ratio to a bare
paho subscriber that only counts them, on the same broker in the same run.

Each consumer first opens a persistent session (clean start off) and subscribes, then goes
away; the burst is published once and the broker queues a copy for every session. Each
consumer then reconnects alone and drains its queue, so the figures measure consumers, not
the publisher, and every consumer sees exactly the same burst.
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from bench.broker import Broker

PREFIX = "hub/v1"
DEVICES = 200
EVENT_FILTER = f"{PREFIX}/gw/+/dev/+/event"


@dataclass
class Result:
    name: str
    events: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def _client(client_id: str, **kwargs: object) -> mqtt.Client:
    return mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id,
                       protocol=mqtt.MQTTv5, **kwargs)  # type: ignore[arg-type]


def _session_props() -> Properties:
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = 65535
    return props


def open_session(port: int, client_id: str) -> None:
    """Create a persistent session with the event subscription, then leave."""
    done = threading.Event()
    client = _client(client_id)
    client.on_subscribe = lambda *_args: done.set()
    client.on_connect = lambda c, *_args: c.subscribe(EVENT_FILTER, qos=1)
    client.connect("127.0.0.1", port, clean_start=False, properties=_session_props())
    client.loop_start()
    if not done.wait(10):
        raise RuntimeError(f"could not subscribe {client_id}")
    client.disconnect()
    client.loop_stop()


def messages(count: int) -> list[tuple[str, bytes]]:
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    out = []
    for i in range(count):
        device = f"bench-{i % DEVICES:03d}"
        body = {"schema": "hub.occupancy.v1", "event_id": f"{uuid.uuid4().hex}",
                "device_id": device, "kind": "presence", "occupied": bool(i % 3),
                "people_count": None, "observed_at": now, "seq": i, "battery_pct": 80,
                "source": {"adapter": "bench", "model": "bench"}}
        out.append((f"{PREFIX}/gw/gw-bench/dev/{device}/event", json.dumps(body).encode()))
    return out


def publish(port: int, burst: list[tuple[str, bytes]]) -> float:
    """Publish every message at QoS 1 and wait for the broker's acknowledgements."""
    client = _client("bench-publisher")
    client.max_inflight_messages_set(2000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    start = time.perf_counter()
    # Packet ids are 16 bits: keep well under 65,535 messages waiting for their PUBACK.
    for i in range(0, len(burst), 20_000):
        infos = [client.publish(topic, payload, qos=1) for topic, payload in burst[i:i + 20_000]]
        for info in infos:
            info.wait_for_publish(60)
    seconds = time.perf_counter() - start
    client.disconnect()
    client.loop_stop()
    return seconds


def _wait(count: Callable[[], int], target: int, timeout: float) -> float:
    start = time.perf_counter()
    while count() < target:
        if time.perf_counter() - start > timeout:
            raise RuntimeError(f"only {count()} of {target} after {timeout} s")
        time.sleep(0.01)
    return time.perf_counter()


def bare_subscriber(port: int, total: int, client_id: str = "bench-bare") -> Result:
    """A paho subscriber that only counts (it acknowledges automatically)."""
    received = [0]

    def on_message(_c: mqtt.Client, _u: object, _m: mqtt.MQTTMessage) -> None:
        received[0] += 1

    client = _client(client_id)
    client.on_message = on_message
    start = time.perf_counter()
    client.connect("127.0.0.1", port, clean_start=False, properties=_session_props())
    client.loop_start()
    end = _wait(lambda: received[0], total, 300)
    client.disconnect()
    client.loop_stop()
    return Result("bare paho subscriber (counts only)", total, end - start)


def hub_ingest(port: int, total: int, database_url: str, label: str, client_id: str) -> Result:
    """The hub's worker (paho thread -> queue -> batch writer) storing into a database."""
    from hub import create_app
    from hub.extensions import db
    from hub.sensors.worker import IngestWorker, WorkerOptions

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                      "HUB_ENVIRON": {"HUB_ENV": "testing", "HUB_SECRET_KEY": "bench" * 8}})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # the bookings' exclusion constraint
            with db.engine.begin() as conn:
                conn.execute(db.text("CREATE EXTENSION IF NOT EXISTS btree_gist"))
        db.create_all()
    worker = IngestWorker(app, WorkerOptions(url=f"mqtt://127.0.0.1:{port}",
                                             client_id=client_id))
    start = time.perf_counter()
    worker.start()
    end = _wait(lambda: worker.stats["stored"], total, 300)
    worker.stop()
    with app.app_context():
        stored = db.session.execute(db.text("SELECT count(*) FROM sensor_events")).scalar()
        db.engine.dispose()
    if stored != total:
        raise RuntimeError(f"{label}: {stored} rows stored for {total} events")
    return Result(f"hub ingest -> {label}", total, end - start)


PG_ADMIN = os.environ.get("HUB_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_admin(statement: str) -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(statement))
        engine.dispose()
    except Exception:
        return False
    return True


def postgres_url() -> str | None:
    """A fresh PostgreSQL database when one answers (as the tests use), else None."""
    from sqlalchemy.engine import make_url

    name = f"hub_bench_{os.getpid()}"
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    if not _pg_admin(f'CREATE DATABASE "{name}"'):
        return None
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


ROUNDS = 3


def _round(port: int, workdir: Path, total: int, pg: str | None, n: int) -> list[Result]:
    """One run: the bare subscriber and the hub (fresh databases) drain the same burst."""
    results = [bare_subscriber(port, total, f"bench-bare-{n}"),
               hub_ingest(port, total, f"sqlite:///{workdir / f'bench-{n}.sqlite3'}",
                          "SQLite", f"hub-bench-sqlite-{n}")]
    if pg:
        results.append(hub_ingest(port, total, pg, "PostgreSQL", f"hub-bench-pg-{n}"))
    return results


def run(workdir: Path, total: int, rounds: int = ROUNDS) -> list[Result]:
    """Publish one burst, queued for every consumer of `rounds` runs; each run drains it
    bare and through the hub. Prints each run's ingest ratio and the medians, and returns
    the run with the median SQLite ratio for the table."""
    pg_name = f"hub_bench_{os.getpid()}"
    broker = Broker(workdir / "broker")
    broker.start()
    runs: list[list[Result]] = []
    ratios: dict[str, list[float]] = {}
    try:
        with_pg = postgres_url() is not None
        for n in range(1, rounds + 1):
            for client_id in (f"bench-bare-{n}", f"hub-bench-sqlite-{n}") + (
                    (f"hub-bench-pg-{n}",) if with_pg else ()):
                open_session(broker.port, client_id)
        published = Result("publisher (QoS 1, for reference)", total,
                           publish(broker.port, messages(total)))
        for n in range(1, rounds + 1):
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            results = _round(broker.port, workdir, total, postgres_url() if with_pg else None,
                             n)
            runs.append([published, *results])
            bare = results[0]
            line = []
            for hub in results[1:]:
                label = hub.name.removeprefix("hub ingest -> ")
                ratios.setdefault(label, []).append(hub.rate / bare.rate)
                line.append(f"{label} {hub.rate:,.0f}/s = {hub.rate / bare.rate:.2f}")
            print(f"run {n}/{rounds}: bare {bare.rate:,.0f}/s; " + "; ".join(line), flush=True)
    finally:
        broker.stop()
        _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    summary = ", ".join(f"{label} {statistics.median(values):.2f}"
                        for label, values in ratios.items())
    print(f"ingest ratio (hub stored events/s / bare paho subscriber, same run; median of "
          f"{rounds}): {summary}", flush=True)
    sqlite = ratios["SQLite"]
    return runs[sqlite.index(statistics.median_low(sqlite))]
