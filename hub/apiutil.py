"""Shared API pieces: the list envelope with a `next` link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import Select

from hub import links
from hub.errors import InvalidInput
from hub.extensions import db


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
