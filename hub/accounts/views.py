"""Pages: login, account, members of one's organisation, organisations (admin)."""

from __future__ import annotations

import logging
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from hub import links
from hub.accounts import services
from hub.accounts.forms import (
    ROLE_LABELS,
    InviteForm,
    LanguageForm,
    LoginForm,
    MemberForm,
    OrganisationForm,
    SetPasswordForm,
    TokenForm,
    choices,
)
from hub.accounts.imports import import_organisations, import_users
from hub.accounts.models import ApiToken, Organisation, User
from hub.errors import MAX_ID, HubError, NotFound
from hub.extensions import db
from hub.mail import send
from hub.security import safe_url
from hub.timeutil import utcnow

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)


@bp.app_context_processor
def _role_labels() -> dict[str, Any]:
    return {"role_labels": ROLE_LABELS}


def role_required(*roles: str) -> Any:
    """Pages only some roles may open (403 for the others)."""
    def decorate(view: Any) -> Any:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


def _next_page(default_endpoint: str = "home.index") -> str:
    """Where `?next=` asks to go afterwards, if that is a page of the hub (hub/security.py)."""
    return safe_url(request.args.get("next"), url_for(default_endpoint))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    next_page = _next_page()  # a damaged next= is a 400 before any password is checked
    if form.validate_on_submit():
        try:
            user = services.log_in(
                form.email.data or "", form.password.data or "",
                remote_addr=request.remote_addr or "?", now=utcnow(),
                max_attempts=current_app.config["LOGIN_THROTTLE_ATTEMPTS"],
                window_minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])
        except HubError as exc:
            flash(exc.message, "error")
            retry = exc.details.get("retry_after_s")
            return (render_template("accounts/login.html", form=form), exc.status,
                    {"Retry-After": str(retry)} if retry else {})
        if user is not None:
            session.pop("lang", None)
            login_user(user, remember=bool(form.remember.data))
            return redirect(next_page)
        flash(_("E-mail address or password is not right."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/lang/<code>", methods=["GET", "POST"])
def switch_language(code: str) -> Response:
    """The language switch in the footer. A GET (a link, which any site can make a browser
    follow) sets only the language of this browser's session; the stored choice of a
    logged-in user changes by POST, with the form's CSRF token."""
    target = _next_page("accounts.login")
    if code in ("nl", "en"):
        session["lang"] = code
        if current_user.is_authenticated and request.method == "POST":
            services.set_language(current_user.id, code)
    return redirect(target)


@bp.post("/logout")
@login_required
def logout() -> Response:
    services.log_out(current_user.id, current_user.login_token, now=utcnow())
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET"])
@login_required
def account() -> str:
    return _account_page()


def _account_page(new_token: str | None = None) -> str:
    tokens = db.session.scalars(select(ApiToken).filter_by(user_id=current_user.id)
                                .order_by(ApiToken.created_at.desc())).all()
    return render_template("accounts/account.html", tokens=tokens, token_form=TokenForm(),
                           language_form=LanguageForm(language=current_user.language),
                           new_token=new_token)


@bp.post("/account/language")
@login_required
def account_language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        services.set_language(current_user.id, form.language.data or "nl")
        flash(_("Language saved."), "info")
    return redirect(url_for("accounts.account"))


@bp.post("/account/tokens")
@login_required
def create_token() -> Any:
    form = TokenForm()
    if form.validate_on_submit():
        plain = services.create_token(current_user.id, name=form.name.data or "API", now=utcnow())
        # Shown once, on this answer itself: never in the (signed, not encrypted) session
        # cookie, and not kept by the browser's cache.
        return _account_page(new_token=plain), 200, {"Cache-Control": "no-store"}
    else:
        flash(_("Give the token a name."), "error")
    return redirect(url_for("accounts.account"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    services.revoke_token(current_user.id, token_id, now=utcnow())
    flash(_("The token is revoked."), "info")
    return redirect(url_for("accounts.account"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> Any:
    invitation = services.invitation_for(token, now=utcnow())
    form = SetPasswordForm()
    if form.validate_on_submit():
        reset = bool(invitation.user.password_hash)  # a reset, not a first password
        user = services.accept_invitation(token, form.password.data or "", now=utcnow(),
                                          revoke=reset and bool(form.revoke.data))
        login_user(services.begin_login(user.id, now=utcnow()))
        flash(_("Welcome! Your password is set."), "info")
        return redirect(url_for("home.index"))
    return render_template("accounts/invite.html", form=form, invitation=invitation)


def _send_invite(email: str, name: str, token: str) -> str | None:
    """Mail the invitation; without a mail server the link comes back, for the page of the
    person who asked for it (it is a credential: never in the log, never in the cookie)."""
    link = links.invite_url(token)
    sent = send(email, _("Your account for the building's booking hub"),
                _("Hello %(name)s,\n\nSet your password with this link (valid for 7 days, "
                  "once):\n%(link)s\n", name=name, link=link), secret=True)
    return None if sent else link


def _members_page(org: Any, form: Any, status: int = 200, invite_link: str | None = None,
                  invitee: str | None = None) -> Any:
    people = services.members_of(current_user.id, org.id)
    headers = {"Cache-Control": "no-store"} if invite_link else {}
    return render_template("accounts/members.html", org=org, people=people, form=form,
                           member_form=MemberForm(), invite_link=invite_link,
                           invitee=invitee), status, headers


def _org_param(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) > MAX_ID:
        raise NotFound(_("No such organisation."))
    return int(raw)


@bp.route("/org/members", methods=["GET", "POST"])
@role_required("coordinator", "admin")
def members() -> Any:
    org_id = _org_param(request.args.get("org"), current_user.organisation_id)
    form = InviteForm()
    if current_user.role != "admin":
        form.role.choices = choices((r, ROLE_LABELS[r]) for r in services.COORDINATOR_GRANTS)
    org = services.get_organisation(org_id)
    status = 200
    if form.validate_on_submit():
        try:
            user, token = services.invite_member(
                actor_id=current_user.id, email=form.email.data or "", name=form.name.data or "",
                role=form.role.data or "staff", organisation_slug=org.slug, now=utcnow())
            link = _send_invite(user.email, user.name, token)
            if link:
                return _members_page(org, InviteForm(formdata=None), invite_link=link,
                                     invitee=user.name)
            flash(_("%(name)s is invited by e-mail.", name=user.name), "info")
            return redirect(url_for("accounts.members", org=org.id))
        except HubError as exc:
            flash(exc.message, "error")
            status = exc.status
    elif request.method == "POST":
        status = 400
    return _members_page(org, form, status)


@bp.post("/org/members/<int:user_id>")
@role_required("coordinator", "admin")
def update_member(user_id: int) -> Response:
    form = MemberForm()
    user = db.session.get(User, user_id)
    if user is None or user.is_placeholder:
        abort(404)
    services.members_of(current_user.id, user.organisation_id)  # 403 before the form's shape
    if form.validate_on_submit():
        services.update_member(actor_id=current_user.id, user_id=user_id,
                               role=form.role.data or user.role, active=bool(form.active.data),
                               now=utcnow())
        flash(_("Saved."), "info")
    return redirect(url_for("accounts.members", org=user.organisation_id))


@bp.post("/org/members/<int:user_id>/reinvite")
@role_required("coordinator", "admin")
def reinvite(user_id: int) -> Any:
    token = services.reinvite(actor_id=current_user.id, user_id=user_id, now=utcnow(),
                              compromised=request.form.get("compromised") == "1")
    user = db.session.get(User, user_id)
    assert user is not None
    link = _send_invite(user.email, user.name, token)
    if link:
        return _members_page(user.organisation, InviteForm(formdata=None), invite_link=link,
                             invitee=user.name)
    flash(_("A new invitation is sent to %(email)s.", email=user.email), "info")
    return redirect(url_for("accounts.members", org=user.organisation_id))


@bp.route("/admin/organisations", methods=["GET", "POST"])
@role_required("admin")
def organisations() -> Any:
    form = OrganisationForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.create_organisation(slug=form.slug.data or "", name=form.name.data or "",
                                         kind=form.kind.data or "core", now=utcnow(),
                                         actor_id=current_user.id, channel="web")
            flash(_("Organisation added."), "info")
            return redirect(url_for("accounts.organisations"))
        except HubError as exc:
            flash(exc.message, "error")
            status = exc.status
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("accounts/organisations.html", orgs=orgs, form=form), status


@bp.route("/admin/organisations/<int:org_id>", methods=["GET", "POST"])
@role_required("admin")
def edit_organisation(org_id: int) -> Any:
    org = services.get_organisation(org_id)
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        services.update_organisation(org.id, name=form.name.data or "", kind=form.kind.data or "",
                                     active=bool(form.active.data), now=utcnow(),
                                     actor_id=current_user.id)
        flash(_("Saved."), "info")
        return redirect(url_for("accounts.organisations"))
    return render_template("accounts/organisation_edit.html", org=org, form=form)


@bp.route("/admin/import", methods=["GET", "POST"])
@role_required("admin")
def import_csv() -> Any:
    from flask_wtf import FlaskForm

    form = FlaskForm()
    report = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        what = request.form.get("what")
        if upload is None or what not in ("organisations", "users"):
            flash(_("Choose what to import and a CSV file."), "error")
        else:
            importer = import_organisations if what == "organisations" else import_users
            report = importer(upload.read(), now=utcnow(), actor_id=current_user.id,
                              channel="web")
    return render_template("accounts/import.html", form=form, report=report)
