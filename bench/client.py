"""Bounded client loops on 127.0.0.1: threads, one keep-alive connection each.

`http.client` is what requests uses underneath, without its per-request overhead: on a
2-core machine the clients share the CPU with the server, so a lighter client leaves more
of it to the figures. Every client counts the TCP connections it opened, so a server that
closes connections shows up in the numbers.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.table import percentile

Job = tuple[str, str, bytes | None]  # method, path, body


class Session:
    """One keep-alive HTTP/1.1 connection with fixed headers (a token or a cookie)."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port, self.headers = port, dict(headers or {})
        self.conn: http.client.HTTPConnection | None = None
        self.connects = 0

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, Any]:
        reused = self.conn is not None and self.conn.sock is not None
        try:
            return self._request(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection (after its keep-alive timeout)
            # just before we reused it: a GET is safe to send again on a new connection, as
            # browsers and urllib3 do. A POST is never repeated.
            if not reused or method != "GET":
                raise
            return self._request(method, path, body, headers)

    def _request(self, method: str, path: str, body: bytes | None,
                 headers: dict[str, str] | None) -> tuple[int, bytes, Any]:
        if self.conn is None or self.conn.sock is None:
            self.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.connect()
            self.connects += 1
        sent = {**self.headers, **(headers or {})}
        if body is not None:
            sent.setdefault("Content-Type", "application/json")
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, data, response

    def run(self, job: Job) -> tuple[int, bytes]:
        status, body, _response = self.request(*job)
        return status, body

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Outcome:
    """What a bounded loop saw: per request its status and latency."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    connects: int = 0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.5)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)

    def share(self, *statuses: int) -> int:
        return sum(self.statuses[s] for s in statuses)


class Worker(Protocol):
    """A client of a bounded loop: an HTTP session, or a direct-SQL connection."""

    connects: int

    def run(self, job: Any) -> tuple[int, bytes]: ...


def drive(sessions: Sequence[Worker], jobs: Iterator[Any], *, limit: int,
          seconds: float = 120.0, check: Callable[[int, bytes], str | None] | None = None,
          ) -> Outcome:
    """Run `jobs` on all clients at once until `limit` jobs are done or `seconds` have passed
    (each client finishes the job it is in). `check` may name a wrong answer."""
    outcome, lock = Outcome(), threading.Lock()
    issued = [0]
    start_line = threading.Barrier(len(sessions) + 1)
    deadline = [0.0]
    connects_before = sum(s.connects for s in sessions)

    def next_job() -> Any:
        with lock:
            if issued[0] >= limit or time.perf_counter() > deadline[0]:
                return None
            job = next(jobs, None)
            if job is not None:
                issued[0] += 1
            return job

    def client(session: Worker) -> None:
        start_line.wait()
        while (job := next_job()) is not None:
            began = time.perf_counter()
            try:
                status, body = session.run(job)
            except (http.client.HTTPException, OSError) as exc:
                status, body = 0, repr(exc).encode()
            took = time.perf_counter() - began
            wrong = check(status, body) if check else None
            with lock:
                outcome.latencies.append(took)
                outcome.statuses[status] += 1
                if (wrong or status >= 500 or status == 0) and len(outcome.failures) < 5:
                    outcome.failures.append(wrong or f"{status}: {body[:200]!r}")

    threads = [threading.Thread(target=client, args=(s,), daemon=True) for s in sessions]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_line.wait()
    for t in threads:
        t.join()
    outcome.seconds = time.perf_counter() - began
    outcome.connects = sum(s.connects for s in sessions) - connects_before
    return outcome


def repeat(job: Job) -> Iterator[Job]:
    while True:
        yield job
