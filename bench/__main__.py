"""`python -m bench`: run the benchmarks and print ONE table (figure, value, baseline, ratio,
correctness). `--only NAME` runs some of them (ingest, booking, reads).

To add figures: write a function `(folder, args) -> list[Row]` (bench/table.py) and add it to
SECTIONS below; its rows join the one table. A row with `ok=False` makes the exit status 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import building, ingest
from bench.table import Row, rate, render


def ingest_rows(folder: Path, args: argparse.Namespace) -> list[Row]:
    print(f"ingest benchmark: {args.events} QoS 1 events, private mosquitto, "
          "each consumer drains the same queued burst", flush=True)
    (folder / "ingest").mkdir()
    results = ingest.run(folder / "ingest", args.events)
    bare = next(r for r in results if r.name.startswith("bare"))
    rows = []
    for r in results:
        if r is bare or r.name.startswith("publisher"):
            continue
        rows.append(Row(f"sensor {r.name}, {r.events:,} events", rate(r.rate) + " events",
                        f"bare paho {rate(bare.rate)}", r.rate / bare.rate,
                        "every event stored once"))
    return rows


def _building(*figures: str) -> Callable[[Path, argparse.Namespace], list[Row]]:
    def section(folder: Path, args: argparse.Namespace) -> list[Row]:
        print(f"{' and '.join(figures)} benchmark: a year of history (300 resources, "
              ">= 200,000 bookings) on SQLite and PostgreSQL, gunicorn as production runs it, "
              f"{args.runs} interleaved runs", flush=True)
        options = building.Options(runs=args.runs, profile=args.profile, figures=figures)
        (folder / "building").mkdir()
        rows, bench = building.run(folder / "building", options)
        if bench.notes():
            print("unexpected answers:\n" + bench.notes(), flush=True)
        if args.profile:
            bench.dump(args.profile / "samples.json")
        return rows
    return section


# The sections in the order they run; booking and reads share one loaded building.
SECTIONS: dict[str, Callable[[Path, argparse.Namespace], list[Row]]] = {
    "ingest": ingest_rows,
    "booking+reads": _building("booking", "reads"),
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=30_000,
                        help="sensor events in the burst of each of the 3 runs (default 30000)")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs (default 3)")
    parser.add_argument("--only", action="append", choices=["ingest", "booking", "reads"],
                        help="run only these benchmarks (repeatable)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="write py-spy samples of the gunicorn workers to this folder")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the worker's info lines would break up the table
    sections = dict(SECTIONS)
    if args.only:
        sections = {}
        if "ingest" in args.only:
            sections["ingest"] = ingest_rows
        figures = tuple(f for f in ("booking", "reads") if f in args.only)
        if figures:
            sections["+".join(figures)] = _building(*figures)
    rows: list[Row] = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as folder:
        for name, section in sections.items():
            (Path(folder) / name).mkdir()
            rows += section(Path(folder) / name, args)
    print(f"\n{render(rows)}\n\n(whole bench {time.perf_counter() - began:.0f} s; ratios "
          "compare figures measured in the same run)")
    if not all(r.ok for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
