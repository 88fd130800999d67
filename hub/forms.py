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


class _Typed:
    """A date or time field typed in a text box: shown by `shown`, read by `parse`, refused
    with `refusal()`; an empty box is no value, a field missing from the form keeps its
    default, and what was typed wrong is shown again to correct it."""

    widget = TextInput()
    pattern = ""
    size = 0
    data: Any
    raw_data: list[Any] | None

    def __init__(self, *args: Any, render_kw: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        render_kw = {k: v for k, v in (render_kw or {}).items() if k != "step"}
        super().__init__(*args, render_kw=_typed(render_kw, self.pattern, self.size),  # type: ignore[call-arg]
                         **kwargs)

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def shown(self, value: Any) -> str:
        raise NotImplementedError

    def refusal(self) -> str:
        raise NotImplementedError

    def _value(self) -> str:
        if self.data is None and self.raw_data:
            return " ".join(self.raw_data)  # as typed, to correct it
        return self.shown(self.data) if self.data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return  # not in the form at all: the default stays
        if not str(valuelist[0]).strip():
            self.data = None
            return
        self.data = self.parse(str(valuelist[0]))
        if self.data is None:
            raise ValueError(self.refusal())


class TypedDateField(_Typed, DateField):
    """A date typed as dd-mm-jjjj (or jjjj-mm-dd), shown as dd-mm-jjjj."""

    format_hint = DATE_HINT
    pattern, size = DATE_PATTERN, 10

    def parse(self, text: str) -> Any:
        return parse_typed_date(text)

    def shown(self, value: Any) -> str:
        return typed_date(value)

    def refusal(self) -> str:
        return gettext("Type the date as dd-mm-yyyy, for example %(example)s.",
                       example="03-12-2026")


class TypedTimeField(_Typed, TimeField):
    """A time typed as uu:mm (also 9.30 or 930), shown as uu:mm."""

    format_hint = TIME_HINT
    pattern, size = TIME_PATTERN, 5

    def parse(self, text: str) -> Any:
        return parse_typed_time(text)

    def shown(self, value: Any) -> str:
        return str(value.strftime("%H:%M"))

    def refusal(self) -> str:
        return gettext("Type the time as hh:mm, for example 09:30.")
