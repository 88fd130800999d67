"""Pages: the facility dashboard, a coordinator's own-organisation view, the council report
(print-ready page and PDF). Filters live in the URL, so a link reproduces a view."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from hub.accounts.models import Organisation
from hub.accounts.roles import FACILITY_ROLES
from hub.accounts.views import role_required
from hub.building.models import Site
from hub.extensions import db
from hub.insights import build, data, pages, params, pdf
from hub.insights.build import KINDS
from hub.timeutil import parse_typed_date, utcnow

bp = Blueprint("insights", __name__)
GROUPINGS = ("kind", "organisation", "weekday_hour", "resource", "week")


def _tz() -> str:
    return str(current_app.config["HUB_TIMEZONE"])


@bp.app_context_processor
def _links() -> dict[str, Any]:
    return {"insights_links": [{"url": url_for("insights.dashboard"), "label": _("Insights")}]}


def _args() -> MultiDict[str, str]:
    """The filters of the URL, with the dates as the page's form takes them (dd-mm-jjjj) in the
    ISO form the report filters and the export API read."""
    args = MultiDict(request.args)
    for key in ("from", "to"):
        day = parse_typed_date(args.get(key))
        if day is not None:
            args[key] = day.isoformat()
    return args


def _filters() -> dict[str, Any]:
    args = _args()
    return {"sites": db.session.scalars(select(Site).order_by(Site.name)).all(),
            "organisations": db.session.scalars(select(Organisation)
                                                .order_by(Organisation.name)).all(),
            "kinds": [(k, pages.KIND_PLURAL[k]) for k in KINDS], "args": args}


def _sizing_args(query: params.OccupancyQuery) -> dict[str, Any]:
    args = _args()
    return {"site": query.scope.site,
            "service_level": params.number(args, "service_level", low=0.5, high=0.999,
                                           default=0.95),
            "count": params.number(args, "count", low=0, high=10_000, default=None,
                                   whole=True),
            "growth": (params.number(args, "growth_pct", low=0, high=300, default=0.0) or 0)
            / 100}


def _context(*, with_sizing: bool) -> dict[str, Any]:
    now, tz = utcnow(), _tz()
    args = _args()
    query = params.occupancy_query(current_user, args, today=data.today(now, tz), tz=tz)
    sizing_args = _sizing_args(query) if with_sizing else {}
    loaded = build.load(query.period, site=query.scope.site, tz=tz)  # once for every chart
    answers = build.occupancy(query.period, query.scope, now=now, tz=tz, loaded=loaded,
                              private_label=_("Private resources"), groupings=GROUPINGS)
    current = Counter(s.kind for s in loaded.spaces if s.bookable)
    ctx: dict[str, Any] = {
        "query": query, "answers": answers, "period": query.period, "current": current,
        "charts": {"heatmap": pages.heatmap(answers["weekday_hour"]),
                   "booked_used": pages.booked_used(answers["kind"]),
                   "peaks": pages.peaks(answers["kind"], current),
                   "organisations": pages.organisations(answers["organisation"]),
                   "refused": pages.refused(answers["week"])},
        "low_coverage": pages.coverage([r for r in answers["resource"]["rows"]
                                        if r["low_coverage"]],
                                       {s.id: s.kind for s in loaded.spaces}),
        "export_args": {k: v for k, v in args.items() if v},
    }
    if with_sizing:
        kinds = [query.scope.kind] if query.scope.kind else [k for k in KINDS if current[k]]
        ctx["sizing"] = [pages.sizing(build.sizing_answer(
            query.period, kind, site=sizing_args["site"],
            service_level=float(sizing_args["service_level"]),
            count=None if sizing_args["count"] is None else int(sizing_args["count"]),
            growth=float(sizing_args["growth"] or 0), now=now, tz=tz, loaded=loaded))
            for kind in kinds]
        ctx["waiting"] = pages.waiting(build.waiting(query.period, site=query.scope.site,
                                                     now=now, tz=tz))
        ctx["sizing_args"] = sizing_args
    return ctx


@bp.get("/facility/insights/")
@role_required(*FACILITY_ROLES)
def dashboard() -> str:
    return render_template("insights/dashboard.html", **_context(with_sizing=True),
                           **_filters())


@bp.get("/insights/organisation")
@login_required
def organisation() -> str:
    """A coordinator's view of their own organisation (facility: pick one in the URL)."""
    if current_user.role not in (*FACILITY_ROLES, params.COORDINATOR):
        abort(403)
    if current_user.role != params.COORDINATOR and not request.args.get("organisation"):
        abort(400)
    return render_template("insights/organisation.html", **_context(with_sizing=False),
                           **_filters())


def _report_html(*, for_pdf: bool) -> str:
    return render_template("insights/report.html", **_context(with_sizing=True),
                           for_pdf=for_pdf, generated=utcnow(),
                           definitions=pages.definitions(),
                           css=pdf.inline_css() if for_pdf else None)


@bp.get("/facility/insights/report")
@role_required(*FACILITY_ROLES)
def report() -> str:
    return _report_html(for_pdf=False)


@bp.get("/facility/insights/report.pdf")
@role_required(*FACILITY_ROLES)
def report_pdf() -> Response:
    body = pdf.render(_report_html(for_pdf=True))
    args = _args()
    period = f"{args.get('from', '')}-{args.get('to', '')}".strip("-")
    name = f"raadsrapportage-{period or 'huisvesting'}.pdf"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
