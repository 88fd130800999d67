"""Facility pages: resources, imports and the booking policy."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from hub.accounts.forms import choices
from hub.accounts.models import ORG_KINDS, Organisation
from hub.accounts.roles import FACILITY_ROLES
from hub.accounts.views import role_required
from hub.building import services
from hub.building.forms import AMENITY_LABELS, KIND_LABELS, FloorForm, ResourceForm, SiteForm
from hub.building.imports import import_resources
from hub.building.models import RESOURCE_KINDS, Floor, Resource, Site
from hub.errors import HubError
from hub.extensions import db
from hub.timeutil import utcnow

bp = Blueprint("building", __name__, url_prefix="/facility")


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {"kind_labels": KIND_LABELS, "amenity_labels": AMENITY_LABELS}


@bp.get("/")
@role_required(*FACILITY_ROLES)
def index() -> str:
    return _index_page(SiteForm(prefix="site"), _floor_form())


def _floor_form() -> FloorForm:
    form = FloorForm(prefix="floor")
    sites = db.session.scalars(select(Site).order_by(Site.name)).all()
    form.site.choices = choices((s.slug, s.name) for s in sites)
    return form


def _index_page(site_form: SiteForm, floor_form: FloorForm, status: int = 200) -> Any:
    sites = db.session.scalars(select(Site).order_by(Site.name)).all()
    return render_template("building/index.html", sites=sites, site_form=site_form,
                           floor_form=floor_form), status


@bp.post("/sites")
@role_required(*FACILITY_ROLES)
def add_site() -> Any:
    form = SiteForm(prefix="site")
    if form.validate_on_submit():
        try:
            services.create_site(slug=form.slug.data or "", name=form.name.data or "",
                                 address=form.address.data or "", actor_id=current_user.id,
                                 now=utcnow(), channel="web")
            flash(_("Site added."), "info")
            return redirect(url_for("building.index"))
        except HubError as exc:
            flash(exc.message, "error")
    return _index_page(form, _floor_form(), 400)


@bp.post("/floors")
@role_required(*FACILITY_ROLES)
def add_floor() -> Any:
    form = _floor_form()
    if form.validate_on_submit():
        try:
            services.create_floor(site_slug=form.site.data or "", slug=form.slug.data or "",
                                  name=form.name.data or "", level=form.level.data or 0,
                                  actor_id=current_user.id, now=utcnow(), channel="web")
            flash(_("Floor or zone added."), "info")
            return redirect(url_for("building.index"))
        except HubError as exc:
            flash(exc.message, "error")
    return _index_page(SiteForm(prefix="site"), form, 400)


@bp.get("/resources")
@role_required(*FACILITY_ROLES)
def resources() -> str:
    rows = db.session.scalars(select(Resource).join(Floor).order_by(
        Floor.level, Resource.kind, Resource.name)).all()
    return render_template("building/resources.html", resources=rows)


def _fill_choices(form: ResourceForm) -> None:
    floors = db.session.scalars(select(Floor).join(Site).order_by(Site.name, Floor.level)).all()
    form.floor_id.choices = choices((f.id, f"{f.site.name} · {f.name}") for f in floors)
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    form.restricted_to.choices = choices((o.slug, o.name) for o in orgs)


def _form_values(form: ResourceForm) -> dict[str, Any]:
    kinds = form.org_kinds.data or ""
    return {"name": form.name.data or "", "kind": form.kind.data, "capacity": form.capacity.data,
            "amenities": form.amenities.data or [], "privacy": form.privacy.data,
            "org_kinds": kinds.split(",") if kinds else None,
            "description": form.description.data or "",
            "restricted_to": form.restricted_to.data or [],
            "bookable": bool(form.bookable.data), "active": bool(form.active.data)}


@bp.route("/resources/new", methods=["GET", "POST"])
@role_required(*FACILITY_ROLES)
def new_resource() -> Any:
    form = ResourceForm()
    _fill_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            resource = services.create_resource(
                slug=form.slug.data or "", floor_id=form.floor_id.data, now=utcnow(),
                actor_id=current_user.id, channel="web", **_form_values(form))
            flash(_("%(name)s is added.", name=resource.name), "info")
            return redirect(url_for("building.resources"))
        except HubError as exc:
            flash(exc.message, "error")
            status = exc.status
    elif request.method == "POST":
        status = 400
    return render_template("building/resource_form.html", form=form, resource=None), status


@bp.route("/resources/<int:resource_id>", methods=["GET", "POST"])
@role_required(*FACILITY_ROLES)
def edit_resource(resource_id: int) -> Any:
    resource = services.get_resource(resource_id)
    form = ResourceForm(obj=resource)
    _fill_choices(form)
    if request.method == "GET":
        form.restricted_to.data = [o.slug for o in resource.restricted_to]
        form.org_kinds.data = ",".join(resource.org_kinds) if resource.org_kinds else ""
    status = 200
    if form.validate_on_submit():
        try:
            values = _form_values(form)
            services.update_resource(resource.id, now=utcnow(), actor_id=current_user.id,
                                     floor_id=form.floor_id.data, **values)
            flash(_("Saved."), "info")
            return redirect(url_for("building.resources"))
        except HubError as exc:
            flash(exc.message, "error")
            status = exc.status
    elif request.method == "POST":
        status = 400
    return render_template("building/resource_form.html", form=form,
                           resource=resource), status


@bp.route("/import", methods=["GET", "POST"])
@role_required(*FACILITY_ROLES)
def import_csv() -> Any:
    form = FlaskForm()
    report = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None:
            flash(_("Choose a CSV file."), "error")
        else:
            report = import_resources(upload.read(), now=utcnow(), actor_id=current_user.id,
                                      channel="web")
    return render_template("building/import.html", form=form, report=report)


@bp.route("/policy", methods=["GET", "POST"])
@role_required(*FACILITY_ROLES)
def policy() -> Any:
    form = FlaskForm()
    if form.validate_on_submit():
        pairs = {(o, k) for o in ORG_KINDS for k in RESOURCE_KINDS
                 if request.form.get(f"{o}:{k}") == "1"}
        services.set_permissions(pairs, actor_id=current_user.id, now=utcnow(), channel="web")
        flash(_("The booking policy is saved."), "info")
        return redirect(url_for("building.policy"))
    return render_template("building/policy.html", form=form, pairs=services.permitted_pairs(),
                           org_kinds=ORG_KINDS, resource_kinds=RESOURCE_KINDS)
