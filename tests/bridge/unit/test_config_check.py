"""`firmware-bridge check` accepts the documented config and names the line of each fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from firmware_bridge.cli import main
from firmware_bridge.config import ConfigError, load_config

EXAMPLES = Path(__file__).resolve().parents[3] / "firmware_bridge" / "examples"

GOOD = """\
gateway_id = "gw-plaza"
[hub]            # the building broker the hub listens on
url = "mqtts://gw-plaza:secret@broker.example:8883"
[outbox]
path = "outbox.sqlite3"
[[sources]]
adapter = "zigbee2mqtt"
url = "mqtt://127.0.0.1:1883"
base_topic = "zigbee2mqtt"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bridge.toml"
    path.write_text(text)
    return path


def test_contract_example_is_accepted(tmp_path, capsys) -> None:
    path = write(tmp_path, GOOD)
    assert main(["check", "--config", str(path)]) == 0
    assert "ok: gateway gw-plaza" in capsys.readouterr().out
    config = load_config(path)
    assert config.hub.url.tls and config.hub.url.port == 8883
    assert config.hub.url.username == "gw-plaza" and config.hub.will_delay_s <= 5
    assert config.outbox_path == tmp_path.resolve() / "outbox.sqlite3"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_shipped_examples_are_accepted(example: Path) -> None:
    assert main(["check", "--config", str(example)]) == 0


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        ('gateway_id = "gw-plaza"', 'gateway_id = "GW Plaza"', 1, "gateway_id"),
        ('url = "mqtts://gw-plaza', 'url = "https://gw-plaza', 3, "hub.url"),
        ('adapter = "zigbee2mqtt"', 'adapter = "zigbee"', 7, "sources[0].adapter"),
        ('base_topic = "zigbee2mqtt"', 'base_topic = ""', 9, "sources[0].base_topic"),
        ('base_topic = "zigbee2mqtt"', 'base_topc = "zigbee2mqtt"', 9, "sources[0].base_topc"),
        ('path = "outbox.sqlite3"', "path = 3", 5, "outbox.path"),
    ],
)
def test_check_names_line_and_key(tmp_path, capsys, old, new, line, key) -> None:
    path = write(tmp_path, GOOD.replace(old, new))
    assert main(["check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line}: {key}:" in err


def test_toml_syntax_error_names_line(tmp_path, capsys) -> None:
    path = write(tmp_path, GOOD.replace("[outbox]", "[outbox"))
    assert main(["check", "--config", str(path)]) == 2
    assert f"{path}:4: not valid TOML" in capsys.readouterr().err


def test_missing_tables_and_every_problem_reported(tmp_path) -> None:
    path = write(tmp_path, 'gateway_id = "gw-1"\n[[sources]]\nadapter = "serial"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = "\n".join(caught.value.problems)
    assert "hub: a [hub] table" in text
    assert "outbox: an [outbox] table" in text
    assert f"{path}:2: sources[0].port: is required" in text


def test_will_delay_needs_a_longer_session(tmp_path) -> None:
    path = write(tmp_path, GOOD.replace("[outbox]", "will_delay_s = 5\nsession_expiry_s = 2\n[outbox]"))
    with pytest.raises(ConfigError, match=r":5: hub.session_expiry_s: must be at least"):
        load_config(path)


def test_missing_file_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["check", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "cannot read" in capsys.readouterr().err


SIM = GOOD + """\
[simulate]
speed = 120
start = 2026-03-30T07:00:00
[[simulate.devices]]
device_id = "sim-spreekkamer-1"
kind = "count"
profile = "room"
capacity = 6
[[simulate.devices]]
device_id = "sim-desk-1"
kind = "presence"
profile = "desk"
"""


def test_simulate_table_is_parsed(tmp_path) -> None:
    sim = load_config(write(tmp_path, SIM)).simulate
    assert sim is not None and sim.speed == 120
    assert sim.start is not None and sim.start.utcoffset() is not None
    assert [(d.device_id, d.kind, d.profile, d.capacity) for d in sim.devices] == [
        ("sim-spreekkamer-1", "count", "room", 6), ("sim-desk-1", "presence", "desk", 1)]


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        ('profile = "desk"', 'profile = "sofa"', 21, "simulate.devices[1].profile"),
        ('device_id = "sim-desk-1"', 'device_id = "sim-spreekkamer-1"', 19,
         "simulate.devices[1].device_id"),
        ("speed = 120", "speed = 0", 11, "simulate.speed"),
        ("capacity = 6", "capacity = 0", 17, "simulate.devices[0].capacity"),
        ("start = 2026-03-30T07:00:00", 'start = "tomorrow"', 12, "simulate.start"),
    ],
)
def test_simulate_faults_name_line(tmp_path, old, new, line, key) -> None:
    path = write(tmp_path, SIM.replace(old, new))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any(p.startswith(f"{path}:{line}: {key}:") for p in caught.value.problems), (
        caught.value.problems)
