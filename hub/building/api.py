"""API: resources (desks, rooms, landing spots)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from hub.apiauth import api_user
from hub.building import queries
from hub.building.models import RESOURCE_KINDS, Floor, Resource, Site
from hub.building.services import may_book, permitted_pairs
from hub.timeutil import utcnow

blp = Blueprint("building_api", __name__, description="Desks, rooms and landing spots")


class ResourceQuery(Schema):
    kind = fields.Str(validate=validate.OneOf(RESOURCE_KINDS))
    site = fields.Str(validate=validate.Length(max=64))
    bookable = fields.Int(validate=validate.OneOf([0, 1]))
    page = fields.Int(validate=validate.Range(min=1))


class PlaceSchema(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()


class ResourceSchema(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    kind = fields.Str()
    site = fields.Nested(PlaceSchema)
    floor = fields.Nested(PlaceSchema)
    capacity = fields.Int()
    amenities = fields.List(fields.Str())
    restricted = fields.Bool()
    privacy = fields.Str()
    bookable = fields.Bool(metadata={"description": "whether the caller may book it"})
    state_now = fields.Str(metadata={"enum": ["free", "booked", "occupied", "unknown"]})


class ResourceListSchema(Schema):
    items = fields.List(fields.Nested(ResourceSchema))
    next = fields.Str(allow_none=True)


@blp.route("/resources")
class Resources(MethodView):
    @blp.arguments(ResourceQuery, location="query")
    @blp.response(200, ResourceListSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Resources with their state now; `bookable=1` keeps those the caller may book."""
        user = api_user()
        query = (select(Resource).join(Floor).join(Site).filter(Resource.active.is_(True))
                 .order_by(Resource.kind, Resource.name))
        if "kind" in args:
            query = query.filter(Resource.kind == args["kind"])
        if "site" in args:
            query = query.filter(Site.slug == args["site"])
        resources = list(queries.visible_resources(query, user,
                                                   bookable=bool(args.get("bookable"))))
        states = queries.states_now([r.id for r in resources], now=utcnow())
        # `bookable` answers for this caller: the same test as `?bookable=1`.
        pairs = permitted_pairs()
        return {"items": [{**r.as_dict(), "state_now": states.get(r.id, "free"),
                           "bookable": bool(r.bookable and may_book(user.organisation, r, pairs))}
                          for r in resources], "next": None}
