"""Demo booking history: 12 weeks back and 2 ahead, consistent with the booking rules.

Weekly spreekuren (real series), busy Tuesday mornings, desks per morning/afternoon/day,
landing-spot mornings for network partners, cancellations, no-shows (released) and used
bookings (completed, with a check-in), and refused demand on the busiest mornings. Past
bookings tell used from no-show by status and checked_in_at, which the sensor demo reads.
Bulk inserts keep `hub seed demo` fast."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from hub.accounts.models import Organisation, User
from hub.booking.models import Booking, BookingSeries, RefusedDemand, new_checkin_code
from hub.booking.rules import DEFAULTS, is_closed, overlaps, release_moment
from hub.building.models import Resource
from hub.extensions import db

SEED = 20260330
WEEKS_BACK, WEEKS_AHEAD = 12, 2
TZ = ZoneInfo("Europe/Amsterdam")
# (organisation, room slug, weekday, start, end, subject)
SPREEKUREN = [
    ("wmo", "spreekkamer-1", 1, time(9), time(12), "Wmo-spreekuur"),
    ("schuldhulp", "spreekkamer-2", 3, time(13), time(16), "Spreekuur geldzaken"),
    ("cjg", "spreekkamer-3", 2, time(9), time(11), "Inloopspreekuur opvoeden"),
    ("ggd", "ggd-kamer", 0, time(9), time(12), "Schoolartsspreekuur"),
    ("werk-inkomen", "spreekkamer-5", 1, time(13, 30), time(16, 30), "Spreekuur werk en inkomen"),
    ("welzijn", "overlegruimte-klein", 4, time(10), time(11), "Wijkoverleg sociaal team"),
]
CORE_PEOPLE = ["Anouk", "Bas", "Charlotte", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ilse",
               "Joris", "Kim", "Lotte", "Milan", "Nina", "Olaf", "Pien", "Ruben", "Sara"]
ROOM_SUBJECTS = ["Keukentafelgesprek", "Intake", "Vervolggesprek", "Huisbezoek voorbereiden",
                 "Casusoverleg", "Budgetgesprek", "Teamoverleg", None, None]


@dataclass
class Plan:
    rng: random.Random
    now: datetime
    rows: list[dict[str, Any]] = field(default_factory=list)
    taken: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    per_day: dict[tuple[int, date, str], int] = field(default_factory=dict)

    def free(self, resource_id: int, start: datetime, end: datetime) -> bool:
        return not any(overlaps(start, end, s, e) for s, e in self.taken.get(resource_id, []))

    def add(self, resource: Resource, person: User, start: datetime, end: datetime, *,
            subject: str | None = None, series_id: int | None = None) -> None:
        """One booking with a status that tells what happened (or will)."""
        key = (person.id, start.astimezone(TZ).date(), resource.kind)
        quota = DEFAULTS[resource.kind].quota_per_day
        if not self.free(resource.id, start, end) or (quota and self.per_day.get(key, 0) >= quota):
            return
        self.taken.setdefault(resource.id, []).append((start, end))
        self.per_day[key] = self.per_day.get(key, 0) + 1
        created = start - timedelta(days=self.rng.randint(1, 13), hours=self.rng.randint(0, 8))
        row = {"resource_id": resource.id, "user_id": person.id, "created_by_id": person.id,
               "organisation_id": person.organisation_id, "start": start, "end": end,
               "subject": subject, "attendees": None, "checkin_code": new_checkin_code(),
               "series_id": series_id, "sequence": 0, "created_at": min(created, self.now),
               "updated_at": min(created, self.now), "checked_in_at": None,
               "released_at": None, "cancelled_at": None, "status": "booked"}
        self.rows.append(_outcome(row, resource, self.rng, self.now))


def _outcome(row: dict[str, Any], resource: Resource, rng: random.Random,
             now: datetime) -> dict[str, Any]:
    start, end = row["start"], row["end"]
    roll = rng.random()
    if roll < 0.06:  # cancelled a few days ahead (or, for the future, already now)
        moment = min(now, start - timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6)))
        return {**row, "status": "cancelled", "cancelled_at": max(moment, row["created_at"]),
                "updated_at": max(moment, row["created_at"]), "sequence": 1}
    if start > now:
        return row
    no_show = roll < 0.06 + (0.2 if resource.kind == "desk" else 0.1)
    release = release_moment(DEFAULTS[resource.kind], start, end)
    if no_show and release <= now:
        return {**row, "status": "released", "released_at": release, "updated_at": release,
                "sequence": 1}
    checked = start + timedelta(minutes=rng.randint(-12, 12))
    if checked > now:
        return row
    status = "completed" if end <= now else "checked_in"
    return {**row, "status": status, "checked_in_at": checked, "updated_at": checked,
            "sequence": 1}


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, TZ).astimezone(ZoneInfo("UTC"))


def _people(now: datetime) -> dict[str, list[User]]:
    """Demo colleagues: a few people per organisation (no password: they exist for the
    history only), plus the demo logins themselves."""
    orgs = list(db.session.scalars(select(Organisation).order_by(Organisation.slug)))
    existing = {u.email for u in db.session.scalars(select(User))}
    for index, org in enumerate(orgs):
        for n in range(3 if org.kind == "core" else 2):
            name = CORE_PEOPLE[(index * 3 + n) % len(CORE_PEOPLE)]
            email = f"{name.lower()}.{org.slug}@demo.bestwijzer.nl"
            if email not in existing:
                db.session.add(User(email=email, name=f"{name} ({org.name.split(' – ')[0]})",
                                    organisation_id=org.id, role="staff", language="nl",
                                    active=True, session_version=1, created_at=now))
    db.session.flush()
    by_org: dict[str, list[User]] = {}
    for user in db.session.scalars(select(User).where(User.role == "staff")):
        by_org.setdefault(user.organisation.slug, []).append(user)
    return by_org


def _days(now: datetime) -> list[date]:
    today = now.astimezone(TZ).date()
    first = today - timedelta(weeks=WEEKS_BACK)
    return [first + timedelta(days=i) for i in range((WEEKS_BACK + WEEKS_AHEAD) * 7)
            if not is_closed(DEFAULTS["room"], first + timedelta(days=i))]


def _series(plan: Plan, rooms: dict[str, Resource], people: dict[str, list[User]],
            days: list[date]) -> None:
    """Weekly spreekuren as real series: one BookingSeries row, one booking per week."""
    for org, slug, weekday, start, end, subject in SPREEKUREN:
        if slug not in rooms or not people.get(org):
            continue
        dates = [d for d in days if d.weekday() == weekday]
        series = BookingSeries(rrule=f"FREQ=WEEKLY;COUNT={len(dates)}",
                               dtstart=_at(dates[0], start), created_by_id=people[org][0].id,
                               created_at=_at(dates[0], start) - timedelta(days=7))
        db.session.add(series)
        db.session.flush()
        for day in dates:
            plan.add(rooms[slug], people[org][0], _at(day, start), _at(day, end),
                     subject=subject, series_id=series.id)


def _rooms_day(plan: Plan, rooms: list[Resource], core: list[User], day: date) -> None:
    """Ad-hoc conversations: busy Tuesday mornings, quieter Friday afternoons."""
    rng = plan.rng
    for room in rooms:
        for hour in range(8, 17):
            busy = 0.75 if day.weekday() == 1 and hour < 12 else 0.35 if hour < 12 else 0.25
            if day.weekday() == 4 and hour >= 13:
                busy = 0.1
            if rng.random() > busy:
                continue
            start = _at(day, time(hour, rng.choice((0, 15, 30))))
            length = timedelta(minutes=rng.choice((30, 45, 60, 60, 90)))
            if (start + length).astimezone(TZ).time() <= time(18):
                plan.add(room, rng.choice(core), start, start + length,
                         subject=rng.choice(ROOM_SUBJECTS))


def _places_day(plan: Plan, places: list[Resource], people: list[User], day: date,
                share: float) -> None:
    """Desks and landing spots: a morning, an afternoon or a whole day."""
    rng = plan.rng
    slots = DEFAULTS["desk"].slots
    for place in places:
        if rng.random() > share:
            continue
        slot = rng.choices(slots, weights=(5, 3, 4))[0]
        plan.add(place, rng.choice(people), _at(day, slot.start), _at(day, slot.end))


def _refused(plan: Plan, core: list[User], day: date) -> list[dict[str, Any]]:
    """Busy Tuesday mornings: searches that found no room free."""
    if day.weekday() != 1 or plan.rng.random() > 0.6 or _at(day, time(9)) > plan.now:
        return []
    rows = []
    for _ in range(plan.rng.randint(1, 3)):
        person = plan.rng.choice(core)
        start = _at(day, time(plan.rng.choice((9, 10, 11))))
        rows.append({"at": start - timedelta(hours=plan.rng.randint(2, 48)), "kind": "room",
                     "start": start, "end": start + timedelta(hours=1),
                     "organisation_id": person.organisation_id, "user_id": person.id,
                     "people": plan.rng.choice((1, 2, 3)), "reason": "no_free_resource",
                     "resolved_at": None})
    return rows


def history_step(now: datetime) -> None:
    """Demo seed step: the booking history of the demo building."""
    plan = Plan(rng=random.Random(SEED), now=now)
    resources = list(db.session.scalars(select(Resource).where(Resource.active.is_(True))
                                        .order_by(Resource.id)))
    rooms = {r.slug: r for r in resources if r.kind == "room"}
    people = _people(now)
    core = [u for org, users in sorted(people.items()) for u in users
            if u.organisation.kind == "core" and org != "ggd"]
    network = [u for users in people.values() for u in users
               if u.organisation.kind == "network"]
    days = _days(now)
    _series(plan, rooms, people, days)
    shared_rooms = [r for r in rooms.values() if not r.restricted]
    desks = [r for r in resources if r.kind == "desk"]
    spots = [r for r in resources if r.kind == "landing_spot"]
    refused: list[dict[str, Any]] = []
    for day in days:
        _rooms_day(plan, shared_rooms, core, day)
        _places_day(plan, desks, core, day, 0.65 if day.weekday() in (1, 2) else 0.4)
        _places_day(plan, spots, network or core, day, 0.5 if day.weekday() == 1 else 0.3)
        refused += _refused(plan, core, day)
    db.session.execute(insert(Booking), plan.rows)
    if refused:
        db.session.execute(insert(RefusedDemand), refused)
