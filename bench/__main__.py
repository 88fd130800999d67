"""`python -m bench [--events N]`: run the benchmarks and print one table."""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

from bench import ingest


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--events", type=int, default=20_000,
                        help="sensor events in the burst of each of the 3 runs (default 20000)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the worker's info lines would break up the table
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as folder:
        print(f"ingest benchmark: {args.events} QoS 1 events, private mosquitto, "
              "each consumer drains the same queued burst", flush=True)
        results = ingest.run(Path(folder), args.events)
    bare = next(r for r in results if r.name.startswith("bare"))
    print(f"\n{'what':<42} {'events':>8} {'seconds':>8} {'events/s':>10} {'ratio to bare':>14}")
    for r in results:
        ratio = "" if r is bare or r.name.startswith("publisher") else f"{r.rate / bare.rate:.2f}"
        print(f"{r.name:<42} {r.events:>8} {r.seconds:>8.2f} {r.rate:>10,.0f} {ratio:>14}")
    _insights()


def _insights() -> None:
    """Occupancy report and sizing over one and two years of a 60-resource building."""
    from bench import insights

    print("\ninsights benchmark: 60 resources, 1 and 2 years (aim: < 2 s for one year)",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="hub-bench-insights-") as folder:
        print(insights.table(insights.run(Path(folder))))


if __name__ == "__main__":
    main()
