"""The live board's answer as the OpenAPI document states it (hub.kiosk.board builds it)."""

from __future__ import annotations

from marshmallow import Schema, fields

STATES = ["free", "booked", "occupied", "unknown"]


class BoardFloorRef(Schema):
    id = fields.Int()
    name = fields.Str()


class BoardResource(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    kind = fields.Str()
    privacy = fields.Str()
    floor = fields.Nested(BoardFloorRef)


class BoardOrganisation(Schema):
    slug = fields.Str()
    name = fields.Str()


class BoardRow(Schema):
    resource = fields.Nested(BoardResource)
    state_now = fields.Str(metadata={"enum": STATES})
    sensor = fields.Str(allow_none=True, metadata={
        "enum": ["occupied", "vacant", "unknown", None],
        "description": "null: the resource has no sensor"})
    booking = fields.Str(allow_none=True, metadata={"description": "the current booking's status"})
    until = fields.Str(allow_none=True, metadata={"description": "RFC 3339, UTC"})
    until_local = fields.Str(allow_none=True)
    organisation = fields.Nested(BoardOrganisation, allow_none=True, metadata={
        "description": "who has it now; null for a private resource"})
    note = fields.Str(allow_none=True, metadata={
        "enum": ["unbooked_use", "no_show", "not_checked_in", None]})


class BoardFloor(Schema):
    id = fields.Int()
    name = fields.Str()
    site = fields.Str()
    level = fields.Int(allow_none=True)
    counts = fields.Dict(keys=fields.Str(), values=fields.Int(),
                         metadata={"description": "resources per state_now"})
    total = fields.Int()


class BoardOut(Schema):
    updated_at = fields.Str()
    updated_at_local = fields.Str()
    items = fields.List(fields.Nested(BoardRow), metadata={"description": "every resource"})
    floors = fields.List(fields.Nested(BoardFloor), metadata={
        "description": "per floor its counts (the rows themselves are in items)"})
    plaza = fields.List(fields.Nested(BoardOrganisation),
                        metadata={"description": "organisations on the plaza today"})
    next = fields.Str(allow_none=True, metadata={"description": "/api/v1/board: always null"})
