"""Operations: health and readiness probes, Prometheus metrics, and the lease that makes a
periodic job run once across several `hub worker` processes."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from hub.extensions import csrf
    from hub.ops import models  # noqa: F401  (the job-run table joins the metadata)
    from hub.ops.views import bp

    app.register_blueprint(bp)
    csrf.exempt(bp)
