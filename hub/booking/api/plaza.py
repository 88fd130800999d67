"""GET /api/v1/plaza?week=YYYY-Www: the landing-spot calendar (spots x half-days)."""

from __future__ import annotations

import re
from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields

from hub.apiauth import api_user
from hub.booking import plaza
from hub.errors import InvalidInput
from hub.timeutil import local, utcnow

blp = Blueprint("plaza_api", __name__, description="The landing-spot calendar of the plaza")


def _week(text: str) -> None:
    if not re.fullmatch(plaza.WEEK_PATTERN, text):
        raise ValidationError("Give the week as YYYY-Www, for example 2026-W14.")


class PlazaArgs(Schema):
    week = fields.Str(load_default=None, validate=_week, metadata={
        "description": "ISO week, e.g. 2026-W14; default this week", "pattern": plaza.WEEK_PATTERN,
        "example": "2026-W14"})


class PlazaAnswer(Schema):
    week = fields.Str()
    prev = fields.Str()
    next = fields.Str()
    today = fields.Str()
    slots = fields.List(fields.Dict())
    days = fields.List(fields.Dict())
    spots = fields.List(fields.Dict(), metadata={
        "description": "per landing spot its cells: date, slot (morning/afternoon), state "
                       "(free, booked, past, closed), start/end (UTC and local) and, when "
                       "booked, the organisation (the person only to its own organisation)"})
    on_plaza = fields.Dict(metadata={"description": "organisations today and this week"})


@blp.route("/plaza")
class Plaza(MethodView):
    @blp.arguments(PlazaArgs, location="query")
    @blp.response(200, PlazaAnswer)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Spots x half-days of one week and who has which (privacy-filtered)."""
        user, now = api_user(), utcnow()
        try:
            monday = plaza.parse_week(args.get("week"), local(now, plaza.tz()).date())
        except plaza.BadWeek:
            raise InvalidInput(_("Give the week as YYYY-Www, for example 2026-W14."),
                               {"field": "week"}) from None
        return plaza.week_grid(user, monday, now)
