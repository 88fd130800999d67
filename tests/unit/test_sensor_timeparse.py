"""`from` of a sensor assignment takes every date and instant the API document's pattern
states (years 2000-2100, as written), and nothing outside them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.sensors.timeparse import parse_from

NOW = datetime(2026, 3, 30, 9, tzinfo=UTC)
TZ = "Europe/Amsterdam"


@pytest.mark.parametrize("text", ["2000-01-01", "2100-12-31", "2000-01-01T00:00:00+14:00",
                                  "2100-12-31T23:59:59-12:00"])
def test_the_first_and_last_days_of_the_sane_years_are_taken(text: str) -> None:
    assert parse_from(text, NOW, TZ) is not None


@pytest.mark.parametrize("text", ["1999-12-31", "2101-01-01", "2026-03-30T09:00:00",
                                  "tomorrow"])
def test_outside_years_naive_times_and_words_are_not(text: str) -> None:
    assert parse_from(text, NOW, TZ) is None


def test_empty_means_now() -> None:
    assert parse_from(" ", NOW, TZ) == NOW
