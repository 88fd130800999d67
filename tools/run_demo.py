"""`make run`: migrate, seed the demo building, use or start a broker, start everything.

Ctrl-C stops everything this script started. A second run reuses the database.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
INSTANCE = ROOT / "instance"
PORT = int(os.environ.get("HUB_PORT", "5000"))


def hub(*args: str) -> None:
    subprocess.run([str(BIN / "hub"), *args], check=True, cwd=ROOT)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def start_broker(url: str, procs: list[subprocess.Popen[bytes]]) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 1883
    if answers(host, port):
        print(f"using the MQTT broker at {host}:{port}")
        return
    if host not in ("127.0.0.1", "localhost"):
        sys.exit(f"no MQTT broker answers at {host}:{port} (HUB_MQTT_URL); start it first")
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(binary).exists():
        sys.exit("mosquitto is missing: install it with `sudo apt-get install mosquitto`")
    conf = INSTANCE / "mosquitto.conf"
    (INSTANCE / "mosquitto").mkdir(parents=True, exist_ok=True)
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\nuser root\n"
                    f"persistence true\npersistence_location {INSTANCE / 'mosquitto'}/\n"
                    "max_queued_messages 100000\n")
    procs.append(subprocess.Popen([binary, "-c", str(conf)]))
    for _ in range(50):
        if answers(host, port):
            print(f"started mosquitto on {host}:{port}")
            return
        time.sleep(0.1)
    sys.exit("mosquitto did not start; see its output above")


def main() -> None:
    INSTANCE.mkdir(exist_ok=True)
    os.environ.setdefault("HUB_ENV", "development")
    hub("db", "upgrade")
    hub("seed", "demo", "--if-empty")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        start_broker(os.environ.get("HUB_MQTT_URL", "mqtt://127.0.0.1:1883"), procs)
        for command in extra_processes():
            procs.append(subprocess.Popen(command, cwd=ROOT))
        procs.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:hub.gunicorn_conf", "--bind",
             f"127.0.0.1:{PORT}", "--access-logfile", "-", "hub:create_app()"], cwd=ROOT))
        print_logins()
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        print("a process stopped; stopping the rest", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nstopping")
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def extra_processes() -> list[list[str]]:
    """The sensor ingest worker and the demo sensor simulator, when installed."""
    commands: list[list[str]] = []
    sensors_cli = ROOT / "hub" / "sensors" / "cli.py"
    if sensors_cli.exists():
        commands.append([str(BIN / "hub"), "worker"])
    bridge_config = INSTANCE / "demo-bridge.toml"
    if sensors_cli.exists():
        # Opens the worker's broker session first, so no demo event is missed at start-up.
        hub("sensors", "demo-bridge-config", str(bridge_config))
        # The demo sensors follow the bookings, opening hours and closing days in real time
        # (no-shows, late arrivals, some unbooked use): at 20:43 the building is empty.
        # `firmware-bridge simulate --config instance/demo-bridge.toml` still plays a
        # random building for trying the bridge on its own.
        commands.append([str(BIN / "hub"), "demo", "live"])
    return commands


def print_logins() -> None:
    sys.path.insert(0, str(ROOT))
    from hub.demo.seed import DEMO_PASSWORD, DEMO_USERS, DOMAIN

    print(f"\nThe demo building runs on http://127.0.0.1:{PORT}")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for local, name, org, role in DEMO_USERS:
        email = f"{local}@{DOMAIN}"
        print(f"  {role:<12} {email:<38} {name} ({org})")
    print("Ctrl-C stops everything.\n", flush=True)


if __name__ == "__main__":
    main()
