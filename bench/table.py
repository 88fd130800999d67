"""The one table every benchmark reports into: figure, value, baseline, ratio, correctness.

A benchmark module returns a list of `Row`s; `bench/__main__.py` prints them all in one table.
Add a row from anywhere with `Row(figure, value, baseline, ratio, correctness)`: values are
already formatted text, `ratio` a float (or None), `correctness` a short text ("ok", "0
doubles", ...) where `ok=False` marks a failure that makes `make bench` exit non-zero.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

HEADERS = ("figure", "value", "baseline", "ratio", "correctness")


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    baseline: str = ""
    ratio: float | None = None
    correctness: str = ""
    ok: bool = True


def median(values: Iterable[float]) -> float:
    items = list(values)
    return statistics.median(items) if items else 0.0


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share 0.5 is the median, 0.95 the p95)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def rate(per_second: float) -> str:
    return f"{per_second:,.0f}/s" if per_second >= 10 else f"{per_second:.1f}/s"


def render(rows: Sequence[Row]) -> str:
    """A plain-text table (Markdown pipe syntax, so the note can copy it as it is)."""
    cells = [HEADERS] + [(r.figure, r.value, r.baseline,
                          "" if r.ratio is None else f"{r.ratio:.2f}",
                          r.correctness if r.ok else f"FAIL: {r.correctness}") for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(c) for c in cells[1:])])
