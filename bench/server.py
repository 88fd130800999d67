"""Gunicorn as production runs it (hub/gunicorn_conf.py), on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.broker import free_port
from bench.client import Session
from bench.databases import ROOT, BenchDatabase

TRIVIAL = "/healthz"  # the trivial endpoint of every figure (bench/wsgi.py)
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


class Server:
    def __init__(self, database: BenchDatabase, log: Path, **environ: str) -> None:
        self.database, self.log, self.port = database, log, free_port()
        self.environ = {**database.environ(), **environ}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        out = open(self.log, "ab")  # noqa: SIM115 - kept open for the process
        self.proc = subprocess.Popen(
            [GUNICORN, "-c", "python:hub.gunicorn_conf", "--bind", f"127.0.0.1:{self.port}",
             "bench.wsgi:app"], cwd=ROOT, env=self.environ, stdout=out, stderr=out)
        session = Session(self.port)
        for _ in range(600):
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log}")
            try:
                if session.request("GET", TRIVIAL)[0] == 200:
                    session.close()
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer; see {self.log}")

    def worker_pids(self) -> list[int]:
        """The worker processes (to profile them)."""
        if self.proc is None:
            return []
        found = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True,
                               text=True, check=False)
        return [int(p) for p in found.stdout.split()]

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
