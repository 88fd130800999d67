"""Marshmallow schemas of the booking API (input shape = 400, output = OpenAPI document)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from hub.apiutil import Day, Moment
from hub.building.models import RESOURCE_KINDS


class ResourceRef(fields.Field):
    """A resource id (number) or slug (text)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(metadata={"oneOf": [
            {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
            {"type": "string", "minLength": 1, "maxLength": 64}]}, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValidationError("Give the resource id or slug.")
        if isinstance(value, int) and not 1 <= value <= 2**31 - 1:
            raise ValidationError("Unknown resource id.")
        if isinstance(value, str) and not 1 <= len(value) <= 64:
            raise ValidationError("A slug has 1 to 64 characters.")
        return value


class BookingCreate(Schema):
    resource = ResourceRef(required=True)
    start = fields.AwareDateTime(required=True)
    end = fields.AwareDateTime(required=True)
    subject = fields.Str(allow_none=True, validate=validate.Length(max=200), metadata={
        "description": "Optional; seen only by your organisation. Never a resident's name."})
    attendees = fields.Int(allow_none=True, strict=True, validate=validate.Range(1, 500))
    on_behalf_of = fields.Email(allow_none=True, validate=validate.Length(max=254))
    rrule = fields.Str(allow_none=True, validate=validate.Length(max=500),
                       metadata={"example": "FREQ=WEEKLY;COUNT=10"})
    skip_conflicts = fields.Bool(load_default=False)


class BookingChange(Schema):
    start = fields.AwareDateTime(required=True)
    end = fields.AwareDateTime(required=True)
    scope = fields.Str(load_default="this", validate=validate.OneOf(["this", "following"]))


class ScopeQuery(Schema):
    scope = fields.Str(load_default="this", validate=validate.OneOf(["this", "following"]))


class ListQuery(Schema):
    mine = fields.Int(load_default=0, validate=validate.OneOf([0, 1]))
    from_ = Moment(data_key="from")
    to = Moment()


class AvailabilityQuery(Schema):
    date = Day(required=True)
    kind = fields.Str(validate=validate.OneOf(RESOURCE_KINDS))


class Ref(Schema):
    id = fields.Int()
    slug = fields.Str()
    name = fields.Str()
    kind = fields.Str()


class Person(Schema):
    id = fields.Int()
    name = fields.Str()
    email = fields.Str()


class Interval(Schema):
    start = fields.Str()
    end = fields.Str()
    start_local = fields.Str()
    end_local = fields.Str()


class BookingOut(Interval):
    """A booking as the caller may see it: private resources show only busy/free."""

    id = fields.Int()
    resource = fields.Nested(Ref)
    status = fields.Str(metadata={"enum": ["booked", "checked_in", "completed", "cancelled",
                                           "released"]})
    busy = fields.Bool()
    visibility = fields.Str(metadata={"enum": ["full", "desk", "organisation", "busy"]})
    organisation = fields.Nested(Ref)
    user = fields.Nested(Person)
    created_by = fields.Nested(Person)
    on_behalf = fields.Bool()
    subject = fields.Str(allow_none=True)
    attendees = fields.Int(allow_none=True)
    checked_in_at = fields.Str(allow_none=True)
    sequence = fields.Int()
    series_id = fields.Int(allow_none=True)
    checkin_code = fields.Str()
    checkin_url = fields.Str()
    qr_png_url = fields.Str()
    ics_url = fields.Str()


class Skipped(Interval):
    reason = fields.Str(metadata={"enum": ["conflict", "horizon", "closed_day"]})


class CreatedOut(BookingOut):
    occurrences = fields.List(fields.Nested(BookingOut))
    conflicts = fields.List(fields.Nested(Skipped), metadata={
        "description": "every occurrence of the series that was not booked, with its reason"})


class BookingList(Schema):
    items = fields.List(fields.Nested(BookingOut))
    next = fields.Str(allow_none=True)


class BusyOut(BookingOut):
    """A booking in the availability of its resource: as BookingOut, without naming the
    resource again."""

    class Meta:
        exclude = ("resource",)


class ResourceBusy(Schema):
    resource = fields.Dict()
    busy = fields.List(fields.Nested(BusyOut))


class AvailabilityOut(Schema):
    date = fields.Str()
    items = fields.List(fields.Nested(ResourceBusy))
    next = fields.Str(allow_none=True)

