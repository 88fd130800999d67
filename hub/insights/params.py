"""Parsing the report filters (API query, page URL, CLI options) and who may see what.

Permission first (401/403), then the shape of the input (400): CONTRACT section 2. A site or
organisation that does not exist is 404, as an unknown resource is elsewhere in the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from hub.accounts.models import Organisation
from hub.accounts.roles import FACILITY_ROLES
from hub.building.models import RESOURCE_KINDS, Site
from hub.errors import InvalidInput, NotAllowed, NotFound
from hub.extensions import db
from hub.insights.build import Period, Scope
from hub.insights.facts import Viewer
from hub.insights.report import API_GROUPINGS
from hub.timeutil import SANE_YEARS

DEFAULT_WEEKS = 13
MAX_DAYS = 3 * 366
COORDINATOR = "coordinator"


def may_see_occupancy(user: Any) -> None:
    if user.role not in (*FACILITY_ROLES, COORDINATOR):
        raise NotAllowed(_("Occupancy reports are for the facility manager and coordinators."))


def may_see_sizing(user: Any) -> None:
    if user.role not in FACILITY_ROLES:
        raise NotAllowed(_("Sizing is for the facility manager."))


def _day(raw: str | None, field: str, tz: str) -> date | None:
    if not raw:
        return None
    try:
        if len(raw) == 10:
            value = date.fromisoformat(raw)
        else:
            instant = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if instant.tzinfo is None:
                raise ValueError
            value = instant.astimezone(ZoneInfo(tz)).date()
    except (ValueError, OverflowError):
        raise InvalidInput(_("Use a date (YYYY-MM-DD) or a time with offset (RFC 3339)."),
                           {"field": field}) from None
    if not SANE_YEARS[0] <= value.year <= SANE_YEARS[1]:
        raise InvalidInput(_("Give a date between 2000 and 2100."), {"field": field})
    return value


def period(args: Mapping[str, str], *, today: date, tz: str) -> Period:
    """from/to: local dates, inclusive; default the last 13 weeks up to yesterday."""
    last = _day(args.get("to"), "to", tz) or today - timedelta(days=1)
    first = _day(args.get("from"), "from", tz) or last - timedelta(weeks=DEFAULT_WEEKS) + \
        timedelta(days=1)
    if first > last:
        raise InvalidInput(_("'from' must not be after 'to'."), {"field": "from"})
    if (last - first).days > MAX_DAYS:
        raise InvalidInput(_("A report covers at most three years."), {"field": "to"})
    return Period(first, last)


def choice(args: Mapping[str, str], field: str, allowed: tuple[str, ...],
           default: str | None = None) -> str | None:
    raw = args.get(field) or default
    if raw is not None and raw not in allowed:
        raise InvalidInput(_("%(field)s must be one of: %(allowed)s.", field=field,
                             allowed=", ".join(allowed)), {"field": field})
    return raw


def number(args: Mapping[str, str], field: str, *, low: float, high: float,
           default: float | None, whole: bool = False) -> float | None:
    raw = args.get(field)
    if raw in (None, ""):
        return default
    try:
        value = int(raw) if whole else float(raw)
    except (ValueError, OverflowError):
        value = None
    if value is None or not low <= value <= high:
        raise InvalidInput(_("%(field)s must be a number from %(low)s to %(high)s.",
                             field=field, low=low, high=high), {"field": field})
    return value


def site(args: Mapping[str, str]) -> str | None:
    slug = args.get("site") or None
    if slug and db.session.scalar(select(Site.id).where(Site.slug == slug)) is None:
        raise NotFound(_("Unknown site."), {"field": "site"})
    return slug


def organisation(args: Mapping[str, str]) -> Organisation | None:
    slug = args.get("organisation") or None
    if not slug:
        return None
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound(_("Unknown organisation."), {"field": "organisation"})
    return org


@dataclass(frozen=True)
class OccupancyQuery:
    period: Period
    scope: Scope
    group_by: str
    organisation: Organisation | None


def occupancy_query(user: Any, args: Mapping[str, str], *, today: date,
                    tz: str) -> OccupancyQuery:
    """A coordinator sees their own organisation only; facility may pick one or all."""
    may_see_occupancy(user)
    org = organisation(args)
    if user.role == COORDINATOR:
        if org is not None and org.id != user.organisation_id:
            raise NotAllowed(_("A coordinator sees the figures of their own organisation."))
        org = user.organisation
    scope_id = org.id if org is not None else None
    scope = Scope(Viewer(user.organisation_id, scope_id),
                  choice(args, "kind", RESOURCE_KINDS), site(args))
    return OccupancyQuery(period(args, today=today, tz=tz), scope,
                          choice(args, "group_by", API_GROUPINGS, "kind") or "kind", org)
