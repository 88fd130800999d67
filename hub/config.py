"""Typed configuration from HUB_* variables (or instance/config.toml), validated at start-up."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(Exception):
    """A bad setting; the message is one line naming the variable."""


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    secret_key: str
    mqtt_url: str
    mqtt_prefix: str
    base_url: str
    timezone: str
    smtp_url: str | None
    instance_path: str
    # How many reverse proxies in front of the hub set X-Forwarded-For/-Proto (0: none).
    proxy_fix: int = 0
    # The municipality's colours and logo (hub/theme.py), from HUB_THEME_* settings.
    theme: dict[str, str] = field(default_factory=dict)

    def flask_config(self) -> dict[str, Any]:
        return {
            "HUB_ENV": self.env,
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "HUB_MQTT_URL": self.mqtt_url,
            "HUB_MQTT_PREFIX": self.mqtt_prefix,
            "HUB_BASE_URL": self.base_url,
            "HUB_TIMEZONE": self.timezone,
            "HUB_SMTP_URL": self.smtp_url,
            "HUB_PROXY_FIX": self.proxy_fix,
            "HUB_THEME": dict(self.theme),
        }


def _file_values(instance_path: Path) -> dict[str, str]:
    path = instance_path / "config.toml"
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return {f"HUB_{k.upper()}": str(v) for k, v in data.items()}


def _database_url(value: str, instance_path: Path) -> str:
    if not value:
        return f"sqlite:///{instance_path / 'hub.sqlite3'}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    if not (value.startswith("sqlite:///") or value.startswith("postgresql+psycopg://")):
        raise ConfigError(
            "HUB_DATABASE_URL: use sqlite:///PATH or postgresql+psycopg://user@host/db"
        )
    return value


def _mqtt_url(value: str) -> str:
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname or port == -1:
        raise ConfigError("HUB_MQTT_URL: use mqtt://host:1883 or mqtts://user:pass@host:8883")
    return value


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("HUB_BASE_URL: use an absolute URL such as https://hub.example.nl")
    return value.rstrip("/")


def _secret_key(value: str, env: str, instance_path: Path) -> str:
    if value:
        if env == "production" and len(value) < 32:
            raise ConfigError("HUB_SECRET_KEY: use at least 32 random characters in production")
        return value
    if env == "production":
        raise ConfigError("HUB_SECRET_KEY: required outside development (32+ random characters)")
    # Development: a key of its own, kept so sessions survive a restart.
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _proxy_fix(value: str) -> int:
    if not value.strip().isdigit() or int(value) > 5:
        raise ConfigError("HUB_PROXY_FIX: the number of proxies in front of the hub, 0 to 5 "
                          "(0: none, the default)")
    return int(value)


def load(instance_path: str, environ: dict[str, str] | None = None) -> Settings:
    """Read and validate settings; raise ConfigError with one clear line on a bad value."""
    env_vars = dict(os.environ if environ is None else environ)
    folder = Path(instance_path)
    values = {**_file_values(folder), **{k: v for k, v in env_vars.items() if k.startswith("HUB_")}}
    env = values.get("HUB_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"HUB_ENV: must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    tz = values.get("HUB_TIMEZONE", "Europe/Amsterdam")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"HUB_TIMEZONE: unknown time zone {tz!r}") from None
    smtp = values.get("HUB_SMTP_URL") or None
    if smtp:
        from hub.mail import parse_smtp_url

        try:
            parse_smtp_url(smtp)
        except ValueError as exc:
            raise ConfigError(f"HUB_SMTP_URL: {exc} (smtp://host:25, "
                              "smtp+starttls://user:pass@host:587 or smtps://...)") from None
    prefix = values.get("HUB_MQTT_PREFIX", "hub/v1").strip("/")
    if not prefix or any(c in prefix for c in "#+ "):
        raise ConfigError("HUB_MQTT_PREFIX: a topic prefix without wildcards, e.g. hub/v1")
    return Settings(
        env=env,
        database_url=_database_url(values.get("HUB_DATABASE_URL", ""), folder),
        secret_key=_secret_key(values.get("HUB_SECRET_KEY", ""), env, folder),
        mqtt_url=_mqtt_url(values.get("HUB_MQTT_URL", "mqtt://127.0.0.1:1883")),
        mqtt_prefix=prefix,
        base_url=_base_url(values.get("HUB_BASE_URL", "http://127.0.0.1:5000")),
        timezone=tz,
        smtp_url=smtp,
        instance_path=str(folder),
        proxy_fix=_proxy_fix(values.get("HUB_PROXY_FIX", "0")),
        theme=_theme(values),
    )


def _theme(values: dict[str, str]) -> dict[str, str]:
    from hub.theme import ThemeError, parse

    try:
        return parse(values)
    except ThemeError as exc:
        raise ConfigError(str(exc)) from None


class Defaults:
    """Flask settings that are not deployment choices."""

    # No ping before every checkout: it cost every request one more PostgreSQL round trip
    # (issue 15). A connection the database cut (a restart) fails its request with a 503
    # (database_busy, hub.errors) and SQLAlchemy then drops every older pooled connection, so
    # the next requests connect afresh (tests/faults/test_postgres_restart.py).
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": False}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    HUB_LANGUAGES = ("nl", "en")
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    LOGIN_THROTTLE_ATTEMPTS = 5
    LOGIN_THROTTLE_MINUTES = 15
    # Unknown check-in codes per client address (and per kiosk) before it waits.
    CHECKIN_CODE_THROTTLE_FAILURES = 10
    CHECKIN_CODE_THROTTLE_MINUTES = 15
    INVITE_VALID_DAYS = 7
    API_TITLE = "Hub API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "v1/openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui/"
    API_PAGE_SIZE = 100
    SUBJECT_RETENTION_DAYS = 90
