"""API: a new personal calendar feed link for the caller (shown once; stored as a hash)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from hub import links
from hub.apiauth import api_user
from hub.calendar import tokens
from hub.timeutil import utcnow

blp = Blueprint("calendar_api", __name__, description="Calendar feed links")


class FeedLinkSchema(Schema):
    feed_url = fields.Str(metadata={"description": "https link of the personal feed"})
    webcal_url = fields.Str(metadata={"description": "the same feed for webcal:// subscribers"})


@blp.route("/me/feed")
class PersonalFeed(MethodView):
    @blp.response(201, FeedLinkSchema)
    def post(self) -> dict[str, Any]:
        """Make a new secret link to the caller's personal feed; the earlier one stops working.

        The link is shown only in this answer: the hub keeps a hash of it."""
        user = api_user()
        url = links.personal_feed_url(tokens.issue(user.id, "personal", now=utcnow()))
        return {"feed_url": url, "webcal_url": links.webcal(url)}
