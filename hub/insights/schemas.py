"""The report API's query parameters and answers as the OpenAPI document states them.

The query schemas hold the shape of each parameter (400 when it is wrong); hub.insights.params
still decides what needs the database or more than one field (an unknown site or
organisation, `from` after `to`, a period over three years)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from hub.apiutil import Moment
from hub.building.models import RESOURCE_KINDS
from hub.insights.report import API_GROUPINGS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SLUG = validate.Length(min=1, max=64)


class PeriodQuery(Schema):
    from_ = Moment(data_key="from", metadata={
        "description": "first day (local, inclusive); default 13 weeks before `to`"})
    to = Moment(metadata={"description": "last day (local, inclusive); default yesterday"})
    site = fields.Str(validate=_SLUG, metadata={"description": "site slug"})


class OccupancyQuery(PeriodQuery):
    group_by = fields.Str(validate=validate.OneOf(API_GROUPINGS), metadata={"default": "kind"})
    kind = fields.Str(validate=validate.OneOf(RESOURCE_KINDS))
    organisation = fields.Str(validate=_SLUG, metadata={
        "description": "organisation slug (a coordinator: only their own)"})


class SizingQuery(PeriodQuery):
    kind = fields.Str(required=True, validate=validate.OneOf(RESOURCE_KINDS))
    service_level = fields.Float(validate=validate.Range(0.5, 0.999),
                                 metadata={"default": 0.95})
    count = fields.Int(validate=validate.Range(0, 10_000), metadata={
        "description": "a number of resources: its refused share is answered"})
    growth = fields.Float(validate=validate.Range(0, 3), metadata={
        "description": "expected demand growth, 0.15 = +15%", "default": 0.0})


def _share() -> fields.Float:
    return fields.Float(allow_none=True, metadata={"description": "null where unknown"})


class OccupancyRow(Schema):
    group = fields.Raw(metadata={
        "description": "the kind, or an object: resource/floor/organisation {id, slug, name} "
                       "(private rooms in one unnamed bucket), weekday_hour {weekday, hour}"})
    booked_share = _share()
    used_share = _share()
    capacity_utilisation = _share()
    no_show_rate = _share()
    unused_booked_time = _share()
    unbooked_use = _share()
    checkin_compliance = _share()
    coverage = _share()
    released_reused = _share()
    fill_when_used = _share()
    low_coverage = fields.Bool()
    booked_hours = fields.Float()
    bookings = fields.Int()
    refused_demand = fields.Int()
    peak_p50 = fields.Int(allow_none=True)
    peak_p90 = fields.Int(allow_none=True)
    peak_p95 = fields.Int(allow_none=True)
    peak_max = fields.Int(allow_none=True)


class OccupancyOut(Schema):
    from_ = fields.Str(data_key="from", metadata={"format": "date"})
    to = fields.Str(metadata={"format": "date"})
    group_by = fields.Str(metadata={"enum": list(API_GROUPINGS)})
    rows = fields.List(fields.Nested(OccupancyRow))
    total = fields.Nested(OccupancyRow, metadata={"description": "all rows together"})


class SizingOut(Schema):
    from_ = fields.Str(data_key="from", metadata={"format": "date"})
    to = fields.Str(metadata={"format": "date"})
    kind = fields.Str(metadata={"enum": list(RESOURCE_KINDS)})
    current = fields.Int()
    recommended = fields.Dict(keys=fields.Str(), values=fields.Int(), metadata={
        "description": "per service level (0.9, 0.95, 0.99) the resources needed"})
    service_level = fields.Float()
    recommended_at_service_level = fields.Int()
    refused_share_at_count = fields.Float(allow_none=True)
    refused_share_now = fields.Float(allow_none=True)
    count = fields.Int(allow_none=True)
    growth = fields.Float()
    bands = fields.Dict(metadata={"description": "per service level [low, high] or nulls"})
    band_at_service_level = fields.List(fields.Raw(allow_none=True))
    by_size = fields.List(fields.Dict())
    curve = fields.List(fields.Dict(), metadata={
        "description": "count, refused_share and its low/high band"})
    demand = fields.Dict()


class WaitingRow(Schema):
    kind = fields.Str(metadata={"enum": list(RESOURCE_KINDS)})
    week = fields.Str(metadata={"description": "ISO week (YYYY-Www) or all"})
    searches = fields.Int()
    typical_minutes = fields.Int(allow_none=True)
    median_days = fields.Float(allow_none=True)
    p90_days = fields.Float(allow_none=True)


class WaitingOut(Schema):
    from_ = fields.Str(data_key="from", metadata={"format": "date"})
    to = fields.Str(metadata={"format": "date"})
    rows = fields.List(fields.Nested(WaitingRow))


def download(media_type: str, what: str) -> dict[str, object]:
    """The OpenAPI response of a file download (CSV or XLSX)."""
    schema = ({"type": "string"} if media_type == "text/csv"
              else {"type": "string", "format": "binary"})
    return {"200": {"description": what, "content": {media_type: {"schema": schema}},
                    "headers": {"Content-Disposition": {
                        "description": "attachment; filename=...",
                        "schema": {"type": "string"}}}},
            "404": "NOT_FOUND"}
