"""Kiosk rules: reading a code from what a scanner typed, judging a scan, a walk-in's half-day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.booking.rules import DEFAULTS
from hub.kiosk import rules

AMS = ZoneInfo("Europe/Amsterdam")
MON = date(2026, 3, 30)


def at(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), AMS).astimezone(UTC)


@pytest.mark.parametrize("text", [
    "ACDE3467", "acde3467", " ACDE 3467 ", "ACDE-3467",
    "https://hub.test/k/ACDE3467", "https://hub.test/k/ACDE3467/", "http://hub.test:8080/k/acde3467?x=1",
    # a wedge scanner on another keyboard layout garbles the scheme, not the path
    "https;//hub.test/k/ACDE3467", "HTTPS://HUB.TEST/K/ACDE3467",
])
def test_a_code_is_found_in_a_bare_code_or_a_whole_url(text: str) -> None:
    assert rules.parse_code(text) == "ACDE3467"


@pytest.mark.parametrize("text", ["", "   ", "AB", "https://hub.test/r/spreekkamer-1",
                                  "<script>", "A" * 600, "ABC DEF GHI JKL MNO PQR"])
def test_text_without_a_code_is_no_code(text: str) -> None:
    assert rules.parse_code(text) is None


START = at(MON, 11)
END = at(MON, 12)
OPENS, CLOSES = START - timedelta(minutes=15), START + timedelta(minutes=15)


def judge(status: str, now: datetime) -> rules.Verdict:
    return rules.judge(status=status, end=END, opens=OPENS, closes=CLOSES, now=now)


def test_the_window_edges_belong_to_the_window() -> None:
    assert judge("booked", OPENS) == rules.Verdict("checked_in", check_in_now=True)
    assert judge("booked", CLOSES).result == "checked_in"
    early = judge("booked", OPENS - timedelta(seconds=1))
    assert (early.result, early.opens_at, early.check_in_now) == ("too_early", OPENS, False)
    assert judge("booked", CLOSES + timedelta(seconds=1)).result == "too_late"


def test_every_status_has_its_answer() -> None:
    inside = START
    assert judge("checked_in", inside).result == "already_checked_in"
    assert judge("cancelled", inside).result == "cancelled"
    assert judge("released", inside).result == "too_late"
    assert judge("completed", inside).result == "too_late"
    assert judge("checked_in", END).result == "too_late"  # the code stops when the booking ends
    assert judge("cancelled", END).result == "cancelled"


def test_the_kiosk_says_only_a_first_name() -> None:
    assert rules.first_name("Noor van den Netwerk") == "Noor"
    assert rules.first_name("") == ""


SPOT = DEFAULTS["landing_spot"]


def test_a_walk_in_gets_the_running_half_day() -> None:
    assert rules.half_day(SPOT, at(MON, 10, 40)) == (at(MON, 8), at(MON, 12, 30))
    assert rules.half_day(SPOT, at(MON, 13)) == (at(MON, 12, 30), at(MON, 18))
    # the morning nearly over: the rest of the day instead of 20 minutes
    assert rules.half_day(SPOT, at(MON, 12, 10)) == (at(MON, 8), at(MON, 18))


def test_no_walk_in_when_the_building_is_closed() -> None:
    assert rules.half_day(SPOT, at(MON, 7, 59)) is None
    assert rules.half_day(SPOT, at(MON, 18)) is None
    assert rules.half_day(SPOT, at(date(2026, 4, 4), 10)) is None  # Saturday
    assert rules.half_day(SPOT, at(date(2026, 4, 6), 10)) is None  # Easter Monday


def test_a_kind_without_slots_is_held_from_the_current_step() -> None:
    timed = DEFAULTS["room"]
    assert rules.half_day(timed, at(MON, 10, 40)) == (at(MON, 10, 30), at(MON, 12, 30))
    assert rules.half_day(timed, at(MON, 12, 10)) == (at(MON, 12), at(MON, 18))
