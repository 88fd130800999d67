"""Forms of the booking pages (Flask-WTF: labels, validation and CSRF in one place)."""

from __future__ import annotations

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from hub.accounts.forms import choices
from hub.building.forms import AMENITY_LABELS, KIND_LABELS, MultiCheckboxField
from hub.building.models import AMENITIES
from hub.forms import TypedDateField, TypedTimeField
from hub.timeutil import SANE_YEARS

DURATIONS = (15, 30, 45, 60, 90, 120, 180, 240)
SUBJECT_WARNING = _l("Never put a resident's name or other personal details in the subject. "
                     "Only your own organisation sees it.")


def duration_label(minutes: int) -> str:
    """"45 minutes", "1 hour", "1 h 30 min" (called while a request is handled)."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return gettext("%(n)s minutes", n=rest)
    if not rest:
        return ngettext("%(num)s hour", "%(num)s hours", hours)
    return gettext("%(h)s h %(m)s min", h=hours, m=rest)


def sane_day(form: object, field: TypedDateField) -> None:
    if field.data and not SANE_YEARS[0] <= field.data.year <= SANE_YEARS[1]:
        raise ValidationError(gettext("Choose a date from %(first)s to %(last)s.",
                                      first=SANE_YEARS[0], last=SANE_YEARS[1]))


class SearchForm(FlaskForm):
    """A GET form: searching changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False

    day = TypedDateField(_l("Date"), validators=[DataRequired(), sane_day])
    start = TypedTimeField(_l("Start time"), validators=[DataRequired()],
                      render_kw={"step": 900})
    minutes = SelectField(_l("Duration"), coerce=int, default=60)
    people = IntegerField(_l("People"), default=2, validators=[DataRequired(),
                                                               NumberRange(1, 100)],
                          render_kw={"min": 1, "max": 100, "inputmode": "numeric"})
    kind = SelectField(_l("Kind"), default="room",
                       choices=choices((k, KIND_LABELS[k]) for k in ("room", "desk",
                                                                      "landing_spot")))
    part = SelectField(_l("Part of the day (desks and landing spots)"), default="morning",
                       choices=choices([("morning", _l("Morning")),
                                        ("afternoon", _l("Afternoon")),
                                        ("day", _l("Whole day"))]))
    amenities = MultiCheckboxField(_l("Needs"),
                                   choices=choices((a, AMENITY_LABELS[a]) for a in AMENITIES))
    subject = StringField(_l("Subject (optional)"), validators=[Optional(), Length(max=200)])
    on_behalf_of = EmailField(_l("For a colleague (type a name, optional)"),
                              validators=[Optional(), Email(), Length(max=254)],
                              render_kw={"list": "colleagues", "autocomplete": "off"})
    repeat = SelectField(_l("Repeat"), default="", validators=[Optional()], choices=choices([
        ("", _l("No, only once")), ("weekly", _l("Every week, or every few weeks")),
        ("monthly", _l("Every month, on the same weekday"))]))
    every = IntegerField(_l("Every how many weeks or months"), default=1,
                         validators=[Optional(), NumberRange(1, 12)],
                         render_kw={"min": 1, "max": 12, "inputmode": "numeric"})
    weekdays = MultiCheckboxField(_l("On these days (weekly)"), coerce=int, choices=choices(
        [(0, _l("Monday")), (1, _l("Tuesday")), (2, _l("Wednesday")), (3, _l("Thursday")),
         (4, _l("Friday"))]), validators=[Optional()])
    ends = SelectField(_l("Ends"), default="count", choices=choices([
        ("count", _l("After a number of times")), ("until", _l("On a date"))]))
    times = IntegerField(_l("Number of times"), default=8,
                         validators=[Optional(), NumberRange(1, 60)],
                         render_kw={"min": 1, "max": 60, "inputmode": "numeric"})
    until = TypedDateField(_l("Last date"), validators=[Optional(), sane_day])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.minutes.choices = choices((m, duration_label(m)) for m in DURATIONS)


class BookForm(FlaskForm):
    """One click on "Book": the resource and interval travel as hidden fields."""

    resource = HiddenField(validators=[DataRequired()])
    start = HiddenField(validators=[DataRequired()])
    end = HiddenField(validators=[DataRequired()])
    subject = HiddenField(validators=[Optional(), Length(max=200)])
    on_behalf_of = HiddenField(validators=[Optional(), Email(), Length(max=254)])
    # The repeat choice (hub.booking.web.repeat reads and checks it).
    repeat = HiddenField()
    every = HiddenField()
    weekdays = HiddenField()
    ends = HiddenField()
    times = HiddenField()
    until = HiddenField()
    skip_conflicts = HiddenField()
    back = HiddenField()
    # The people of the search (rooms): stored with the booking, so the insights know the
    # party size instead of assuming the room's.
    attendees = IntegerField(validators=[Optional(), NumberRange(1, 100)])


class DeskForm(FlaskForm):
    resource = HiddenField(validators=[DataRequired()])
    day = HiddenField(validators=[DataRequired()])
    part = HiddenField(validators=[DataRequired()])


class MoveForm(FlaskForm):
    day = TypedDateField(_l("New date"), validators=[DataRequired(), sane_day])
    start = TypedTimeField(_l("New start time"), validators=[DataRequired()],
                      render_kw={"step": 900})
    minutes = SelectField(_l("Duration"), coerce=int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.minutes.choices = choices((m, duration_label(m)) for m in DURATIONS)


class CancelForm(FlaskForm):
    scope = HiddenField(default="this")


class OnBehalfForm(SearchForm):
    """Reception books for a colleague: the same search plus the colleague's e-mail."""

    on_behalf_of = EmailField(_l("Colleague (type a name)"),
                              validators=[DataRequired(), Email(), Length(max=254)],
                              render_kw={"list": "colleagues", "autocomplete": "off"})
