"""Facility page of the kiosks: enrol (the credential is shown once), last seen, revoke."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hub.accounts.views import role_required
from hub.errors import HubError
from hub.extensions import db
from hub.kiosk import services
from hub.kiosk.models import Kiosk
from hub.kiosk.web import bp
from hub.links import external
from hub.timeutil import utcnow

FACILITY = ("facility", "admin")


def _kiosks() -> list[Kiosk]:
    return list(db.session.scalars(select(Kiosk).order_by(Kiosk.revoked_at.is_not(None),
                                                          Kiosk.name)))


@bp.get("/facility/kiosks")
@role_required(*FACILITY)
def kiosks() -> str:
    return render_template("kiosk/kiosks.html", kiosks=_kiosks(), new=None, errors={})


@bp.post("/facility/kiosks")
@role_required(*FACILITY)
def enrol() -> Any:
    name = request.form.get("name", "")
    location = request.form.get("location", "")
    try:
        kiosk, credential = services.enrol_kiosk(name=name, location=location, now=utcnow(),
                                                 actor_id=current_user.id, channel="web")
    except HubError as error:
        return render_template("kiosk/kiosks.html", kiosks=_kiosks(), new=None,
                               errors={"name": error.message}, name=name,
                               location=location), 400
    # Shown once: only the hash is kept. The link carries it in the fragment, which a
    # browser never sends to a server.
    link = external("kiosk_pages.kiosk") + "#credential=" + credential
    return render_template("kiosk/kiosks.html", kiosks=_kiosks(), errors={},
                           new={"kiosk": kiosk, "credential": credential, "link": link})


@bp.post("/facility/kiosks/<int:kiosk_id>/revoke")
@role_required(*FACILITY)
def revoke(kiosk_id: int) -> Any:
    try:
        kiosk = services.revoke_kiosk(kiosk_id=kiosk_id, now=utcnow(), actor_id=current_user.id)
        flash(_("Kiosk %(name)s can no longer check anybody in.", name=kiosk.name), "info")
    except HubError as error:
        flash(error.message, "error")
    return redirect(url_for("kiosk_pages.kiosks"))
