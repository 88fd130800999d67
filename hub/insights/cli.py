"""`hub report occupancy` and `hub report sizing` (CONTRACT section 1).

The CLI is nobody's organisation: bookings of private resources are never attributed."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from hub.building.models import RESOURCE_KINDS
from hub.errors import HubError
from hub.insights import build, exports, params
from hub.insights.data import today
from hub.insights.facts import Viewer
from hub.insights.report import API_GROUPINGS
from hub.timeutil import utcnow

report_cli = click.Group("report", help="Occupancy reports and sizing for the new building.")


def _tz() -> str:
    return str(current_app.config["HUB_TIMEZONE"])


def _period(start: str | None, end: str | None) -> build.Period:
    args = {k: v for k, v in (("from", start), ("to", end)) if v}
    return params.period(args, today=today(utcnow(), _tz()), tz=_tz())


def _progress(done: int, total: int) -> None:
    click.echo(f"\rweeks {done}/{total}", err=True, nl=done >= total)


def _fail(exc: HubError) -> None:
    click.echo(f"error: {exc.message}", err=True)
    sys.exit(1)


def _write(body: str | bytes, output: str | None) -> None:
    if output:
        mode = "wb" if isinstance(body, bytes) else "w"
        with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8",
                                                              "newline": ""})) as f:
            f.write(body)
        click.echo(f"written to {output}", err=True)
    elif isinstance(body, bytes):
        if sys.stdout.isatty():
            click.echo("error: an XLSX file is binary; give --output FILE.xlsx", err=True)
            sys.exit(1)
        sys.stdout.buffer.write(body)
    else:
        click.echo(body, nl=not body.endswith("\n"))


@report_cli.command("occupancy")
@click.option("--from", "start", help="first day, YYYY-MM-DD (default 13 weeks ago)")
@click.option("--to", "end", help="last day, YYYY-MM-DD (default yesterday)")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "xlsx"]), default="csv")
@click.option("--group-by", type=click.Choice(API_GROUPINGS), default="kind")
@click.option("--kind", type=click.Choice(RESOURCE_KINDS), default=None)
@click.option("--site", default=None, help="site slug")
@click.option("--output", "-o", default=None, help="write to this file")
@with_appcontext
def occupancy_command(start: str | None, end: str | None, fmt: str, group_by: str,
                      kind: str | None, site: str | None, output: str | None) -> None:
    """Booked, used, no-shows, coverage, peaks and refused demand per group."""
    try:
        period = _period(start, end)
        scope = build.Scope(Viewer(None), kind, params.site({"site": site} if site else {}))
    except HubError as exc:
        _fail(exc)
        return
    answer = build.occupancy(period, scope, now=utcnow(), tz=_tz(),
                             private_label="Private resources", groupings=(group_by,),
                             progress=_progress)[group_by]
    if fmt == "json":
        _write(json.dumps(answer, indent=2, ensure_ascii=False) + "\n", output)
        return
    header, rows = exports.occupancy_table(answer)
    _write(exports.to_csv(header, rows) if fmt == "csv"
           else exports.to_xlsx([("occupancy", header, rows)]), output)


def _band(low: int | None, high: int | None) -> str:
    return "" if low is None else f" ({low}-{high})"


def _text(answer: dict[str, Any]) -> str:
    lines = [f"{answer['kind']} {answer['from']} .. {answer['to']}: now {answer['current']}, "
             f"{answer['demand']['requests']} requests "
             f"({answer['demand']['refused']} refused) in {answer['demand']['weeks']} weeks"]
    for level, count in answer["recommended"].items():
        lines.append(f"  {float(level):.0%} served: {count}{_band(*answer['bands'][level])}")
    level = answer["service_level"]
    lines.append(f"  at {level:.1%}: {answer['recommended_at_service_level']}"
                 f"{_band(*answer['band_at_service_level'])}")
    if answer["count"] is not None and answer["refused_share_at_count"] is not None:
        lines.append(f"  with {answer['count']}: {answer['refused_share_at_count']:.1%} refused")
    for size in answer.get("by_size", []):
        lines.append(f"  rooms for {size['size']}{'+' if size is answer['by_size'][-1] else ''}"
                     f": {size['recommended']}{_band(*size['band'])} (now {size['current']})")
    return "\n".join(lines) + "\n"


@report_cli.command("sizing")
@click.option("--kind", type=click.Choice(RESOURCE_KINDS), required=True)
@click.option("--service-level", type=click.FloatRange(0.5, 0.999), default=0.95)
@click.option("--count", type=click.IntRange(0, 10_000), default=None,
              help="what if we had this many: the refused share")
@click.option("--growth", type=click.FloatRange(0, 3), default=0.0,
              help="extra demand until the building opens, 0.15 = +15%")
@click.option("--from", "start", help="first day, YYYY-MM-DD")
@click.option("--to", "end", help="last day, YYYY-MM-DD")
@click.option("--site", default=None, help="site slug")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text")
@with_appcontext
def sizing_command(kind: str, service_level: float, count: int | None, growth: float,
                   start: str | None, end: str | None, site: str | None, fmt: str) -> None:
    """How many resources of a kind the new building needs, with bands."""
    try:
        period = _period(start, end)
        site_slug = params.site({"site": site} if site else {})
    except HubError as exc:
        _fail(exc)
        return
    answer = build.sizing_answer(period, kind, site=site_slug, service_level=service_level,
                                 count=count, growth=growth, now=utcnow(), tz=_tz())
    if fmt == "json":
        _write(json.dumps(answer, indent=2) + "\n", None)
    elif fmt == "csv":
        _write(exports.to_csv(*exports.sizing_table([answer])), None)
    else:
        _write(_text(answer), None)
