"""`/healthz` (the process answers), `/readyz` (its database answers) and `/metrics`."""

from __future__ import annotations

import hmac
import os

from flask import Blueprint, Response, current_app, request

from hub.ops.metrics import render
from hub.ops.probes import database_ready

bp = Blueprint("ops", __name__)
_NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok\n", mimetype="text/plain", headers=_NO_STORE)


@bp.get("/readyz")
def readyz() -> Response:
    if database_ready():
        return Response("ready\n", mimetype="text/plain", headers=_NO_STORE)
    return Response("not ready\n", status=503, mimetype="text/plain",
                    headers={**_NO_STORE, "Retry-After": "5"})


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format. With HUB_METRICS_TOKEN set a scrape needs it as a bearer
    token; without, keep /metrics to the internal network at the proxy (docs/deployment.md)."""
    token = current_app.config.get("HUB_METRICS_TOKEN") or os.environ.get("HUB_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and not hmac.compare_digest(given.encode(), token.encode()):
        return Response("unauthorised\n", status=401, mimetype="text/plain",
                        headers={"WWW-Authenticate": "Bearer"})
    if not database_ready():
        return Response("# the database does not answer\n", status=503,
                        mimetype="text/plain", headers=_NO_STORE)
    return Response(render(), mimetype="text/plain; version=0.0.4", headers=_NO_STORE)
