"""Facility: upload a floor-plan image and place the desks on it (for the desk picker)."""

from __future__ import annotations

import secrets
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from hub.accounts.roles import FACILITY_ROLES
from hub.accounts.views import role_required
from hub.audit.services import record
from hub.building.models import Floor
from hub.building.queries import resources_on, upload_folder
from hub.building.views import bp
from hub.db import write
from hub.extensions import db
from hub.forms import ActionForm
from hub.timeutil import utcnow

# Raster images only: an SVG can carry script and would be served from our own origin.
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"RIFF": "webp"}


class PlanForm(FlaskForm):
    image = FileField(_l("Floor plan (PNG, JPEG or WebP, at most 5 MB)"),
                      validators=[FileRequired()])


def image_kind(head: bytes) -> str | None:
    """The image type from its first bytes, or None for anything else."""
    for magic, ext in SIGNATURES.items():
        if head.startswith(magic) and (ext != "webp" or head[8:12] == b"WEBP"):
            return ext
    return None


def _floor(floor_id: int) -> Floor:
    floor = db.session.get(Floor, floor_id)
    if floor is None:
        abort(404)
    return floor


def _save_plan(floor: Floor, data: bytes, ext: str) -> None:
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"floor-{floor.id}-{secrets.token_hex(6)}.{ext}"
    (folder / name).write_bytes(data)
    before = floor.plan_image
    floor.plan_image = name
    record(actor_id=current_user.id, actor_label=current_user.email, channel="web",
           action="floor.plan", entity_type="floor", entity_id=floor.id, now=utcnow(),
           before={"plan_image": before}, after={"plan_image": name})


def _place_desks(floor: Floor) -> int:
    """Positions from the form, in percent of the image; empty fields clear a position."""
    moved = 0
    for desk in resources_on(floor, "desk"):
        values = [request.form.get(f"{axis}-{desk.id}", "").strip() for axis in ("x", "y")]
        try:
            x, y = (None if v == "" else min(100.0, max(0.0, float(v))) for v in values)
        except ValueError:
            continue
        if (x, y) != (desk.plan_x, desk.plan_y):
            record(actor_id=current_user.id, actor_label=current_user.email, channel="web",
                   action="desk.place", entity_type="resource", entity_id=desk.id,
                   now=utcnow(), before={"x": desk.plan_x, "y": desk.plan_y},
                   after={"x": x, "y": y})
            desk.plan_x, desk.plan_y = x, y
            moved += 1
    return moved


@bp.route("/floors/<int:floor_id>/plan", methods=["GET", "POST"])
@role_required(*FACILITY_ROLES)
def edit_plan(floor_id: int) -> Any:
    floor = _floor(floor_id)
    form = PlanForm()
    status = 200
    if form.validate_on_submit():
        data = form.image.data.read()
        ext = image_kind(data[:16])
        if ext is None:
            form.image.errors.append(_("Upload a PNG, JPEG or WebP image."))
            status = 400
        else:
            with write():
                _save_plan(db.session.get(Floor, floor.id), data, ext)
            flash(_("The floor plan is saved."), "info")
            return redirect(url_for("building.edit_plan", floor_id=floor.id))
    elif request.method == "POST":
        status = 400
    plan_url = url_for("booking_pages.floor_plan", floor_id=floor.id) if floor.plan_image else None
    return render_template("building/plan_edit.html", floor=floor, form=form, plan_url=plan_url,
                           desks=resources_on(floor, "desk"), positions_form=ActionForm()), status


@bp.post("/floors/<int:floor_id>/desks")
@role_required(*FACILITY_ROLES)
def place_desks(floor_id: int) -> Any:
    floor = _floor(floor_id)
    if ActionForm().validate_on_submit():
        with write():
            moved = _place_desks(_floor(floor_id))
        flash(_("%(n)s desk positions saved.", n=moved), "info")
    else:
        flash(_("The form expired. Try again."), "error")
    return redirect(url_for("building.edit_plan", floor_id=floor.id))
