"""Gunicorn settings for production:

    gunicorn -c python:hub.gunicorn_conf 'hub:create_app()'

Threaded workers (`gthread`) keep HTTP/1.1 connections alive between requests; the default
sync workers close every connection, so each request paid a new TCP connection.

Worker count for a 2-core machine: 2 processes x 8 threads (`WEB_CONCURRENCY=2`,
`HUB_WEB_THREADS=8`). The Python work of a request holds the GIL, so more than one process
per core only adds memory and context switches; the threads cover the time a request waits
on the database (PostgreSQL round trips, SQLite's write lock) and keep idle keep-alive
connections parked without a process each. Measured with `make bench` (bench/booking.py).
On more cores: one worker per core, the same 8 threads.

Environment: `HUB_BIND` (default 127.0.0.1:8000; nginx proxies to it), `WEB_CONCURRENCY`,
`HUB_WEB_THREADS`, `HUB_KEEPALIVE` (seconds an idle connection stays open, default 5: longer
than nginx's upstream keep-alive reuse, shorter than its idle timeout) and
`HUB_ACCESS_LOG` (`-` for stdout; off by default, nginx logs every request already).
"""

from __future__ import annotations

import os

bind = os.environ.get("HUB_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("HUB_WEB_THREADS", "8"))
keepalive = int(os.environ.get("HUB_KEEPALIVE", "5"))
# Idle keep-alive connections a worker keeps parked (besides the ones being served).
worker_connections = 1000
timeout = 30
graceful_timeout = 30
accesslog = os.environ.get("HUB_ACCESS_LOG") or None
