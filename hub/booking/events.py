"""What happened to bookings, told to whoever registered a listener (mail, for one).

Booking never imports its listeners: they register on the app's registry
(`booking_listeners`) and are called inside the use case's unit of work, so what they write
commits, or rolls back, with the booking itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hub.registries import registry

EVENTS = ("created", "changed", "cancelled", "released")


def publish(event: str, bookings: Sequence[Any], *, now: datetime) -> None:
    """Tell every listener; an empty list tells nobody."""
    if event not in EVENTS:
        raise ValueError(f"unknown booking event {event!r}")
    if not bookings:
        return
    for listener in registry().items("booking_listeners"):
        listener(event, list(bookings), now)
