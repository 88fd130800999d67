"""A private Mosquitto for the benchmarks (the same approach as tests/support/broker.py,
kept separate so bench/ does not import the tests)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Broker:
    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            raise SystemExit("mosquitto is missing: apt-get install mosquitto (make bench does)")
        self.binary, self.workdir, self.port = binary, workdir, free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        workdir.mkdir(parents=True, exist_ok=True)
        self.config = workdir / "mosquitto.conf"
        # Unlimited queue and in-flight window: the figures measure the consumers.
        self.config.write_text(f"listener {self.port} 127.0.0.1\nuser root\n"
                               "allow_anonymous true\npersistence false\n"
                               "max_queued_messages 0\nmax_inflight_messages 0\n"
                               "log_dest stderr\nlog_type error\n")

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.workdir / "mosquitto.log", "ab")  # noqa: SIM115 - kept for the process
        self.proc = subprocess.Popen([self.binary, "-c", str(self.config)], stdout=log,
                                     stderr=log)
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
