"""`hub worker` killed while the mail server is taking a message (before it accepted it):
the mail is sent later, exactly once, by the next worker; not by a second worker while
the dead one's lease holds, and never again after it was sent."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from hub.calendar import outbox
from hub.calendar.models import OutboxMail
from hub.db import write
from hub.extensions import db
from hub.registries import registry
from hub.worker import run_due
from tests.hub_fixtures import T0
from tests.support.pgcluster import wait_until
from tests.support.smtp import Inbox, SmtpServer

ROOT = Path(__file__).resolve().parents[2]


class StallFirst(Inbox):
    """Holds the first message's DATA unanswered (the worker is killed meanwhile), then
    refuses it; later messages are accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(3)
            return "451 try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.inbox = StallFirst()
    server.start()
    yield server
    server.stop()


def test_mail_worker_killed_mid_send(app: Flask, db_url: str, smtp: SmtpServer) -> None:
    message = EmailMessage()
    message["To"], message["From"] = "noor@example.nl", "hub@example.nl"
    message["Subject"] = "Reservering bevestigd"
    message.set_content("Spreekkamer 1, dinsdag 10:00")
    with write():
        row = outbox.enqueue(message, kind="booking", now=T0)
        db.session.flush()
        mail_id = row.id
    db.session.remove()
    proc = subprocess.Popen([sys.executable, "-m", "tests.faults.mail_worker", db_url, smtp.url,
                             T0.isoformat()], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert wait_until(smtp.inbox.stalled.is_set, timeout=30), "the worker never sent"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    row = db.session.get(OutboxMail, mail_id)
    assert (row.status, row.attempts, smtp.inbox.messages) == ("pending", 1, [])
    db.session.remove()

    app.config["HUB_SMTP_URL"] = smtp.url
    for name in registry(app).names("periodic_jobs"):
        if name != "calendar.mail":
            registry(app).remove("periodic_jobs", name)
    # A second worker a minute later: the dead worker still holds the job and the mail.
    assert run_due(app, {}, now=lambda: T0 + timedelta(minutes=1), holder="w2") == []
    # After the leases lapse, one worker sends it, once; later runs send nothing more.
    later = T0 + outbox.LEASE + timedelta(seconds=1)
    assert run_due(app, {}, now=lambda: later, holder="w2") == ["calendar.mail"]
    assert run_due(app, {}, now=lambda: later + timedelta(minutes=1), holder="w3") == [
        "calendar.mail"]
    assert [m["Subject"] for m in smtp.wait_for(1)] == ["Reservering bevestigd"]
    row = db.session.get(OutboxMail, mail_id)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(smtp.inbox.messages) == 1
