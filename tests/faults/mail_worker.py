"""A worker process that runs only the mail job, for the kill test:

    python -m tests.faults.mail_worker DB_URL SMTP_URL NOW_ISO
"""

from __future__ import annotations

import sys
from datetime import datetime

from hub import create_app
from hub.registries import registry
from hub.worker import run_due
from tests.hub_fixtures import _config


def main(url: str, smtp_url: str, now_iso: str) -> None:
    app = create_app(_config(url, HUB_SMTP_URL=smtp_url))
    jobs = registry(app)
    for name in jobs.names("periodic_jobs"):
        if name != "calendar.mail":
            jobs.remove("periodic_jobs", name)
    now = datetime.fromisoformat(now_iso)
    run_due(app, {}, now=lambda: now, holder="doomed-mailer")


if __name__ == "__main__":
    main(*sys.argv[1:4])
