from pathlib import Path

import pytest

from hub.config import ConfigError, load


def test_defaults_are_the_embedded_demo(tmp_path: Path) -> None:
    s = load(str(tmp_path), {})
    assert s.database_url == f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    assert s.mqtt_url == "mqtt://127.0.0.1:1883"
    assert s.timezone == "Europe/Amsterdam"
    assert len(s.secret_key) > 32
    assert load(str(tmp_path), {}).secret_key == s.secret_key  # kept between starts


@pytest.mark.parametrize(("env", "variable"), [
    ({"HUB_DATABASE_URL": "mysql://x"}, "HUB_DATABASE_URL"),
    ({"HUB_MQTT_URL": "http://broker"}, "HUB_MQTT_URL"),
    ({"HUB_MQTT_URL": "mqtt://broker:notaport"}, "HUB_MQTT_URL"),
    ({"HUB_TIMEZONE": "Mars/Olympus"}, "HUB_TIMEZONE"),
    ({"HUB_BASE_URL": "hub.example.nl"}, "HUB_BASE_URL"),
    ({"HUB_ENV": "production"}, "HUB_SECRET_KEY"),
    ({"HUB_ENV": "production", "HUB_SECRET_KEY": "short"}, "HUB_SECRET_KEY"),
    ({"HUB_ENV": "staging"}, "HUB_ENV"),
    ({"HUB_SMTP_URL": "mail.example.nl"}, "HUB_SMTP_URL"),
])
def test_a_bad_value_names_the_variable_in_one_line(tmp_path: Path, env: dict[str, str],
                                                    variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(str(tmp_path), env)
    assert str(info.value).startswith(variable)
    assert "\n" not in str(info.value)


def test_postgres_urls_use_psycopg3(tmp_path: Path) -> None:
    s = load(str(tmp_path), {"HUB_DATABASE_URL": "postgresql://u@db/hub"})
    assert s.database_url == "postgresql+psycopg://u@db/hub"


def test_instance_config_toml_is_read_and_env_wins(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('timezone = "Europe/London"\nmqtt_url = "mqtt://a:1"\n')
    s = load(str(tmp_path), {"HUB_MQTT_URL": "mqtts://u:p@b:8883"})
    assert s.timezone == "Europe/London"
    assert s.mqtt_url == "mqtts://u:p@b:8883"


def test_broken_config_toml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("timezone = \n")
    with pytest.raises(ConfigError, match=r"config\.toml"):
        load(str(tmp_path), {})


def test_cli_stops_with_one_line_on_bad_config(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "HUB_MQTT_URL": "nonsense", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "hub", "orgs", "list"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "configuration error: HUB_MQTT_URL: use mqtt://host:1883 or mqtts://user:pass@host:8883"]
