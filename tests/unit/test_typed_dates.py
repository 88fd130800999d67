"""Dates and times as a person types them in a form (hub.timeutil): dd-mm-jjjj and uu:mm, the
Dutch way, and the ISO date a native input, a bookmark or a script sends."""

from __future__ import annotations

from datetime import date, time

import pytest

from hub.timeutil import parse_typed_date, parse_typed_time, typed_date


@pytest.mark.parametrize("text", ["03-12-2026", "3-12-2026", "03/12/2026", "3.12.2026",
                                  " 03-12-2026 ", "2026-12-03"])
def test_a_day_typed_the_dutch_or_the_iso_way(text: str) -> None:
    assert parse_typed_date(text) == date(2026, 12, 3)


@pytest.mark.parametrize("text", ["31-02-2026", "12-2026", "2026/12/03", "morgen", "", None,
                                  "03-13-2026", "3-12-26"])
def test_what_is_not_a_day_is_none(text: str | None) -> None:
    assert parse_typed_date(text) is None


@pytest.mark.parametrize(("text", "expected"), [("10:00", time(10)), ("9:30", time(9, 30)),
                                                ("09.30", time(9, 30)), ("930", time(9, 30)),
                                                ("10", time(10)), ("10 uur", time(10)),
                                                ("23:59", time(23, 59))])
def test_a_time_typed_as_people_do(text: str, expected: time) -> None:
    assert parse_typed_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "10:5", "half tien", "", None, "12345"])
def test_what_is_not_a_time_is_none(text: str | None) -> None:
    assert parse_typed_time(text) is None


def test_a_day_is_shown_day_first() -> None:
    assert typed_date(date(2026, 3, 2)) == "02-03-2026" and typed_date(None) == ""
