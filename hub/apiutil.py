"""Shared API pieces: the list envelope with a `next` link, and the date and moment fields
of query strings and bodies (documented by their exact patterns)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from marshmallow import ValidationError, fields
from sqlalchemy import Select

from hub import links
from hub.errors import InvalidInput
from hub.extensions import db
from hub.timeutil import DATE_PATTERN, INSTANT_PATTERN


def page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise InvalidInput(_("page must be a whole number of 1 or more."), {"field": "page"})
    return int(raw)


def paginated(query: Select[Any], serialise: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """`{"items": [...], "next": url or null}` for a SELECT, one page at a time."""
    size = int(current_app.config["API_PAGE_SIZE"])
    page = page_number()
    rows = list(db.session.scalars(query.limit(size + 1).offset((page - 1) * size)))
    next_url = None
    if len(rows) > size:
        args = {**request.args.to_dict(), "page": page + 1}
        next_url = links.external(request.endpoint or "", **(request.view_args or {}),
                                   **args)
    return {"items": [serialise(r) for r in rows[:size]], "next": next_url}


def listed(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The list envelope for a list that is always complete in one answer."""
    return {"items": items, "next": None}


MOMENT_PATTERN = f"^(?:{DATE_PATTERN}|{INSTANT_PATTERN})$"


class Day(fields.String):
    """A local date `YYYY-MM-DD` of the years 2000-2100 (far dates are typing errors, and day
    arithmetic near year 1 or 9999 overflows); documented by its exact pattern."""

    def __init__(self, *, metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(metadata={"pattern": f"^{DATE_PATTERN}$", "example": "2026-03-30",
                                   **(metadata or {})}, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(DATE_PATTERN, text):
            raise ValidationError("Use a date YYYY-MM-DD between 2000 and 2100.")
        return date.fromisoformat(text)


class Moment(fields.String):
    """`from`/`to`: a local date (YYYY-MM-DD) or an RFC 3339 instant with offset, 2000-2100."""

    def __init__(self, *, metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(metadata={"pattern": MOMENT_PATTERN, "example": "2026-03-30",
                                   **(metadata or {})}, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(MOMENT_PATTERN, text):
            raise ValidationError("Use a date (YYYY-MM-DD) or a time with offset (RFC 3339), "
                                  "between 2000 and 2100.")
        return str(text)
