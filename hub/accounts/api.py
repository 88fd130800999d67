"""API: the caller and the organisations."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from hub.accounts.models import Organisation
from hub.apiauth import api_user
from hub.apiutil import paginated

blp = Blueprint("accounts_api", __name__, description="The caller and the organisations")


class OrganisationSchema(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    kind = fields.Str(metadata={"enum": ["core", "network"]})


class MeSchema(Schema):
    email = fields.Str()
    name = fields.Str()
    organisation = fields.Nested(OrganisationSchema)
    role = fields.Str()
    language = fields.Str()
    feed_url = fields.Str(allow_none=True, metadata={"description": (
        "Always null since feed links are stored only as a hash: make a link with "
        "POST /api/v1/me/feed (shown once) or on /account.")})


class OrganisationListSchema(Schema):
    items = fields.List(fields.Nested(OrganisationSchema))
    next = fields.Str(allow_none=True)


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> dict[str, Any]:
        """The caller: who, which organisation, which role, and the personal calendar feed."""
        user = api_user()
        return {
            "email": user.email, "name": user.name, "organisation": user.organisation.as_dict(),
            "role": user.role, "language": user.language,
            # The secret link cannot be shown again (it is kept as a hash): null, and
            # POST /api/v1/me/feed makes a new one.
            "feed_url": None,
        }


@blp.route("/organisations")
class Organisations(MethodView):
    @blp.response(200, OrganisationListSchema)
    def get(self) -> dict[str, Any]:
        """All active partner organisations."""
        api_user()
        query = select(Organisation).filter_by(active=True).order_by(Organisation.name)
        return paginated(query, lambda o: o.as_dict())
