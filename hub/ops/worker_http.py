"""The probes of `hub worker --health-port N`: a tiny HTTP server beside the ingest.

`/healthz` (the process answers), `/readyz` (the database answers and the broker
connection is up) and `/metrics` (this worker's own counters: stored events, batches,
rejects, queued messages not yet stored). Bind it to 127.0.0.1; Prometheus and systemd's
health checks run on the same machine (docs/deployment.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flask import Flask

from hub.ops.probes import database_ready


class WorkerProbes:
    """What the worker shows: `broker_up()` and `counters()` come from its ingest."""

    def __init__(self, app: Flask, broker_up: Callable[[], bool],
                 counters: Callable[[], dict[str, float]]) -> None:
        self.app, self.broker_up, self.counters = app, broker_up, counters

    def ready(self) -> bool:
        with self.app.app_context():
            return self.broker_up() and database_ready()

    def metrics(self) -> str:
        lines = []
        for key, value in sorted(self.counters().items()):
            name = f"hub_worker_{key}"
            kind = "gauge" if key.endswith("_queued") else "counter"
            lines += [f"# TYPE {name} {kind}", f"{name} {float(value)!r}"]
        lines += ["# TYPE hub_worker_broker_connected gauge",
                  f"hub_worker_broker_connected {1 if self.broker_up() else 0}"]
        return "\n".join(lines) + "\n"


def serve(probes: WorkerProbes, host: str, port: int) -> ThreadingHTTPServer:
    """Start the server on a daemon thread; the caller shuts it down."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/healthz":
                self._answer(200, "ok\n")
            elif self.path == "/readyz":
                ok = probes.ready()
                self._answer(200 if ok else 503, "ready\n" if ok else "not ready\n")
            elif self.path == "/metrics":
                self._answer(200, probes.metrics(), "text/plain; version=0.0.4")
            else:
                self._answer(404, "not found\n")

        def _answer(self, status: int, body: str, kind: str = "text/plain") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return  # probes every few seconds would flood the journal

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="hub-worker-probes", daemon=True).start()
    return server
