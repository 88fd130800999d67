"""`check` rejects configs that would crash or misbehave at run time, naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from firmware_bridge.cli import main
from tests.bridge.unit.test_config_check import GOOD, write

SECOND_SOURCE = """\
[[sources]]
adapter = "tasmota"
url = "mqtt://127.0.0.1:1883"
"""


def check(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--config", str(write(tmp_path, text))])
    return code, capsys.readouterr().err


def test_adapter_that_is_not_a_string_is_named_not_a_traceback(tmp_path, capsys) -> None:
    code, err = check(tmp_path, GOOD.replace('adapter = "zigbee2mqtt"', 'adapter = ["z2m"]'),
                      capsys)
    assert code == 2
    assert ":7: sources[0].adapter: unknown adapter" in err


@pytest.mark.parametrize("topic", ["zigbee2mqtt/#", "zig+bee", "zigbee 2mqtt"])
def test_base_topic_with_wildcards_is_rejected(tmp_path, capsys, topic) -> None:
    # paho raises ValueError on such a filter inside on_connect, killing the source's thread.
    code, err = check(tmp_path, GOOD.replace('base_topic = "zigbee2mqtt"',
                                             f'base_topic = "{topic}"'), capsys)
    assert code == 2
    assert ":9: sources[0].base_topic: must be a topic" in err


def test_discovery_prefix_with_wildcards_is_rejected(tmp_path, capsys) -> None:
    text = GOOD.replace('adapter = "zigbee2mqtt"', 'adapter = "esphome"').replace(
        'base_topic = "zigbee2mqtt"', 'discovery_prefix = "home/#"')
    code, err = check(tmp_path, text, capsys)
    assert code == 2
    assert ":9: sources[0].discovery_prefix: must be a topic" in err


def test_two_sources_with_one_name_are_rejected(tmp_path, capsys) -> None:
    # The same name gives the same client id: two clients that keep kicking each other off.
    text = (GOOD + 'name = "plaza"\n' + SECOND_SOURCE + 'name = "plaza"\n')
    code, err = check(tmp_path, text, capsys)
    assert code == 2
    assert ":14: sources[1].name: 'plaza' is used by sources[0]" in err


def test_two_sources_with_one_client_id_are_rejected(tmp_path, capsys) -> None:
    text = (GOOD + 'client_id = "gw-plaza-vendor"\n' + SECOND_SOURCE
            + 'client_id = "gw-plaza-vendor"\n')
    code, err = check(tmp_path, text, capsys)
    assert code == 2
    assert ":14: sources[1].client_id: 'gw-plaza-vendor' is used by sources[0]" in err


def test_distinct_sources_of_one_adapter_are_fine(tmp_path, capsys) -> None:
    text = GOOD + SECOND_SOURCE + SECOND_SOURCE
    code, _err = check(tmp_path, text, capsys)
    assert code == 0
