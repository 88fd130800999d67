"""Domain exceptions and their mapping to HTTP answers, in one place."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)
# The largest id a row can have (PostgreSQL integer); a bigger one in a URL names nothing.
MAX_ID = 2**31 - 1


class HubError(Exception):
    """Base of the errors a user can act on."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInput(HubError):
    status, code = 400, "invalid_input"


class NotAuthenticated(HubError):
    status, code = 401, "not_authenticated"


class NotAllowed(HubError):
    status, code = 403, "not_allowed"


class NotFound(HubError):
    status, code = 404, "not_found"


class BookingConflict(HubError):
    status, code = 409, "booking_conflict"


class SeriesConflict(HubError):
    status, code = 409, "series_conflict"


class Conflict(HubError):
    status, code = 409, "conflict"


class RuleViolation(HubError):
    status, code = 422, "rule_violation"


class TooManyRequests(HubError):
    status, code = 429, "too_many_requests"


class DatabaseBusy(HubError):
    """The write lock was not free within the busy timeout (SQLite); the client may retry."""

    status, code = 503, "database_busy"


HTTP_CODES = {
    400: "bad_request", 401: "not_authenticated", 403: "not_allowed", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "invalid_input", 429: "too_many_requests",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _answer(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Any:
    from hub.extensions import db

    # A failed statement leaves PostgreSQL's transaction aborted; the error page itself reads
    # the database (the logged-in user), so start clean. Nothing an error answer made is kept.
    db.session.rollback()
    if wants_json():
        return jsonify(error_body(code, message, details)), status
    return render_template("error.html", status=status, message=message), status


def _standard_message(exc: HTTPException) -> str | None:
    """Werkzeug's own English sentence replaced by ours (Dutch in Dutch mode); a message a
    view gave on purpose (abort(404, "...")) is kept."""
    if exc.description != type(exc).description:
        return None
    return {404: _("This page or item does not exist. Check the address, or go back."),
            405: _("This action is not possible here (method not allowed)."),
            413: _("What you sent is too large."),
            415: _("Send JSON (Content-Type: application/json).")}.get(exc.code or 0)


def _field_details(messages: dict[str, Any]) -> dict[str, Any]:
    """`fields` per location (query, json) as marshmallow gave them; `field` too when one
    field alone was refused, as the hub's own checks name it."""
    names = {name for per_location in messages.values() if isinstance(per_location, dict)
             for name in per_location}
    return {"fields": messages, **({"field": names.pop()} if len(names) == 1 else {})}


def _http_error(exc: HTTPException) -> Any:
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    # webargs/marshmallow validation errors arrive as 422 with their messages: malformed input.
    if "messages" in data:
        return _answer(400, "invalid_input", _("The request body or query is not valid."),
                       _field_details(data["messages"]))
    message = data.get("message") or _standard_message(exc) or exc.description or exc.name
    body, status = _answer(status, HTTP_CODES.get(status, "error"), str(message))
    # RFC 9110: a 405 names the methods that are allowed.
    allow = getattr(exc, "valid_methods", None)
    return (body, status, {"Allow": ", ".join(allow)}) if allow else (body, status)


def register_handlers(app: Flask) -> None:
    """Map domain and HTTP errors to JSON (API) or a friendly page (people)."""

    @app.errorhandler(HubError)
    def _hub_error(exc: HubError) -> Any:
        body, status = _answer(exc.status, exc.code, exc.message, exc.details)
        if status == 503:
            return body, status, {"Retry-After": "1"}
        retry = exc.details.get("retry_after_s")
        return (body, status, {"Retry-After": str(retry)}) if retry else (body, status)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Any:
        return _answer(400, "csrf_failed",
                       _("The form expired or came from elsewhere. Reload the page and try again."))

    app.register_error_handler(HTTPException, _http_error)

    @app.errorhandler(DataError)
    def _data_error(exc: DataError) -> Any:
        # The database refused a value Python let through (NUL character, number out of
        # range): the client's input, so a 400, never a 500.
        log.info("database refused a value on %s %s: %s", request.method, request.path,
                 str(exc.orig).splitlines()[0][:200])
        return _answer(400, "invalid_input",
                       _("A value is too large or contains characters that cannot be stored."))

    @app.errorhandler(OperationalError)
    def _operational_error(exc: OperationalError) -> Any:
        if "database is locked" in str(exc.orig):
            response = _answer(503, DatabaseBusy.code,
                               _("The database is busy. Try again in a moment."))
            return response[0], 503, {"Retry-After": "1"}
        return _database_away(exc)

    def _database_away(exc: OperationalError | InterfaceError) -> Any:
        # The database restarting, unreachable or out of disk: the transaction rolled back,
        # nothing was half written, and the next request reconnects (the pool drops the cut
        # connections). Say so with a 503 the client may retry, not a 500 (docs/deployment.md,
        # monitoring).
        log.warning("database unavailable on %s %s: %s", request.method, request.path,
                    str(getattr(exc, "orig", exc)).splitlines()[0][:300])
        from hub.extensions import db

        try:
            db.session.rollback()
        except Exception:  # the connection is gone as well: the pool discards it
            db.session.close()
        if "full" in str(getattr(exc, "orig", exc)):
            message = _("The database is full, so nothing was saved. Tell the administrator.")
        else:
            message = _("The database cannot be reached right now. Try again in a moment.")
        body, _status = _answer(503, DatabaseBusy.code, message)
        return body, 503, {"Retry-After": "5"}

    app.register_error_handler(InterfaceError, _database_away)

    @app.url_value_preprocessor
    def _ids_in_range(endpoint: str | None, values: dict[str, Any] | None) -> None:
        for value in (values or {}).values():
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
                raise NotFound(_("This page or object does not exist."))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _answer(500, "internal_error",
                       _("Something went wrong on our side. The error was logged."))
