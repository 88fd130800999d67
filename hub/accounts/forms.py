from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from hub.accounts.roles import ROLES


def choices(pairs: Any) -> list[SelectChoice]:
    """WTForms 3.3 choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


# People see their role in their own language; the value stays the fixed role name.
ROLE_LABELS = {"staff": _l("Staff member"), "coordinator": _l("Coordinator"),
               "reception": _l("Reception"), "facility": _l("Facility manager"),
               "admin": _l("Administrator")}
ROLE_CHOICES = choices((r, ROLE_LABELS[r]) for r in ROLES)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Stay logged in on this device"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(10, 200)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password")],
                            render_kw={"autocomplete": "new-password"})
    revoke = BooleanField(_l("Also stop my API tokens, calendar links and other logins "
                             "(make new ones on your account page)"), default=True)


class TokenForm(FlaskForm):
    name = StringField(_l("Name of the token"), validators=[DataRequired(), Length(max=100)])


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"),
                           choices=choices([("nl", "Nederlands"), ("en", "English")]))


class InviteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(),
                                                          Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="staff")


class MemberForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Active"))


class OrganisationForm(FlaskForm):
    slug = StringField(_l("Short name (slug)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices([("core", _l("Core partner")),
                                                    ("network", _l("Network partner"))]))
    active = BooleanField(_l("Active"), default=True)
