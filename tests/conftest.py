"""Fixtures shared by every test layer. Hub-specific fixtures live in tests/hub_fixtures.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.broker import Broker

pytest_plugins = ["tests.hub_fixtures"]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """A private mosquitto on a free port, for this test only."""
    b = Broker(tmp_path / "broker")
    b.start()
    yield b
    b.stop()


@pytest.fixture
def broker_factory(tmp_path: Path) -> Iterator:
    """Make several brokers (e.g. a vendor-side and a hub-side one)."""
    made: list[Broker] = []

    def make(name: str) -> Broker:
        b = Broker(tmp_path / f"broker-{name}")
        b.start()
        made.append(b)
        return b

    yield make
    for b in made:
        b.stop()
