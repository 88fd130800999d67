"""A private PostgreSQL cluster for the fault and scale-out tests: its own data folder and
port, so restarting it never touches the machine's shared server (other tests use that).

initdb refuses to run as root, so under root the cluster belongs to the `postgres` user
(Debian's package creates it) and every command runs through `runuser`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.support.broker import free_port


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return str(Path(found[-1]).parent) if found else None


def _need(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class PgCluster:
    """initdb + pg_ctl start/stop/restart on a free port; `url(db)` for SQLAlchemy."""

    def __init__(self) -> None:
        bindir = _bin_dir()
        if bindir is None:
            _need("PostgreSQL server binaries are needed (apt-get install postgresql)")
        self.bindir = str(bindir)
        self.as_root = os.geteuid() == 0
        # Not under pytest's tmp_path: that folder is root-only, the cluster is postgres's.
        self.root = Path(tempfile.mkdtemp(prefix="hub-pgcluster-"))
        self.data = self.root / "data"
        self.port = free_port()
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8")

    def _cmd(self, tool: str, *args: str) -> list[str]:
        cmd = [f"{self.bindir}/{tool}", *args]
        return ["runuser", "-u", "postgres", "--", *cmd] if self.as_root else cmd

    def _run(self, tool: str, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(self._cmd(tool, *args), capture_output=True, text=True,
                              timeout=timeout, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stderr[-800:]}")
        return done.stdout

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=60 -c shared_buffers=16MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                  "-t", "30", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def restart(self) -> None:
        self.stop("fast")
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def createdb(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def tool(self, tool: str, *args: str, timeout: float = 60) -> str:
        """Run pg_dump, pg_restore, psql ... of this cluster's version against it."""
        return self._run(tool, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         *args, timeout=timeout)

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def wait_until(check, timeout: float, step: float = 0.1) -> bool:  # type: ignore[no-untyped-def]
    """Poll `check()` until true or `timeout` seconds passed; bounded, never forever."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return bool(check())
