"""Forms every package shares."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import DateField, TimeField
from wtforms.widgets import TextInput

from hub.timeutil import parse_typed_date, parse_typed_time, typed_date

# The format hint shown with every date and time field (the page's language; the field takes
# the Dutch and the ISO form in both languages).
DATE_HINT = lazy_gettext("dd-mm-yyyy")
TIME_HINT = lazy_gettext("hh:mm")
DATE_PATTERN = r"\s*(\d{1,2}[\-/.]\d{1,2}[\-/.]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"
TIME_PATTERN = r"\s*\d{1,2}([:.]?\d{2})?\s*(uur)?\s*"


class ActionForm(FlaskForm):
    """A button that changes something (check in, check out, save): only the CSRF token."""


def _typed(render_kw: dict[str, Any] | None, pattern: str, size: int) -> dict[str, Any]:
    """A text box rather than the browser's own date or time input: Chromium shows those in
    the browser's locale, not the page's, so a Dutch page could show 12/03/2026."""
    return {"inputmode": "numeric", "autocomplete": "off", "pattern": pattern, "size": size,
            "class": "utrecht-textbox utrecht-textbox--html-input hub-textbox--date",
            **(render_kw or {})}


class TypedDateField(DateField):
    """A date typed as dd-mm-jjjj (or jjjj-mm-dd), shown as dd-mm-jjjj."""

    widget = TextInput()
    format_hint = DATE_HINT

    def __init__(self, *args: Any, render_kw: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        render_kw = {k: v for k, v in (render_kw or {}).items() if k != "step"}
        super().__init__(*args, render_kw=_typed(render_kw, DATE_PATTERN, 10), **kwargs)

    def _value(self) -> str:
        if self.data is None and self.raw_data:
            return " ".join(self.raw_data)  # as typed, to correct it
        return typed_date(self.data)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return  # not in the form at all: the default stays
        if not str(valuelist[0]).strip():
            self.data = None
            return
        self.data = parse_typed_date(str(valuelist[0]))
        if self.data is None:
            raise ValueError(gettext("Type the date as dd-mm-yyyy, for example %(example)s.",
                                     example="03-12-2026"))


class TypedTimeField(TimeField):
    """A time typed as uu:mm (also 9.30 or 930), shown as uu:mm."""

    widget = TextInput()
    format_hint = TIME_HINT

    def __init__(self, *args: Any, render_kw: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        render_kw = {k: v for k, v in (render_kw or {}).items() if k != "step"}
        super().__init__(*args, render_kw=_typed(render_kw, TIME_PATTERN, 5), **kwargs)

    def _value(self) -> str:
        if self.data is None and self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%H:%M") if self.data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return  # not in the form at all: the default stays
        if not str(valuelist[0]).strip():
            self.data = None
            return
        self.data = parse_typed_time(str(valuelist[0]))
        if self.data is None:
            raise ValueError(gettext("Type the time as hh:mm, for example 09:30."))
