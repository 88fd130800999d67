"""Occupancy sensors: MQTT contract, ingest worker, device registry, presence and health."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Hook sensors into the building's state_now, the demo seed and `hub worker`."""
    from hub.building.queries import state_providers
    from hub.demo.seed import HISTORY_STEPS
    from hub.sensors import demo, queries, registry
    from hub.worker import PeriodicJob, add_job

    if queries.state_provider not in state_providers:
        state_providers.append(queries.state_provider)
    if demo.history_step_last not in HISTORY_STEPS:
        HISTORY_STEPS.append(demo.history_step_last)
    add_job(PeriodicJob("sensors.stale_gateways", 30.0, registry.sweep_stale_gateways))
