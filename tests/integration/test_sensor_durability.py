"""10,000 QoS 1 events while the broker restarts and the worker is SIGKILLed: the hub's
`hub sensors listen` process loses none and stores none twice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hub.sensors.contract import event_topic
from tests.integration.sensor_helpers import Publisher, event, wait_for

pytestmark = [pytest.mark.broker, pytest.mark.slow]
BIN = Path(sys.executable).parent
TOTAL = 10_000


def _env(db_path: Path, broker_url: str) -> dict[str, str]:
    return {**os.environ, "HUB_ENV": "testing", "HUB_SECRET_KEY": "test-secret-key",
            "HUB_DATABASE_URL": f"sqlite:///{db_path}", "HUB_MQTT_URL": broker_url}


@pytest.fixture
def database(tmp_path: Path, broker) -> Path:
    path = tmp_path / "hub.sqlite3"
    subprocess.run([str(BIN / "hub"), "db", "upgrade", "heads"], env=_env(path, broker.url),
                   check=True, capture_output=True)
    return path


class WorkerProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(BIN / "hub"), "sensors", "listen"],
                                         env=self.env, stdout=out, stderr=out)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(15)


@pytest.fixture
def worker(tmp_path: Path, database: Path, broker) -> Iterator[WorkerProcess]:
    w = WorkerProcess(_env(database, broker.url), tmp_path / "worker.log")
    w.start()
    yield w
    w.stop()


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path, timeout=30) as conn:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT event_id) FROM sensor_events").fetchone()
    return int(total), int(distinct)


def test_broker_restart_and_worker_sigkill_lose_none_and_store_none_twice(
        broker, database: Path, worker: WorkerProcess) -> None:
    # The worker's first connection creates its persistent session at the broker.
    wait_for(lambda: "connected to the broker" in worker.log.read_text(), timeout=20,
             what="the worker's first connection")
    now = datetime.now(UTC)
    messages = [(event_topic("gw-load", f"dev-{i % 50}"),
                 json.dumps(event(f"dev-{i % 50}", event_id=f"load-{i:05d}-{uuid.uuid4().hex}",
                                  observed_at=now, occupied=bool(i % 2))).encode())
                for i in range(TOTAL)]
    publisher = Publisher(broker.port, client_id="test-load-publisher")
    sender = threading.Thread(target=publisher.publish_all, args=(messages, 120))
    sender.start()
    wait_for(lambda: counts(database)[0] >= 1000, timeout=60, what="a first thousand stored")
    broker.restart()  # in the middle of the stream
    assert counts(database)[0] < TOTAL
    wait_for(lambda: counts(database)[0] >= 3000, timeout=60, what="storing after the restart")
    worker.kill()  # SIGKILL: whatever was received but not committed is not acknowledged
    assert counts(database)[0] < TOTAL, "the stream ended before the kill; proves nothing"
    worker.start()
    sender.join(150)
    assert not sender.is_alive()
    publisher.close()
    wait_for(lambda: counts(database)[0] >= TOTAL, timeout=90, what="all events stored")
    assert counts(database) == (TOTAL, TOTAL)
    assert "Traceback" not in worker.log.read_text()
