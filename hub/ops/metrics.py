"""Prometheus metrics read from the database, so every web process answers the same
(a scrape of any instance behind the proxy shows the whole deployment):

- ingest lag: `hub_ingest_lag_seconds` (received minus observed, newest event) and the age
  of the newest stored event; `hub_gateway_outbox_depth` (events a bridge still holds);
- rejected messages: `hub_ingest_rejected_total{reason}` (the hub's parser) and
  `hub_bridge_unsupported_total{gateway,reason}` (what bridges could not use);
- mail queue: `hub_mail_outbox{status}` and the age of the oldest pending mail;
- sweep and other periodic runs: `hub_job_runs_total{job}`, failures, last success.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import func, select

from hub.extensions import db
from hub.ops.models import JobRun
from hub.sensors.models import BridgeUnsupported, Gateway, IngestReject, SensorEventRecord

Sample = tuple[dict[str, str], float]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _family(name: str, kind: str, help_text: str, samples: Iterable[Sample]) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    for labels, value in samples:
        text = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
        number = _number(value)
        lines.append(f"{name}{{{text}}} {number}" if text else f"{name} {number}")
    return lines


def _number(value: float) -> str:
    """Full precision (`:g` would round a Unix time to six digits)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _ts(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else 0.0


def _ingest(now: datetime) -> list[str]:
    newest = db.session.execute(select(SensorEventRecord.received_at,
                                       SensorEventRecord.observed_at)
                                .order_by(SensorEventRecord.id.desc()).limit(1)).first()
    lag: list[Sample] = [({}, max(0.0, (newest[0] - newest[1]).total_seconds()))] if newest else []
    age: list[Sample] = [({}, max(0.0, (now - newest[0]).total_seconds()))] if newest else []
    gateways = list(db.session.execute(select(Gateway.gateway_id, Gateway.state,
                                              Gateway.queue_depth)))
    rejects = db.session.execute(select(IngestReject.reason, IngestReject.count))
    unsupported = db.session.execute(select(
        BridgeUnsupported.gateway_id, BridgeUnsupported.reason,
        func.sum(BridgeUnsupported.count)).group_by(BridgeUnsupported.gateway_id,
                                                    BridgeUnsupported.reason))
    return [
        *_family("hub_ingest_lag_seconds", "gauge",
                 "Received minus observed time of the newest stored sensor event.", lag),
        *_family("hub_ingest_newest_event_age_seconds", "gauge",
                 "Seconds since the newest sensor event was received.", age),
        *_family("hub_gateway_outbox_depth", "gauge",
                 "Events a gateway's bridge still holds (its last heartbeat).",
                 [({"gateway": g}, float(d or 0)) for g, _s, d in gateways]),
        *_family("hub_gateway_online", "gauge", "1 when the gateway is online.",
                 [({"gateway": g}, 1.0 if s == "online" else 0.0) for g, s, _d in gateways]),
        *_family("hub_ingest_rejected_total", "counter",
                 "Messages the hub refused, per reason.",
                 [({"reason": r}, float(n)) for r, n in rejects]),
        *_family("hub_bridge_unsupported_total", "counter",
                 "Messages a bridge could not use, per gateway and reason.",
                 [({"gateway": g, "reason": r}, float(n or 0)) for g, r, n in unsupported]),
    ]


def _mail(now: datetime) -> list[str]:
    try:
        from hub.calendar.models import OutboxMail
    except ImportError:  # a build without the mail outbox
        return []
    found = dict(db.session.execute(select(OutboxMail.status, func.count())
                                    .group_by(OutboxMail.status)).all())
    oldest = db.session.scalar(select(func.min(OutboxMail.created_at))
                               .where(OutboxMail.status == "pending"))
    return [
        *_family("hub_mail_outbox", "gauge", "Mails in the outbox, per status.",
                 [({"status": s}, float(found.get(s, 0))) for s in ("pending", "sent", "failed")]),
        *_family("hub_mail_oldest_pending_age_seconds", "gauge",
                 "Age of the oldest mail still waiting to be sent (0: none).",
                 [({}, max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)]),
    ]


def _jobs() -> list[str]:
    rows = list(db.session.scalars(select(JobRun).order_by(JobRun.name)))
    return [
        *_family("hub_job_runs_total", "counter", "Finished runs of a periodic job.",
                 [({"job": r.name}, float(r.runs)) for r in rows]),
        *_family("hub_job_failures_total", "counter", "Failed runs of a periodic job.",
                 [({"job": r.name}, float(r.failures)) for r in rows]),
        *_family("hub_job_last_success_timestamp_seconds", "gauge",
                 "Unix time of a job's last successful run.",
                 [({"job": r.name}, _ts(r.succeeded_at)) for r in rows]),
    ]


def render(now: datetime | None = None) -> str:
    moment = now or datetime.now(UTC)
    try:
        lines = [*_ingest(moment), *_mail(moment), *_jobs()]
    finally:
        db.session.rollback()  # end the read transaction
    return "\n".join(lines) + "\n"
