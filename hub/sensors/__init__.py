"""Occupancy sensors: MQTT contract, ingest worker, device registry, presence and health."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Hook sensors into the building's state_now, the demo seed and `hub worker`."""
    from hub.registries import PeriodicJob, add_job, registry
    from hub.sensors import demo, queries
    from hub.sensors import registry as devices

    hub_registry = registry(app)
    hub_registry.add("state_providers", "sensors.occupancy", queries.state_provider, order=20)
    # After the booking history: the sensor history follows the bookings.
    hub_registry.add("demo_steps", "sensors.history", demo.history_step, order=90)
    add_job(app, PeriodicJob("sensors.stale_gateways", 30.0, devices.sweep_stale_gateways),
            order=30)
