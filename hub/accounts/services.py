"""Use cases for organisations, users, login, tokens and invitations. Plain values in."""

from __future__ import annotations

import functools
import logging
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from hub.accounts import sessions, throttle, token_auth
from hub.accounts.credentials import revoke_credentials
from hub.accounts.models import (
    LANGUAGES,
    ORG_KINDS,
    ApiToken,
    Invitation,
    Organisation,
    User,
)
from hub.accounts.roles import COORDINATOR_GRANTS, ROLES
from hub.accounts.tokens import new_token, token_hash
from hub.audit.services import record
from hub.db import transactional, write
from hub.errors import InvalidInput, NotAllowed, NotFound
from hub.extensions import db

log = logging.getLogger(__name__)
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
FORMULA_STARTS = ("=", "+", "-", "@")
NUMBER_RE = re.compile(r"^[+-]?\d+([.,]\d+)?$")
MIN_PASSWORD = 10
ADDRESS_FACTOR = throttle.ADDRESS_FACTOR


def normalise_email(value: str) -> str:
    """A syntactically valid address, lower-cased; InvalidInput otherwise."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise InvalidInput(_("%(value)s is not a valid e-mail address.", value=value[:80]),
                           {"field": "email"}) from None


def check_slug(value: str, field: str = "slug") -> str:
    value = value.strip().lower()
    if not SLUG_RE.match(value):
        raise InvalidInput(
            _("Use lower-case letters, digits and dashes for %(field)s.", field=field),
            {"field": field})
    return value


def has_control_characters(value: str) -> bool:
    """True for NUL and other control characters (PostgreSQL cannot store NUL at all)."""
    return any(unicodedata.category(c) == "Cc" for c in value)


def looks_like_formula(value: str) -> bool:
    """A spreadsheet would run this text as a formula when it is exported (CSV injection)."""
    return value[:1] in FORMULA_STARTS and not NUMBER_RE.match(value)


def clean_name(value: str, field: str = "name") -> str:
    """One line of 1 to 200 printable characters that no spreadsheet runs as a formula."""
    if has_control_characters(value.replace("\t", " ").replace("\n", " ")):
        raise InvalidInput(_("The name contains characters that are not allowed."),
                           {"field": field})
    value = " ".join(value.split())
    if not value or len(value) > 200:
        raise InvalidInput(_("Give a name of 1 to 200 characters."), {"field": field})
    if looks_like_formula(value):
        raise InvalidInput(_("A name may not start with =, +, - or @."), {"field": field})
    return value


@transactional
def create_organisation(*, slug: str, name: str, kind: str, now: datetime,
                        actor_id: int | None = None, channel: str = "cli") -> Organisation:
    """A new partner organisation (`core` or `network`)."""
    slug = check_slug(slug)
    if kind not in ORG_KINDS:
        raise InvalidInput(_("Kind must be core or network."), {"field": "kind"})
    if db.session.scalar(select(Organisation).filter_by(slug=slug)):
        raise InvalidInput(_("An organisation %(slug)s exists already.", slug=slug),
                           {"field": "slug"})
    org = Organisation(slug=slug, name=clean_name(name), kind=kind, active=True, created_at=now)
    db.session.add(org)
    db.session.flush()
    record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
           action="organisation.create", entity_type="organisation", entity_id=org.id, now=now,
           after=org.as_dict())
    return org


@transactional
def update_organisation(org_id: int, *, name: str, kind: str, active: bool, now: datetime,
                        actor_id: int, channel: str = "web") -> Organisation:
    org = get_organisation(org_id)
    if kind not in ORG_KINDS:
        raise InvalidInput(_("Kind must be core or network."), {"field": "kind"})
    before = {**org.as_dict(), "active": org.active}
    org.name, org.kind, org.active = clean_name(name), kind, active
    record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
           action="organisation.update", entity_type="organisation", entity_id=org.id, now=now,
           before=before, after={**org.as_dict(), "active": org.active})
    return org


def get_organisation(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(_("No such organisation."))
    return org


def organisation_by_slug(slug: str) -> Organisation:
    org = db.session.scalar(select(Organisation).filter_by(slug=slug.strip().lower()))
    if org is None:
        raise InvalidInput(_("Unknown organisation %(slug)s.", slug=slug[:64]),
                           {"field": "organisation"})
    return org


def actor_label(user_id: int | None) -> str:
    """How the audit log names an actor: the e-mail address, or "system"."""
    if user_id is None:
        return "system"
    user = db.session.get(User, user_id)
    return user.email if user else f"user {user_id}"


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(_("A password needs at least %(n)d characters.", n=MIN_PASSWORD),
                           {"field": "password"})
    user.password_hash = generate_password_hash(password, method=_hash_method())
    user.session_version = (user.session_version or 0) + 1


@transactional
def create_user(*, email: str, organisation_slug: str, role: str, now: datetime,
                name: str | None = None, password: str | None = None, language: str = "nl",
                actor_id: int | None = None, channel: str = "cli") -> User:
    """A new user in an organisation; without a password the user needs an invitation."""
    email = normalise_email(email)
    if role not in ROLES:
        raise InvalidInput(_("Role must be one of: %(roles)s.", roles=", ".join(ROLES)),
                           {"field": "role"})
    if language not in LANGUAGES:
        raise InvalidInput(_("Language must be nl or en."), {"field": "language"})
    org = organisation_by_slug(organisation_slug)
    if db.session.scalar(select(User).filter_by(email=email)):
        raise InvalidInput(_("A user with e-mail %(email)s exists already.", email=email),
                           {"field": "email"})
    user = User(email=email, name=clean_name(name or email.split("@")[0]), organisation=org,
                role=role, language=language, active=True, created_at=now,
                session_version=1)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    record(actor_id=actor_id, actor_label=actor_label(actor_id), channel=channel,
           action="user.create", entity_type="user", entity_id=user.id, now=now,
           after=_user_view(user))
    return user


def _user_view(user: User) -> dict[str, object]:
    return {"email": user.email, "name": user.name, "organisation": user.organisation.slug,
            "role": user.role, "active": user.active}


def user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).filter_by(email=email.strip().lower()))
    if user is None:
        raise NotFound(_("No user with e-mail %(email)s.", email=email[:80]))
    return user


# --- login -----------------------------------------------------------------------------------

def _hash_method() -> str:
    # Tests set a cheap method; scrypt costs ~0.1 s a hash, on purpose, everywhere else.
    # Read per call, not cached: each app (tests, the CLI) has its own setting.
    return str(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


@functools.cache
def _dummy_hash(method: str) -> str:
    # Made once per method: an unknown address then costs one hash check, like a known one
    # (making it on every attempt cost a second hash, and the time told who exists).
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _password_ok(user: User | None, password: str) -> bool:
    """One hash check whoever asks: known, unknown, or invited without a password yet."""
    stored = user.password_hash if user and user.password_hash else None
    ok = check_password_hash(stored or _dummy_hash(_hash_method()), password)
    return bool(ok and stored and user and user.is_active)


def authenticate(email: str, password: str, *, remote_addr: str, now: datetime,
                 max_attempts: int = 5, window_minutes: int = 15) -> User | None:
    """The user for a correct e-mail and password, None otherwise; throttles repeated failures
    per account and per address (hub/accounts/throttle.py)."""
    email = email.strip().lower()[:254]
    if has_control_characters(email):
        return None  # belongs to nobody, and PostgreSQL could not store it as an attempt
    address = remote_addr[:64]
    throttle.check_allowed(email, address, now=now,
                           limits=throttle.Limits(max_attempts, window_minutes))
    user = db.session.scalar(select(User).filter_by(email=email))
    ok = _password_ok(user, password)
    with write():
        throttle.record_attempt(email, address, now=now, success=ok)
    return db.session.get(User, user.id) if ok and user else None


def log_in(email: str, password: str, *, remote_addr: str, now: datetime,
           max_attempts: int = 5, window_minutes: int = 15) -> User | None:
    """`authenticate`, then a server-side session (`begin_login`)."""
    user = authenticate(email, password, remote_addr=remote_addr, now=now,
                        max_attempts=max_attempts, window_minutes=window_minutes)
    return begin_login(user.id, now=now) if user else None


def begin_login(user_id: int, *, now: datetime) -> User:
    """A server-side session for a user who proved who they are (its token on
    `user.login_token`, for the cookie), audited."""
    with write():
        token = sessions.start_session(user_id, now=now)
        record(actor_id=user_id, actor_label=actor_label(user_id), channel="web",
               action="user.login", entity_type="user", entity_id=user_id, now=now)
    user = db.session.get(User, user_id)
    assert user is not None
    user.login_token = token
    return user


def log_out(user_id: int, login_token: str | None, *, now: datetime) -> None:
    """End this login's server-side session (a copied cookie stops working), audited."""
    with write():
        if login_token:
            sessions.end_session(user_id, login_token, now=now)
        record(actor_id=user_id, actor_label=actor_label(user_id), channel="web",
               action="user.logout", entity_type="user", entity_id=user_id, now=now)


# --- personal API tokens ---------------------------------------------------------------------

@transactional
def create_token(user_id: int, *, name: str, now: datetime, channel: str = "web") -> str:
    """A new personal API token; the plain text is returned once and only its hash is kept."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound(_("No such active user."))
    plain = new_token()
    db.session.add(ApiToken(user_id=user.id, name=clean_name(name or "API"),
                            token_hash=token_hash(plain), prefix=plain[:10], created_at=now))
    record(actor_id=user.id, actor_label=user.email, channel=channel, action="token.create",
           entity_type="user", entity_id=user.id, now=now, after={"name": name})
    return plain


@transactional
def revoke_token(user_id: int, token_id: int, *, now: datetime, channel: str = "web") -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now
        record(actor_id=user_id, actor_label=actor_label(user_id), channel=channel,
               action="token.revoke", entity_type="api_token", entity_id=token.id, now=now)


def user_for_token(plain: str, *, now: datetime) -> User | None:
    """The active user a valid, unrevoked token belongs to; keeps its last-used time (the
    API itself defers that write until its answer is sent: hub.apiauth)."""
    use = token_auth.find(plain, now=now)
    if use is None:
        return None
    if use.stale:
        token_auth.touch(use.token_id, now=now)
    return use.user


@transactional
def set_language(user_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(_("Language must be nl or en."), {"field": "language"})
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    user.language = language


# --- members and invitations -----------------------------------------------------------------

def _may_manage(actor: User, target_org_id: int) -> None:
    if actor.role == "admin":
        return
    if actor.role == "coordinator" and actor.organisation_id == target_org_id:
        return
    raise NotAllowed(_("Only a coordinator of this organisation or an admin may do this."))


@transactional
def invite_member(*, actor_id: int, email: str, name: str, role: str, now: datetime,
                  organisation_slug: str | None = None, valid_days: int = 7,
                  channel: str = "web") -> tuple[User, str]:
    """Create an inactive-password member and a one-time link token to set a password."""
    actor = db.session.get(User, actor_id)
    if actor is None:
        raise NotAllowed(_("Log in first."))
    org_slug = organisation_slug or actor.organisation.slug
    org = organisation_by_slug(org_slug)
    _may_manage(actor, org.id)
    if actor.role != "admin" and role not in COORDINATOR_GRANTS:
        raise NotAllowed(_("A coordinator may give the roles staff and coordinator only."))
    user = create_user(email=email, organisation_slug=org.slug, role=role, now=now, name=name,
                       actor_id=actor_id, channel=channel)
    plain = create_invitation(user, actor_id=actor_id, now=now, valid_days=valid_days)
    return user, plain


def create_invitation(user: User, *, actor_id: int | None, now: datetime, valid_days: int) -> str:
    plain = secrets.token_urlsafe(32)
    db.session.add(Invitation(user_id=user.id, token_hash=token_hash(plain),
                              created_by_id=actor_id, created_at=now,
                              expires_at=now + timedelta(days=valid_days)))
    return plain


@transactional
def reinvite(*, actor_id: int, user_id: int, now: datetime, valid_days: int = 7,
             channel: str = "web", compromised: bool = False) -> str:
    """A new one-time link to set a password, for a member the actor manages. For a
    `compromised` account (admins only) the old password, API tokens, calendar links and
    logins stop working at once."""
    actor = db.session.get(User, actor_id)
    user = db.session.get(User, user_id)
    if actor is None or user is None or user.is_placeholder:
        raise NotFound(_("No such user."))
    _may_manage(actor, user.organisation_id)
    if actor.role != "admin" and user.role not in COORDINATOR_GRANTS:
        # A new password link for an admin or facility manager is not a coordinator's to send.
        raise NotAllowed(_("A coordinator may give the roles staff and coordinator only."))
    if compromised:
        if actor.role != "admin":
            raise NotAllowed(_("Only an admin may lock a compromised account."))
        user.password_hash = None
        record(actor_id=actor_id, actor_label=actor.email, channel=channel,
               action="credentials.revoke", entity_type="user", entity_id=user.id, now=now,
               after=revoke_credentials(user, now=now))
    plain = create_invitation(user, actor_id=actor_id, now=now, valid_days=valid_days)
    record(actor_id=actor_id, actor_label=actor.email, channel=channel,
           action="invitation.resend", entity_type="user", entity_id=user.id, now=now)
    return plain


def invitation_for(plain: str, *, now: datetime) -> Invitation:
    inv = db.session.scalar(select(Invitation).filter_by(token_hash=token_hash(plain)))
    if inv is None or inv.used_at is not None or inv.expires_at <= now:
        raise NotFound(_("This invitation link is not valid any more. Ask for a new one."))
    return inv


@transactional
def accept_invitation(plain: str, password: str, *, now: datetime,
                      revoke: bool = False) -> User:
    """Set the password of an invited user; the link works once. With `revoke` (offered on a
    reset) the API tokens, calendar links and other logins of the account stop working."""
    inv = invitation_for(plain, now=now)
    if revoke:
        record(actor_id=inv.user_id, actor_label=inv.user.email, channel="web",
               action="credentials.revoke", entity_type="user", entity_id=inv.user_id,
               now=now, after=revoke_credentials(inv.user, now=now))
    set_password(inv.user, password)
    inv.used_at = now
    record(actor_id=inv.user_id, actor_label=inv.user.email, channel="web",
           action="invitation.accept", entity_type="user", entity_id=inv.user_id, now=now)
    return inv.user


@transactional
def update_member(*, actor_id: int, user_id: int, role: str, active: bool, now: datetime,
                  channel: str = "web") -> User:
    """Change a member's role or deactivate them, within the actor's rights."""
    actor = db.session.get(User, actor_id)
    user = db.session.get(User, user_id)
    if actor is None or user is None or user.is_placeholder:
        raise NotFound(_("No such user."))
    _may_manage(actor, user.organisation_id)
    if role not in ROLES:
        raise InvalidInput(_("Unknown role."), {"field": "role"})
    if actor.role != "admin" and (role not in COORDINATOR_GRANTS
                                  or user.role not in COORDINATOR_GRANTS):
        raise NotAllowed(_("A coordinator may give the roles staff and coordinator only."))
    if user.id == actor.id and (not active or role != actor.role):
        raise NotAllowed(_("You cannot change your own role or deactivate yourself."))
    before = _user_view(user)
    user.role = role
    if user.active and not active:
        user.session_version += 1
    user.active = active
    record(actor_id=actor_id, actor_label=actor.email, channel=channel, action="user.update",
           entity_type="user", entity_id=user.id, now=now, before=before, after=_user_view(user))
    return user


def members_of(actor_id: int, organisation_id: int) -> list[User]:
    actor = db.session.get(User, actor_id)
    if actor is None:
        raise NotAllowed(_("Log in first."))
    _may_manage(actor, organisation_id)
    return list(db.session.scalars(
        select(User).filter_by(organisation_id=organisation_id).where(User.is_person())
        .order_by(User.name)))
