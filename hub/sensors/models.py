"""Sensor tables: stored events, the device registry, gateways and their outages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.extensions import UTCDateTime, db

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
EventId = BigInteger().with_variant(Integer(), "sqlite")


class SensorEventRecord(db.Model):  # type: ignore[name-defined,misc]
    """One sensor event, stored once by its event_id however often it was delivered."""

    __tablename__ = "sensor_events"
    __table_args__ = (Index("ix_sensor_events_device_observed", "device_id", "observed_at"),)

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(128), unique=True)
    gateway_id: Mapped[str] = mapped_column(String(64))
    # No foreign key: an event of a device the hub does not know yet is kept as it came.
    device_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    occupied: Mapped[bool] = mapped_column(Boolean)
    people_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    observed_trusted: Mapped[bool] = mapped_column(Boolean, default=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Device(db.Model):  # type: ignore[name-defined,misc]
    """A sensor the hub has heard from (or a facility manager registered)."""

    __tablename__ = "sensor_devices"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    gateway_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="presence")
    # pir | radar | counter: decides the default hold time (METRICS.md, debounce and hold).
    sensor_type: Mapped[str] = mapped_column(String(16), default="pir")
    hold_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The device's own "no more presence" timeout: as its vendor reported it (zigbee2mqtt's
    # occupancy_timeout, a radar's fading time), or as set for this device by hand.
    vendor_timeout_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timeout_set_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    adapter: Mapped[str | None] = mapped_column(String(100), nullable=True)
    model: Mapped[str | None] = mapped_column(String(100), nullable=True)
    battery_pct: Mapped[int | None] = mapped_column(Integer, nullable=True)
    link_quality: Mapped[int | None] = mapped_column(Integer, nullable=True)
    first_seen: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seen: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The newest state by observed_at, and the last moment it said "someone is here".
    last_state: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    last_state_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_occupied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    people_count: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DeviceAssignment(db.Model):  # type: ignore[name-defined,misc]
    """Device -> resource for a period: moving a sensor keeps its history with the old place."""

    __tablename__ = "sensor_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(
        ForeignKey("sensor_devices.device_id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"),
                                             index=True)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Gateway(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "sensor_gateways"

    gateway_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="unknown")
    session: Mapped[str | None] = mapped_column(String(100), nullable=True)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_heartbeat: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    heartbeat_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    queue_depth: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class GatewayOutage(db.Model):  # type: ignore[name-defined,misc]
    """A time the gateway was offline or silent: its sensors' state is unknown then."""

    __tablename__ = "sensor_gateway_outages"

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway_id: Mapped[str] = mapped_column(String(64), index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # offline | stale | link (the bridge lost the hub broker but kept its outbox filling)
    reason: Mapped[str] = mapped_column(String(16))
    session: Mapped[str | None] = mapped_column(String(100), nullable=True)


class IngestReject(db.Model):  # type: ignore[name-defined,misc]
    """Invalid messages counted per reason, with the last one's topic and excerpt."""

    __tablename__ = "sensor_rejects"

    reason: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_topic: Mapped[str] = mapped_column(String(300), default="")
    last_excerpt: Mapped[str] = mapped_column(Text, default="")


class ModelTimeout(db.Model):  # type: ignore[name-defined,misc]
    """The vendor timeout of every device of one model, where the device does not say."""

    __tablename__ = "sensor_model_timeouts"

    model: Mapped[str] = mapped_column(String(100), primary_key=True)
    timeout_s: Mapped[int] = mapped_column(Integer)


class BridgeUnsupported(db.Model):  # type: ignore[name-defined,misc]
    """Vendor messages a gateway's adapters could not use, per source and reason, as its
    latest heartbeat counted them (since the bridge started), with the last excerpt."""

    __tablename__ = "sensor_bridge_unsupported"

    gateway_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    reason: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    last_topic: Mapped[str] = mapped_column(String(300), default="")
    last_excerpt: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
