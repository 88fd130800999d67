"""What packages contribute to the app, registered on `app.extensions` in an explicit order.

Booking and sensors add state providers (`state_now` of a resource), demo seed steps and
periodic jobs of `hub worker`; the kiosk adds the resolver of kiosk credentials. Each app
has its own registry, so two apps in one process (tests, the CLI) never share or mutate
each other's lists, and the order is the `order` given, not import order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app

KEY = "hub.registry"
KINDS = ("state_providers", "demo_steps", "periodic_jobs", "kiosk_resolvers",
         "booking_listeners", "retention_steps")
# Listener of booking changes, called inside the use case's unit of work (so what it writes,
# a mail in the outbox, say, commits or rolls back with the booking):
# (event, bookings, now) with event one of hub.booking.events.EVENTS.
BookingListener = Callable[[str, list[Any], datetime], None]
# A retention step of another package, run inside `hub purge`'s unit of work: it erases what
# it keeps of bookings that ended before the cutoff (mail copies, say) and returns how many.
RetentionStep = Callable[[list[int], datetime], int]
# Provider of `state_now`: (resource ids, now) -> {resource id: state}.
StateProvider = Callable[[list[int], datetime], dict[int, str]]


@dataclass(frozen=True)
class PeriodicJob:
    """A job of `hub worker`: run every `interval_s` seconds with the current time."""

    name: str
    interval_s: float
    run: Callable[[datetime], object]


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    item: Any


class Registry:
    """Named entries per kind; a name registered again replaces the earlier entry."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, _Entry]] = {kind: {} for kind in KINDS}

    def add(self, kind: str, name: str, item: Any, *, order: int = 100) -> None:
        if kind not in self._entries:
            raise KeyError(f"unknown registry kind {kind!r}; known: {', '.join(KINDS)}")
        self._entries[kind][name] = _Entry(order, name, item)

    def remove(self, kind: str, name: str) -> None:
        """Leave an entry out (a test that seeds only the booking history, say)."""
        self._entries[kind].pop(name, None)

    def items(self, kind: str) -> list[Any]:
        """The entries of a kind, by order and then by name (a copy: safe to iterate)."""
        entries = sorted(self._entries[kind].values(), key=lambda e: (e.order, e.name))
        return [e.item for e in entries]

    def names(self, kind: str) -> list[str]:
        entries = sorted(self._entries[kind].values(), key=lambda e: (e.order, e.name))
        return [e.name for e in entries]


def init_app(app: Flask) -> Registry:
    registry = Registry()
    app.extensions[KEY] = registry
    return registry


def registry(app: Flask | None = None) -> Registry:
    """The registry of `app`, or of the current app."""
    target = app if app is not None else current_app
    return target.extensions[KEY]  # type: ignore[no-any-return]


def add_job(app: Flask, job: PeriodicJob, *, order: int = 100) -> None:
    registry(app).add("periodic_jobs", job.name, job, order=order)
