"""Read iCalendar data with Mozilla's ical.js (the parser of Thunderbird) through node.

`make test` installs it (npm ci in tests/js); under CI=true a missing node or ical.js fails
the test, elsewhere it is skipped with the command that fixes it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

JS = Path(__file__).resolve().parent.parent / "js"
SCRIPT = JS / "read_ics.mjs"


def _need(ok: bool, message: str) -> None:
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def read(*calendars: bytes) -> list[dict[str, Any]]:
    """What ical.js makes of each calendar (see tests/js/read_ics.mjs)."""
    node = shutil.which("node")
    _need(node is not None, "node is missing: apt-get install nodejs npm")
    _need((JS / "node_modules" / "ical.js").is_dir(),
          f"ical.js is missing: npm ci --prefix {JS} (make test does this)")
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for n, body in enumerate(calendars):
            path = Path(folder) / f"{n}.ics"
            path.write_bytes(body)
            files.append(str(path))
        done = subprocess.run([str(node), str(SCRIPT), *files], capture_output=True,
                              timeout=30, check=False)
    assert done.returncode == 0, f"ical.js refused the calendar: {done.stderr.decode()[:2000]}"
    return list(json.loads(done.stdout))
