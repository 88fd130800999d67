"""What a booking mail says, in the recipient's language: subject, plain text, HTML, the
check-in QR and the invitation. The recipient is the person the booking is for, so the
mail may name the subject (their own organisation's booking)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _

from hub import links, mail
from hub.accounts.models import User
from hub.booking.models import Booking
from hub.calendar.mail_message import MailContent, build_message
from hub.calendar.qr import qr_png_bytes

KINDS_WITH_QR = ("confirmation", "change")


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime
    cancelled: bool = False


def _when(start: datetime, end: datetime) -> str:
    return f"{format_date(start, 'EEEE d MMMM yyyy')} {format_time(start, 'HH:mm')}" \
           f"–{format_time(end, 'HH:mm')}"


def subject_line(kind: str, place: str, when: str) -> str:
    subjects = {
        "confirmation": lambda: _("Booked: %(place)s, %(when)s", place=place, when=when),
        "change": lambda: _("Changed: %(place)s, %(when)s", place=place, when=when),
        "cancellation": lambda: _("Cancelled: %(place)s, %(when)s", place=place, when=when),
        "release": lambda: _("Released because nobody checked in: %(place)s, %(when)s",
                             place=place, when=when),
    }
    return str(subjects[kind]())


def _context(kind: str, booking: Booking, person: User, occurrences: list[Occurrence],
             skipped: list[datetime]) -> dict[str, Any]:
    resource = booking.resource
    return {
        "kind": kind, "person": person, "booking": booking, "resource": resource,
        "place": f"{resource.floor.name}, {resource.floor.site.name}",
        "occurrences": [{"when": _when(o.start, o.end), "cancelled": o.cancelled}
                        for o in occurrences],
        "skipped": [format_date(s, "EEEE d MMMM yyyy") for s in skipped],
        "series": booking.series_id is not None,
        "with_qr": kind in KINDS_WITH_QR,
        "checkin_code": booking.checkin_code, "checkin_url": links.checkin_url(
            booking.checkin_code),
        "booking_url": links.booking_page_url(booking.id),
        "ics_url": links.booking_ics_url(booking.id),
        "account_url": links.external("accounts.account"),
        "released_at": format_time(booking.released_at, "HH:mm") if booking.released_at
        else "",
    }


def _render(name: str, **context: Any) -> str:
    # Straight from the Jinja environment: the pages' context processors need a request,
    # and the worker renders without one.
    return current_app.jinja_env.get_template(name).render(**context)


def mail_subject(kind: str, booking: Booking, person: User,
                 occurrences: list[Occurrence]) -> str:
    """The subject line, in the recipient's language (the outbox shows it before sending)."""
    with force_locale(person.language):
        return _subject(kind, booking, occurrences)


def _subject(kind: str, booking: Booking, occurrences: list[Occurrence]) -> str:
    first = occurrences[0] if occurrences else Occurrence(booking.start, booking.end)
    return subject_line(kind, booking.resource.name, _when(first.start, first.end))


def booking_mail(*, kind: str, booking: Booking, person: User, occurrences: list[Occurrence],
                 skipped: list[datetime], calendar: bytes, method: str,
                 now: datetime, message_id: str | None = None) -> Any:
    """The EmailMessage of one booking event (a single booking or a whole series)."""
    with force_locale(person.language):
        context = _context(kind, booking, person, occurrences, skipped)
        subject = _subject(kind, booking, occurrences)
        text = _render("mail/booking.txt", **context)
        html = _render("mail/booking.html", subject=subject, **context)
    qr = qr_png_bytes(links.checkin_url(booking.checkin_code)) if kind in KINDS_WITH_QR \
        else None
    return build_message(MailContent(
        to_email=person.email, to_name=person.name, from_email=mail.sender(),
        from_name=str(current_app.config.get("HUB_MAIL_FROM_NAME") or "Booking hub"),
        subject=subject, text=text, html=html, language=person.language, date=now,
        domain=links.uid_domain(), calendar=calendar, calendar_method=method, qr_png=qr,
        message_id=message_id))
