"""API: /reports/occupancy and /reports/sizing (CONTRACT section 2), with .csv and .xlsx."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from hub.apiauth import api_user
from hub.building.models import RESOURCE_KINDS
from hub.errors import InvalidInput
from hub.insights import build, exports, params
from hub.insights.data import today
from hub.timeutil import utcnow

blp = Blueprint("insights_api", __name__, description="Occupancy reports and sizing")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tz() -> str:
    return str(current_app.config["HUB_TIMEZONE"])


def occupancy_answer(user: Any, args: Mapping[str, str]) -> dict[str, Any]:
    """The JSON answer (also what the CSV, XLSX, CLI and pages are made of)."""
    now = utcnow()
    query = params.occupancy_query(user, args, today=today(now, _tz()), tz=_tz())
    answers = build.occupancy(query.period, query.scope, now=now, tz=_tz(),
                              private_label=_("Private resources"),
                              groupings=(query.group_by,))
    return answers[query.group_by]


def sizing_answer(user: Any, args: Mapping[str, str]) -> dict[str, Any]:
    now = utcnow()
    params.may_see_sizing(user)
    kind = params.choice(args, "kind", RESOURCE_KINDS)
    if kind is None:
        raise InvalidInput(_("Give the kind: room, desk or landing_spot."), {"field": "kind"})
    return build.sizing_answer(
        params.period(args, today=today(now, _tz()), tz=_tz()), kind,
        site=params.site(args),
        service_level=float(params.number(args, "service_level", low=0.5, high=0.999,
                                          default=0.95) or 0.95),
        count=_int(params.number(args, "count", low=0, high=10_000, default=None, whole=True)),
        growth=float(params.number(args, "growth", low=0, high=3, default=0.0) or 0.0),
        now=now, tz=_tz())


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _download(body: str | bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def occupancy_csv(answer: dict[str, Any]) -> Response:
    header, rows = exports.occupancy_table(answer)
    return _download(exports.to_csv(header, rows), "text/csv; charset=utf-8",
                     f"occupancy-{answer['from']}-{answer['to']}.csv")


def occupancy_xlsx(answer: dict[str, Any]) -> Response:
    header, rows = exports.occupancy_table(answer)
    return _download(exports.to_xlsx([("occupancy", header, rows)]), XLSX,
                     f"occupancy-{answer['from']}-{answer['to']}.xlsx")


@blp.route("/reports/occupancy")
class Occupancy(MethodView):
    def get(self) -> dict[str, Any]:
        """Booked, used, no-show, coverage, peaks and refused demand per group (fractions 0-1,
        null where unknown). Query: from, to, group_by=kind|resource|floor|organisation|
        weekday_hour, kind, site, organisation. Facility and admin; a coordinator sees their
        own organisation."""
        return occupancy_answer(api_user(), request.args)


@blp.route("/reports/occupancy.csv")
class OccupancyCsv(MethodView):
    def get(self) -> Response:
        """The same rows as CSV (UTF-8, header row, formula-like cells neutralised)."""
        return occupancy_csv(occupancy_answer(api_user(), request.args))


@blp.route("/reports/occupancy.xlsx")
class OccupancyXlsx(MethodView):
    def get(self) -> Response:
        """The same rows as an Excel workbook."""
        return occupancy_xlsx(occupancy_answer(api_user(), request.args))


@blp.route("/reports/sizing")
class Sizing(MethodView):
    def get(self) -> dict[str, Any]:
        """How many resources of a kind serve 90/95/99% of the observed demand (used bookings
        plus refused requests), with bootstrap bands; refused share for `count`; `growth`
        (0.15 = demand +15%). Facility and admin."""
        return sizing_answer(api_user(), request.args)


@blp.route("/reports/sizing.csv")
class SizingCsv(MethodView):
    def get(self) -> Response:
        answer = sizing_answer(api_user(), request.args)
        header, rows = exports.sizing_table([answer])
        return _download(exports.to_csv(header, rows), "text/csv; charset=utf-8",
                         f"sizing-{answer['kind']}.csv")


@blp.route("/reports/sizing.xlsx")
class SizingXlsx(MethodView):
    def get(self) -> Response:
        answer = sizing_answer(api_user(), request.args)
        header, rows = exports.sizing_table([answer])
        curve = [[p["count"], p["refused_share"], p["low"], p["high"]] for p in answer["curve"]]
        return _download(exports.to_xlsx([
            ("sizing", header, rows),
            ("curve", ["count", "refused_share", "refused_share_low", "refused_share_high"],
             curve)]), XLSX, f"sizing-{answer['kind']}.xlsx")


@blp.route("/reports/waiting")
class Waiting(MethodView):
    def get(self) -> dict[str, Any]:
        """Per kind and week: median and P90 days to the first free slot of a typical length
        at the moment people searched. Facility and admin."""
        user = api_user()
        params.may_see_sizing(user)
        now = utcnow()
        period = params.period(request.args, today=today(now, _tz()), tz=_tz())
        rows = build.waiting(period, site=params.site(request.args), now=now, tz=_tz())
        return {"from": period.label[0], "to": period.label[1], "rows": rows}
