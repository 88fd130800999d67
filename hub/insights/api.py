"""API: /reports/occupancy and /reports/sizing (CONTRACT section 2), with .csv and .xlsx."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, current_app, jsonify, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from hub.apiauth import api_user
from hub.building.models import RESOURCE_KINDS
from hub.errors import InvalidInput
from hub.insights import build, exports, params
from hub.insights import schemas as s
from hub.insights.data import today
from hub.timeutil import utcnow

blp = Blueprint("insights_api", __name__, description="Occupancy reports and sizing")
F = TypeVar("F", bound=Callable[..., Any])


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
    return _download(exports.to_xlsx([("occupancy", header, rows)]), s.XLSX,
                     f"occupancy-{answer['from']}-{answer['to']}.xlsx")


def permission(check: Callable[[Any], None]) -> Callable[[F], F]:
    """401/403 before the query is parsed (permission before shape, CONTRACT section 2)."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check(api_user())
            return view(*args, **kwargs)
        return cast(F, wrapper)
    return decorate


@blp.route("/reports/occupancy")
class Occupancy(MethodView):
    @permission(params.may_see_occupancy)
    @blp.arguments(s.OccupancyQuery, location="query")
    @blp.response(200, s.OccupancyOut)
    @blp.doc(responses={"404": "NOT_FOUND"})
    def get(self, _args: dict[str, Any]) -> Response:
        """Booked, used, no-show, coverage, peaks and refused demand per group (fractions 0-1,
        null where unknown). Facility and admin; a coordinator sees their own organisation.
        404: an unknown site or organisation."""
        return jsonify(occupancy_answer(api_user(), request.args))


@blp.route("/reports/occupancy.csv")
class OccupancyCsv(MethodView):
    @permission(params.may_see_occupancy)
    @blp.arguments(s.OccupancyQuery, location="query")
    @blp.doc(responses=s.download("text/csv", "The rows as CSV"))
    def get(self, _args: dict[str, Any]) -> Response:
        """The same rows as CSV (UTF-8, header row, formula-like cells neutralised)."""
        return occupancy_csv(occupancy_answer(api_user(), request.args))


@blp.route("/reports/occupancy.xlsx")
class OccupancyXlsx(MethodView):
    @permission(params.may_see_occupancy)
    @blp.arguments(s.OccupancyQuery, location="query")
    @blp.doc(responses=s.download(s.XLSX, "The rows as an Excel workbook"))
    def get(self, _args: dict[str, Any]) -> Response:
        """The same rows as an Excel workbook."""
        return occupancy_xlsx(occupancy_answer(api_user(), request.args))


@blp.route("/reports/sizing")
class Sizing(MethodView):
    @permission(params.may_see_sizing)
    @blp.arguments(s.SizingQuery, location="query")
    @blp.response(200, s.SizingOut)
    @blp.doc(responses={"404": "NOT_FOUND"})
    def get(self, _args: dict[str, Any]) -> Response:
        """How many resources of a kind serve 90/95/99% of the observed demand (used bookings
        plus refused requests), with bootstrap bands; refused share for `count`; `growth`
        (0.15 = demand +15%). Facility and admin. 404: an unknown site."""
        return jsonify(sizing_answer(api_user(), request.args))


@blp.route("/reports/sizing.csv")
class SizingCsv(MethodView):
    @permission(params.may_see_sizing)
    @blp.arguments(s.SizingQuery, location="query")
    @blp.doc(responses=s.download("text/csv", "The sizing as CSV"))
    def get(self, _args: dict[str, Any]) -> Response:
        """The sizing answer as one CSV row."""
        answer = sizing_answer(api_user(), request.args)
        header, rows = exports.sizing_table([answer])
        return _download(exports.to_csv(header, rows), "text/csv; charset=utf-8",
                         f"sizing-{answer['kind']}.csv")


@blp.route("/reports/sizing.xlsx")
class SizingXlsx(MethodView):
    @permission(params.may_see_sizing)
    @blp.arguments(s.SizingQuery, location="query")
    @blp.doc(responses=s.download(s.XLSX, "The sizing and its curve as an Excel workbook"))
    def get(self, _args: dict[str, Any]) -> Response:
        """The sizing answer and its curve as an Excel workbook."""
        answer = sizing_answer(api_user(), request.args)
        header, rows = exports.sizing_table([answer])
        curve = [[p["count"], p["refused_share"], p["low"], p["high"]] for p in answer["curve"]]
        return _download(exports.to_xlsx([
            ("sizing", header, rows),
            ("curve", ["count", "refused_share", "refused_share_low", "refused_share_high"],
             curve)]), s.XLSX, f"sizing-{answer['kind']}.xlsx")


@blp.route("/reports/waiting")
class Waiting(MethodView):
    @permission(params.may_see_sizing)
    @blp.arguments(s.PeriodQuery, location="query")
    @blp.response(200, s.WaitingOut)
    @blp.doc(responses={"404": "NOT_FOUND"})
    def get(self, _args: dict[str, Any]) -> Response:
        """Per kind and week: median and P90 days to the first free slot of a typical length
        at the moment people searched. Facility and admin. 404: an unknown site."""
        now = utcnow()
        period = params.period(request.args, today=today(now, _tz()), tz=_tz())
        rows = build.waiting(period, site=params.site(request.args), now=now, tz=_tz())
        return jsonify({"from": period.label[0], "to": period.label[1], "rows": rows})
