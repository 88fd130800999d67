"""What the OpenAPI document says about errors: the hub's own shape, and the statuses the API
really answers (CONTRACT.md section 2), instead of flask-smorest's defaults.

Every error is `{"error": {"code", "message", "details"}}`; malformed input is 400 (never the
422 flask-smorest documents by default: 422 is a booking rule here).
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields

# Decorators read this when the API modules are imported: set it before they are.
Blueprint.ARGUMENTS_PARSER.DEFAULT_VALIDATION_STATUS = 400
# Statuses any operation can answer, by the names flask-smorest registers a response under.
COMMON_ERRORS = {"400": "BAD_REQUEST", "401": "UNAUTHORIZED", "403": "FORBIDDEN",
                 "429": "TOO_MANY_REQUESTS"}
WRITE_ERRORS = {"503": "SERVICE_UNAVAILABLE"}
WRITES = ("post", "put", "patch", "delete")


class ErrorBody(Schema):
    code = fields.Str(required=True, metadata={"description": "snake_case, e.g. not_allowed"})
    message = fields.Str(required=True, metadata={"description": "A human sentence"})
    details = fields.Dict(required=True, metadata={"description": "What the code needs"})


class Error(Schema):
    """Every error answer of the API."""

    error = fields.Nested(ErrorBody, required=True)


class ErrorResponses(BasePlugin):
    """Documents on every operation the error statuses it can answer (each with `Error`)."""

    def operation_helper(self, path: str | None = None,
                         operations: dict[str, Any] | None = None, **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            extra = {**COMMON_ERRORS, **(WRITE_ERRORS if method in WRITES else {})}
            if path and "{" in path:
                extra["404"] = "NOT_FOUND"
            for status, name in extra.items():
                responses.setdefault(status, name)


def prepare(api: Api) -> None:
    """Before `api.init_app`: our error schema becomes the documented error response."""
    api.ERROR_SCHEMA = Error  # type: ignore[assignment]
