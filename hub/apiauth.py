"""Who is calling the API: a personal token, a kiosk credential, or the browser session."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, after_this_request, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from hub.errors import InvalidInput, NotAllowed, NotAuthenticated
from hub.registries import registry
from hub.timeutil import utcnow

F = TypeVar("F", bound=Callable[..., Any])
PUBLIC_PATHS = ("/api/v1/openapi.json",)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def authenticate_api_request() -> None:
    """Run before every /api/v1 request: sets g.api_user or g.kiosk, or answers 401."""
    if not request.path.startswith("/api/v1/") or request.path in PUBLIC_PATHS:
        return
    g.api_user, g.kiosk = None, None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, credential = header.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise NotAuthenticated(_("Use the header Authorization: Bearer <token>."))
        _from_bearer(credential.strip())
        return
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except (ValidationError, CSRFError):
                raise InvalidInput(_("Send the X-CSRFToken header with a session request."),
                                   {"header": "X-CSRFToken"}) from None
        g.api_user = current_user._get_current_object()
        return
    raise NotAuthenticated(_("Log in, or send a personal API token as a Bearer token."))


def _from_bearer(credential: str) -> None:
    from hub.accounts import token_auth

    now = utcnow()
    use = token_auth.find(credential, now=now)
    if use is not None:
        g.api_user = use.user
        if use.stale:
            _touch_after_response(use.token_id, now)
        return
    # Kiosk credentials are resolved by what the kiosk package registers.
    for resolve in registry().items("kiosk_resolvers"):
        kiosk = resolve(credential)
        if kiosk is not None:
            g.kiosk = kiosk
            if not request.path.startswith("/api/v1/kiosk/"):
                raise NotAllowed(_("A kiosk may only use the kiosk endpoints."))
            return
    raise NotAuthenticated(_("This token is unknown or revoked. Make a new one on /account."))


def _touch_after_response(token_id: int, now: Any) -> None:
    """Keep the token's last-used time once the answer is on its way: the caller never waits
    for that write (nor for SQLite's write lock)."""
    from hub.accounts import token_auth

    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def touch() -> None:
        with app.app_context():
            try:
                token_auth.touch(token_id, now=now)
            except Exception:  # a busy database: the next call keeps the time instead
                logging.getLogger(__name__).warning("token last-used time not kept",
                                                    exc_info=True)

    @after_this_request
    def schedule(response: Response) -> Response:
        response.call_on_close(touch)
        return response


def api_user() -> Any:
    """The authenticated person (never a kiosk); 403 for a kiosk."""
    user = g.get("api_user")
    if user is None:
        if g.get("kiosk") is not None:
            raise NotAllowed(_("A kiosk may only use the kiosk endpoints."))
        raise NotAuthenticated(_("Log in, or send a personal API token as a Bearer token."))
    return user


def roles_required(*roles: str) -> Callable[[F], F]:
    """403 unless the API caller has one of the roles; runs before input parsing."""
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if api_user().role not in roles:
                raise NotAllowed(_("Your role may not use this endpoint."))
            return view(*args, **kwargs)
        return cast(F, wrapper)
    return decorate
