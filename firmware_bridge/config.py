"""The bridge's TOML configuration (CONTRACT.md section 7), validated with line numbers."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from firmware_bridge.config_locate import dotted, key_lines, line_of
from firmware_bridge.config_sim import SimulateConfig, check_simulate
from firmware_bridge.events import DEFAULT_PREFIX, NAME_RE

ADAPTER_KEYS: dict[str, set[str]] = {
    "zigbee2mqtt": {"url", "base_topic", "client_id"},
    "ttn_v3": {"url", "base_topic", "client_id"},
    "esphome": {"url", "base_topic", "discovery_prefix", "client_id"},
    "tasmota": {"url", "timezone", "client_id"},
    "shelly": {"url", "client_id"},
    "serial": {"port", "baudrate"},
}
_TOPIC_RE = re.compile(r"^[^#+\s]+$")


class ConfigError(Exception):
    """A config that cannot be used; `problems` holds one line per fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class BrokerUrl:
    """An `mqtt://` or `mqtts://user:pass@host:port` address."""

    host: str
    port: int
    tls: bool
    username: str | None
    password: str | None


@dataclass(frozen=True, slots=True)
class HubConfig:
    url: BrokerUrl
    prefix: str = DEFAULT_PREFIX
    will_delay_s: int = 5
    session_expiry_s: int = 300
    heartbeat_s: float = 60.0
    keepalive_s: int = 30
    ca_file: str | None = None


@dataclass(frozen=True, slots=True)
class SourceConfig:
    adapter: str
    name: str
    url: BrokerUrl | None = None
    base_topic: str = ""
    timezone: str = "Europe/Amsterdam"
    discovery_prefix: str = "homeassistant"
    client_id: str | None = None
    port: str | None = None
    baudrate: int = 115200


@dataclass(frozen=True, slots=True)
class Config:
    gateway_id: str
    hub: HubConfig
    outbox_path: Path
    sources: tuple[SourceConfig, ...]
    simulate: SimulateConfig | None
    path: Path


class Checker:
    """Collects problems, each named by key path and line number."""

    def __init__(self, filename: str, text: str) -> None:
        self.filename = filename
        self.lines = key_lines(text)
        self.problems: list[str] = []

    def fail(self, path: tuple[str | int, ...], message: str) -> None:
        line = line_of(self.lines, path)
        where = f"{self.filename}:{line}" if line else self.filename
        self.problems.append(f"{where}: {dotted(path) or '(top level)'}: {message}")

    def unknown_keys(self, table: dict[str, Any], allowed: set[str],
                     path: tuple[str | int, ...]) -> None:
        for key in sorted(set(table) - allowed):
            self.fail((*path, key), f"unknown key; expected one of {', '.join(sorted(allowed))}")

    def number(self, table: dict[str, Any], key: str, path: tuple[str | int, ...],
               default: float, lo: float, hi: float, whole: bool = True) -> float:
        value: Any = table.get(key, default)
        numeric = isinstance(value, int) or (not whole and isinstance(value, float))
        if isinstance(value, bool) or not numeric or not lo <= value <= hi:
            noun = "a whole number" if whole else "a number"
            self.fail((*path, key), f"must be {noun} from {lo:g} to {hi:g}, got {value!r}")
            return default
        return float(value)

    def string(self, table: dict[str, Any], key: str, path: tuple[str | int, ...],
               default: str | None = None, required: bool = False) -> str | None:
        if key not in table:
            if required:
                self.fail((*path, key), "is required")
            return default
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            self.fail((*path, key), f"must be a non-empty string, got {value!r}")
            return default
        return value


def parse_url(checker: Checker, value: str | None, path: tuple[str | int, ...]) -> BrokerUrl:
    """An MQTT broker URL, or a problem recorded (and a placeholder returned)."""
    placeholder = BrokerUrl("127.0.0.1", 1883, False, None, None)
    if value is None:
        return placeholder
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        checker.fail(path, f"not a valid URL: {exc}")
        return placeholder
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        checker.fail(path, f"must look like mqtt://host:1883 or mqtts://user:pass@host:8883, "
                           f"got {value.split('@')[-1]!r}")
        return placeholder
    tls = parts.scheme == "mqtts"
    return BrokerUrl(
        host=parts.hostname, port=port or (8883 if tls else 1883), tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _check_hub(c: Checker, data: dict[str, Any]) -> HubConfig:
    hub = data.get("hub")
    if not isinstance(hub, dict):
        c.fail(("hub",), "a [hub] table with url = \"mqtt://...\" is required")
        hub = {}
    path = ("hub",)
    c.unknown_keys(hub, {"url", "prefix", "will_delay_s", "session_expiry_s", "heartbeat_s",
                         "keepalive_s", "ca_file"}, path)
    url = parse_url(c, c.string(hub, "url", path, required=True), (*path, "url"))
    prefix = c.string(hub, "prefix", path, DEFAULT_PREFIX) or DEFAULT_PREFIX
    if not _TOPIC_RE.match(prefix) or prefix.startswith("/") or prefix.endswith("/"):
        c.fail((*path, "prefix"), "must be a topic without wildcards or outer slashes")
    will = int(c.number(hub, "will_delay_s", path, 5, 0, 3600))
    expiry = int(c.number(hub, "session_expiry_s", path, max(300, will), 0, 86400))
    if expiry < will:
        c.fail((*path, "session_expiry_s"), "must be at least will_delay_s, or the "
                                            "Last Will is sent without its delay")
    return HubConfig(
        url=url, prefix=prefix, will_delay_s=will, session_expiry_s=expiry,
        heartbeat_s=c.number(hub, "heartbeat_s", path, 60, 0.1, 3600, whole=False),
        keepalive_s=int(c.number(hub, "keepalive_s", path, 30, 5, 3600)),
        ca_file=c.string(hub, "ca_file", path),
    )


def _check_source(c: Checker, index: int, src: Any) -> SourceConfig | None:
    path: tuple[str | int, ...] = ("sources", index)
    if not isinstance(src, dict):
        c.fail(path, "each [[sources]] entry must be a table")
        return None
    adapter = src.get("adapter")
    if not isinstance(adapter, str) or adapter not in ADAPTER_KEYS:
        c.fail((*path, "adapter"), f"unknown adapter {adapter!r}; expected one of "
                                   f"{', '.join(ADAPTER_KEYS)}")
        return None
    c.unknown_keys(src, ADAPTER_KEYS[adapter] | {"adapter", "name"}, path)
    name = c.string(src, "name", path, f"{adapter}-{index}") or adapter
    zone = c.string(src, "timezone", path, "Europe/Amsterdam") or "Europe/Amsterdam"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        c.fail((*path, "timezone"), f"unknown time zone {zone!r} (e.g. Europe/Amsterdam)")
    if adapter == "serial":
        return SourceConfig(
            adapter=adapter, name=name, port=c.string(src, "port", path, required=True),
            baudrate=int(c.number(src, "baudrate", path, 115200, 300, 4_000_000)),
        )
    url = parse_url(c, c.string(src, "url", path, required=True), (*path, "url"))
    base = c.string(src, "base_topic", path, "zigbee2mqtt" if adapter == "zigbee2mqtt" else "")
    discovery = c.string(src, "discovery_prefix", path, "homeassistant") or "homeassistant"
    for key, topic in (("base_topic", base), ("discovery_prefix", discovery)):
        # paho raises on a wildcard filter inside on_connect, which ends the source's thread.
        if topic and not _TOPIC_RE.match(topic):
            c.fail((*path, key), f"must be a topic without wildcards (+, #) or spaces, "
                                 f"got {topic!r}")
    return SourceConfig(
        adapter=adapter, name=name, url=url, base_topic=(base or "").rstrip("/"),
        timezone=zone, client_id=c.string(src, "client_id", path), discovery_prefix=discovery,
    )


def _check_unique(c: Checker, sources: list[tuple[int, SourceConfig]], gateway: str) -> None:
    """Two sources with one client id would kick each other off their vendor broker."""
    names: dict[str, int] = {}
    client_ids: dict[str, int] = {}
    for index, src in sources:
        path: tuple[str | int, ...] = ("sources", index)
        client_id = src.client_id or f"{gateway}-{src.name}"
        if src.name in names:
            c.fail((*path, "name"), f"{src.name!r} is used by sources[{names[src.name]}]; "
                                    "give each source its own name")
        elif src.url is not None and client_id in client_ids:
            c.fail((*path, "client_id" if src.client_id else "name"),
                   f"{client_id!r} is used by sources[{client_ids[client_id]}] as its MQTT "
                   "client id; give each source its own")
        names.setdefault(src.name, index)
        if src.url is not None:
            client_ids.setdefault(client_id, index)


def _check_outbox(c: Checker, data: dict[str, Any], base: Path) -> Path:
    outbox = data.get("outbox")
    if not isinstance(outbox, dict):
        c.fail(("outbox",), "an [outbox] table with path = \"...sqlite3\" is required")
        return base / "outbox.sqlite3"
    c.unknown_keys(outbox, {"path"}, ("outbox",))
    raw = c.string(outbox, "path", ("outbox",), required=True) or "outbox.sqlite3"
    path = Path(raw).expanduser()
    return path if path.is_absolute() else base / path


def validate(data: dict[str, Any], c: Checker, config_path: Path) -> Config:
    """Build a Config from parsed TOML, recording every problem in `c`."""
    c.unknown_keys(data, {"gateway_id", "hub", "outbox", "sources", "simulate"}, ())
    gateway = data.get("gateway_id")
    if not isinstance(gateway, str) or not NAME_RE.match(gateway):
        c.fail(("gateway_id",), "is required: 1..64 of lower-case a-z, 0-9, '-' and '_' "
                                f"(it is also the MQTT client id), got {gateway!r}")
    hub = _check_hub(c, data)
    outbox = _check_outbox(c, data, config_path.parent)
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list):
        c.fail(("sources",), "must be an array of tables: [[sources]]")
        raw_sources = []
    checked = [(i, _check_source(c, i, entry)) for i, entry in enumerate(raw_sources)]
    indexed = [(i, s) for i, s in checked if s is not None]
    _check_unique(c, indexed, str(gateway))
    sources = [s for _i, s in indexed]
    simulate = check_simulate(c, data.get("simulate")) if "simulate" in data else None
    return Config(gateway_id=str(gateway), hub=hub, outbox_path=outbox,
                  sources=tuple(sources), simulate=simulate, path=config_path)


def load_config(path: str | Path) -> Config:
    """Read and validate a config file; raise ConfigError naming each fault's line and key."""
    config_path = Path(path)
    try:
        text = config_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{config_path}: cannot read: {exc}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        where = f"{config_path}:{found.group(1)}" if found else str(config_path)
        raise ConfigError([f"{where}: not valid TOML: {exc}"]) from None
    checker = Checker(str(config_path), text)
    config = validate(data, checker, config_path.resolve())
    if checker.problems:
        raise ConfigError(checker.problems)
    return config
