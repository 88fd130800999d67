from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hub.accounts.forms import choices
from hub.building.models import AMENITIES

KIND_LABELS = {"desk": _l("Flex desk"), "room": _l("Room"), "landing_spot": _l("Landing spot")}
AMENITY_LABELS = {
    "wheelchair": _l("Wheelchair accessible"), "screen": _l("Screen"),
    "play_corner": _l("Play corner for children"), "whiteboard": _l("Whiteboard"),
    "video_call": _l("Video calling"), "sink": _l("Sink"), "standing_desk": _l("Standing desk"),
    "quiet": _l("Quiet area"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ResourceForm(FlaskForm):
    slug = StringField(_l("Short name (slug)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(KIND_LABELS.items()))
    floor_id = SelectField(_l("Floor or zone"), coerce=int)
    capacity = IntegerField(_l("Capacity (people)"), default=1,
                            validators=[DataRequired(), NumberRange(1, 500)])
    amenities = MultiCheckboxField(_l("Amenities"),
                                   choices=choices((a, AMENITY_LABELS[a]) for a in AMENITIES))
    privacy = SelectField(_l("Privacy"), choices=choices([
        ("normal", _l("Normal: others see the booking organisation")),
        ("private", _l("Private: outsiders see only busy or free"))]))
    restricted_to = MultiCheckboxField(_l("Only for these organisations (none: everyone)"))
    org_kinds = SelectField(_l("Which organisation kinds may book"), choices=choices([
        ("", _l("As the building's policy says")), ("core", _l("Core partners only")),
        ("network", _l("Network partners only")), ("core,network", _l("Core and network"))]),
        validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    bookable = BooleanField(_l("Can be booked"), default=True)
    active = BooleanField(_l("In use (unticked: hidden everywhere, history kept)"), default=True)


class SiteForm(FlaskForm):
    slug = StringField(_l("Short name (slug)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Length(max=300)])


class FloorForm(FlaskForm):
    site = SelectField(_l("Site"))
    slug = StringField(_l("Short name (slug)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    level = IntegerField(_l("Level (0 = ground floor)"), default=0,
                         validators=[NumberRange(-5, 100)])
