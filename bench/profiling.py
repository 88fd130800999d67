"""`python -m bench --profile DIR`: py-spy samples of the gunicorn workers during a figure,
summarised as the share of samples that pass through each function (inclusive)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

IDLE = ("EpollSelector.select", "_worker (concurrent", "Arbiter.wait_for_signals",
        "Condition.wait", "sleep")
PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")


@contextmanager
def sampled(master_pid: int, out: Path) -> Iterator[None]:
    """Sample the master's worker processes while the block runs (raw collapsed stacks)."""
    proc = subprocess.Popen([PY_SPY, "record", "--pid", str(master_pid), "--subprocesses",
                             "--format", "raw", "--rate", "250", "--idle", "--nonblocking",
                             "--output", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _short(frame: str) -> str:
    """`name (hub/booking/store.py:12)` -> `name (booking/store.py)`."""
    name, _sep, where = frame.partition(" (")
    return f"{name} ({where.split(':')[0].removeprefix('hub/')})"


def summary(raw: Path, top: int = 30) -> str:
    """Inclusive shares of the busiest hub functions, SQLAlchemy and waiting for the database."""
    if not raw.exists():
        return f"(no samples in {raw})"
    functions: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _sep, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue  # a frame name that holds a line break (a process's command line)
        count = int(count_text)
        frames = stack.split(";")
        if frames[-1].startswith(IDLE):
            continue  # a thread waiting for work (a connection, a request, a signal)
        total += count
        seen = {_short(f) for f in frames if "(hub/" in f}
        for name in seen:
            functions[name] += count
        for group, marker in (("sqlalchemy", "(sqlalchemy/"), ("psycopg", "(psycopg/"),
                              ("DBAPI execute", "do_execute (sqlalchemy/engine/default.py"),
                              ("marshmallow", "(marshmallow/"), ("jinja2", "(jinja2/"),
                              ("flask_babel", "(flask_babel/"), ("babel", "(babel/")):
            if any(marker in f for f in frames):
                groups[group] += count
    if not total:
        return "(no busy samples)"
    lines = [f"{total} busy samples; inside: " + ", ".join(
        f"{g} {n / total:.0%}" for g, n in groups.most_common())]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in functions.most_common(top)]
    return "\n".join(lines)
