"""Door and desk labels: a print-ready sheet per floor (the browser prints it, or saves it as
a PDF) and the resource QR as SVG and PNG. Each label: name, a 3 cm QR of /r/<slug> with
its quiet zone, and the short URL written out for people who type it."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request
from markupsafe import Markup
from sqlalchemy import select

from hub.accounts.views import role_required
from hub.building.models import Floor, Resource, Site
from hub.calendar.qr import qr_png_bytes, qr_svg
from hub.extensions import db
from hub.kiosk.web import bp
from hub.links import resource_url

FACILITY = ("facility", "admin")


def short(url: str) -> str:
    """The URL as a person would type it: without the scheme."""
    return url.split("://", 1)[-1]


def _floors() -> list[Floor]:
    return list(db.session.scalars(select(Floor).join(Site).order_by(Site.name, Floor.level,
                                                                     Floor.name)))


def _labels(floor: Floor) -> list[dict[str, Any]]:
    resources = db.session.scalars(select(Resource).where(
        Resource.floor_id == floor.id, Resource.active.is_(True)).order_by(Resource.kind,
                                                                           Resource.name))
    labels = []
    for resource in resources:
        url = resource_url(resource.slug)
        labels.append({"resource": resource, "url": url, "short": short(url),
                       "svg": Markup(qr_svg(url, resource.name))})  # noqa: S704 - our own SVG
    return labels


@bp.get("/facility/labels")
@role_required(*FACILITY)
def label_sheet() -> str:
    """Pick a floor; its label sheet, ready to print (one label per active resource)."""
    floors = _floors()
    chosen = request.args.get("floor", type=int)
    floor = next((f for f in floors if f.id == chosen), floors[0] if floors else None)
    return render_template("kiosk/labels.html", floors=floors, floor=floor,
                           labels=_labels(floor) if floor else [])


def _resource(slug: str) -> Resource:
    resource = db.session.scalar(select(Resource).filter_by(slug=slug[:64]))
    if resource is None or not resource.active:
        abort(404)
    return resource


@bp.get("/r/<slug>/qr.svg")
def resource_qr_svg(slug: str) -> Response:
    """The label's QR as SVG (the URL printed on the door is public anyway)."""
    resource = _resource(slug)
    svg = qr_svg(resource_url(resource.slug), resource.name)
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + svg.replace(
        "<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1) if "xmlns=" not in svg else svg,
        mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/r/<slug>/qr.png")
def resource_qr_png(slug: str) -> Response:
    resource = _resource(slug)
    return Response(qr_png_bytes(resource_url(resource.slug)), mimetype="image/png",
                    headers={"Cache-Control": "public, max-age=3600"})
