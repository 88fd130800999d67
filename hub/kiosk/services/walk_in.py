"""Walk-ins at the kiosk: a visitor without a booking takes a free landing spot (or a desk,
where the kind's policy lets walk-ins take desks) from now until the end of the half-day.

A visitor is not a user. The booking is made through create_booking for the organisation's
walk-in placeholder (an account that cannot log in), with the visitor's first name on the
booking itself; it is checked in at once (booked less than 15 minutes before its start)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from hub.accounts.models import PLACEHOLDER_DOMAIN, Organisation, User
from hub.accounts.services import clean_name
from hub.booking.models import Booking
from hub.booking.services import WalkIn as Visit
from hub.booking.services import create_booking
from hub.booking.store import record_refusal
from hub.db import commit_then_raise, write
from hub.errors import InvalidInput, NotFound, RuleViolation
from hub.extensions import db
from hub.kiosk import places
from hub.kiosk.models import Kiosk

FIRST_NAME_MAX = 40


@dataclass(frozen=True)
class WalkIn:
    booking: Booking
    first_name: str


def visitor_email(org: Organisation) -> str:
    return f"walk-in.{org.slug}@{PLACEHOLDER_DOMAIN}"


def _visitor(org: Organisation, now: datetime) -> User:
    """The organisation's walk-in placeholder, made the first time it is needed."""
    email = visitor_email(org)
    user = db.session.scalar(select(User).filter_by(email=email))
    if user is None:
        # active, so the booking service accepts it; no password, so nobody can log in as it.
        user = User(email=email, name=_("Walk-in visitor"), organisation_id=org.id,
                    role="staff", language="nl", password_hash=None, active=True,
                    session_version=1, created_at=now)
        db.session.add(user)
        db.session.flush()
    return user


def _first_name(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(_("Type your first name."), {"field": "first_name"})
    name = clean_name(value, "first_name")
    if len(name) > FIRST_NAME_MAX:
        raise InvalidInput(_("Type only your first name."), {"field": "first_name"})
    return name


def _organisation(slug: str) -> Organisation:
    org = db.session.scalar(select(Organisation).filter_by(slug=str(slug or "")[:64]))
    if org is None or not org.active:
        raise InvalidInput(_("Choose your organisation from the list."),
                           {"field": "organisation"})
    return org


def walk_in(*, kiosk_id: int, first_name: str, organisation: str, resource: str | int | None,
            now: datetime) -> WalkIn:
    """Book and check in a free walk-in place now, until the end of the half-day."""
    name = _first_name(first_name)
    with write():
        kiosk = db.session.get(Kiosk, kiosk_id)
        if kiosk is None or not kiosk.active:
            raise NotFound(_("This kiosk is not enrolled."))
        org = _organisation(organisation)
        person = _visitor(org, now)
        if places.half_day(now) is None:
            raise RuleViolation(_("The building is closed now. Walk-ins are possible during "
                                  "opening hours."), {"rule": "closed"})
        chosen = places.pick(places.free_places(org, now), resource)
        if chosen is None:
            if resource not in (None, ""):
                raise RuleViolation(_("This place was just taken. Choose another one."),
                                    {"rule": "taken"})
            start, end = places.half_day(now) or (now, now)
            record_refusal(kind="landing_spot", start=start, end=end, person=person,
                           people=1, reason="no_free_resource", now=now)
            raise commit_then_raise(RuleViolation(
                _("Sorry, there is no free place now. Ask at the desk."),
                {"rule": "nothing_free"}))
        result = create_booking(actor_id=person.id, resource=chosen.resource,
                                start=chosen.start, end=chosen.end, now=now, channel="kiosk",
                                walk_in=Visit(name=name, label=kiosk.label, held_from=now))
    return WalkIn(booking=result.booking, first_name=name)
