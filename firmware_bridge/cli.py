"""`firmware-bridge run|simulate|check --config FILE.toml`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from firmware_bridge import __version__
from firmware_bridge.config import Config, ConfigError, load_config

log = logging.getLogger("firmware_bridge")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="firmware-bridge",
        description="Publish vendor occupancy sensors to the hub's MQTT broker.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("run", "run the gateway"),
                       ("simulate", "publish a simulated building day for the demo"),
                       ("check", "validate a config file and exit")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--config", required=True, metavar="FILE.toml")
        sub.add_argument("--log-level", default="INFO",
                         choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def _wait_for_signal() -> None:
    """Block until SIGTERM or SIGINT."""
    stop = threading.Event()

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    while not stop.wait(1.0):
        pass


def cmd_check(config: Config) -> int:
    """Print a one-line summary of a valid config."""
    sources = ", ".join(f"{s.name} ({s.adapter})" for s in config.sources) or "none"
    sim = f"; simulate: {len(config.simulate.devices)} device(s)" if config.simulate else ""
    print(f"{config.path}: ok: gateway {config.gateway_id}, hub "
          f"{config.hub.url.host}:{config.hub.url.port}, sources: {sources}{sim}")
    return 0


def cmd_run(config: Config) -> int:
    """Run the gateway until SIGTERM/SIGINT."""
    from firmware_bridge.bridge import Bridge

    if not config.sources:
        log.warning("no [[sources]] configured: only status and heartbeats will be published")
    bridge = Bridge(config)
    bridge.start()
    try:
        _wait_for_signal()
    finally:
        bridge.stop()
    return 0


def cmd_simulate(config: Config) -> int:
    """Publish the simulated building of `[simulate]` until SIGTERM/SIGINT."""
    from firmware_bridge.bridge import Bridge
    from firmware_bridge.simulator import Simulator

    if config.simulate is None:
        print(f"{config.path}: simulate needs a [simulate] table with [[simulate.devices]]",
              file=sys.stderr)
        return 2
    bridge = Bridge(config)
    bridge.sources = []  # simulated sensors replace the vendor systems
    bridge.start()
    simulator = Simulator(config.simulate, bridge.store)
    thread = threading.Thread(target=simulator.run, name="simulator", daemon=True)
    thread.start()
    try:
        _wait_for_signal()
    finally:
        simulator.stop_event.set()
        thread.join(3)
        bridge.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `firmware-bridge` console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    commands = {"check": cmd_check, "run": cmd_run, "simulate": cmd_simulate}
    return commands[args.command](config)
