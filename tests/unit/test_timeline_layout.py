"""Day timeline layout: busy blocks, free gaps and their positions."""

from __future__ import annotations

from datetime import UTC, datetime

from hub.booking.web.timeline import Busy, hour_marks, layout


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 30, hour, minute, tzinfo=UTC)


WINDOW = (at(8), at(18))


def test_free_gaps_surround_a_busy_block() -> None:
    segments = layout(WINDOW, [Busy(at(10), at(11), "Bezet")])
    assert [(s.kind, s.start.hour, s.end.hour) for s in segments] == [
        ("free", 8, 10), ("busy", 10, 11), ("free", 11, 18)]
    busy = segments[1]
    assert (busy.left, busy.width, busy.label) == (20.0, 10.0, "Bezet")


def test_blocks_are_clipped_to_the_window_and_tiny_gaps_dropped() -> None:
    segments = layout(WINDOW, [Busy(at(7), at(9), "a"), Busy(at(9, 10), at(18), "b", "mine")])
    assert [s.kind for s in segments] == ["busy", "mine"]
    assert segments[0].start == at(8) and segments[0].left == 0.0


def test_an_empty_day_is_one_free_gap() -> None:
    [only] = layout(WINDOW, [])
    assert (only.kind, only.left, only.width) == ("free", 0.0, 100.0)


def test_hour_marks_cover_the_window() -> None:
    marks = hour_marks((at(8, 30), at(10, 30)))
    assert [m.hour for m, _ in marks] == [9, 10]
    assert marks[0][1] == 25.0
