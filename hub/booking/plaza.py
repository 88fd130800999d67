"""The landing-spot calendar (read side): spots x half-days of one ISO week, who has which.

A cell shows the organisation that has it, the person only to that organisation (the
privacy view decides), and busy alone for a private spot. Whole-day bookings fill both
halves. Used by /plaza, GET /api/v1/plaza and the home page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from hub.accounts.models import User
from hub.booking.policies import kind_policy, policy_of
from hub.booking.queries import BUSY, FULL, active_between, booking_view
from hub.booking.rules import Policy, Slot, is_closed, slot_of
from hub.building.models import Floor, Resource
from hub.extensions import db
from hub.timeutil import local, local_iso, rfc3339

KIND = "landing_spot"
HALVES = ("morning", "afternoon")
WHOLE_DAY = "day"
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
# The weeks parse_week takes, as one exact pattern for the API document: 2000-W01 to
# 2100-W52, and W53 in the years that have one (28 December is always in the last week).
_LONG_YEARS = "|".join(str(y) for y in range(2000, 2101) if date(y, 12, 28).isocalendar()[1] == 53)
WEEK_PATTERN = rf"^(?:(?:20\d\d|2100)-W(?:0[1-9]|[1-4]\d|5[0-2])|(?:{_LONG_YEARS})-W53)$"


class BadWeek(ValueError):
    """The week is not YYYY-Www."""


def parse_week(text: str | None, today: date) -> date:
    """The Monday of an ISO week `YYYY-Www`; the current week when empty."""
    if not text:
        return today - timedelta(days=today.weekday())
    match = _WEEK.match(text.strip())
    if not match:
        raise BadWeek(text)
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise BadWeek(text) from None
    if not 2000 <= monday.year <= 2100:
        raise BadWeek(text)
    return monday


def week_name(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Cell:
    day: date
    slot: str
    start: datetime
    end: datetime


def _slot(policy: Policy, name: str) -> Slot | None:
    return next((s for s in policy.slots if s.name == name), None)


def cell(policy: Policy, day: date, slot_name: str) -> Cell | None:
    slot = _slot(policy, slot_name)
    if slot is None:
        return None
    start = datetime.combine(day, slot.start, policy.zone)
    end = datetime.combine(day, slot.end, policy.zone)
    return Cell(day, slot_name, start.astimezone(UTC), end.astimezone(UTC))


def spots() -> list[Resource]:
    query = (select(Resource).join(Floor).where(Resource.kind == KIND,
                                                Resource.active.is_(True),
                                                Resource.bookable.is_(True))
             .order_by(Floor.level, Resource.name))
    return list(db.session.scalars(query))


def _holder(booking: Any, viewer: User) -> dict[str, Any] | None:
    view = booking_view(booking, viewer)
    if view["visibility"] == BUSY:
        return None
    holder: dict[str, Any] = {"id": view["id"], "organisation": {
        "slug": view["organisation"]["slug"], "name": view["organisation"]["name"]},
        "mine": viewer.id in (booking.user_id, booking.created_by_id)}
    if view["visibility"] == FULL:
        # The person only to their own organisation: others see the organisation alone.
        holder["person"] = view["user"]["name"]
    return holder


def _booking_cell(booking: Any, policy: Policy, viewer: User) -> dict[str, Any]:
    slot = slot_of(policy, booking.start, booking.end)
    return {"holder": _holder(booking, viewer), "busy": True,
            "slot": slot.name if slot else None, "start": rfc3339(booking.start),
            "end": rfc3339(booking.end)}


def _cells_of_spot(spot: Resource, days: list[date], bookings: list[Any], viewer: User,
                   now: datetime) -> list[dict[str, Any]]:
    policy = policy_of(spot)
    cells = []
    for day in days:
        closed = is_closed(policy, day)
        for half in HALVES:
            slot_cell = cell(policy, day, half)
            if slot_cell is None:
                continue
            taken = next((b for b in bookings if b.start < slot_cell.end
                          and slot_cell.start < b.end), None)
            state = ("closed" if closed else "booked" if taken
                     else "past" if slot_cell.end <= now else "free")
            cells.append({
                "date": day.isoformat(), "slot": half, "state": state,
                "start": rfc3339(slot_cell.start), "end": rfc3339(slot_cell.end),
                "start_local": local_iso(slot_cell.start, policy.tz),
                "end_local": local_iso(slot_cell.end, policy.tz),
                "whole_day_bookable": _slot(policy, WHOLE_DAY) is not None,
                "booking": _booking_cell(taken, policy, viewer) if taken else None})
    return cells


def week_grid(viewer: User, monday: date, now: datetime) -> dict[str, Any]:
    """The whole week as plain JSON-ready values (the API answer and the page's model)."""
    policy = kind_policy(KIND)
    days = [monday + timedelta(days=i) for i in range(7) if i in policy.open_weekdays]
    start = datetime.combine(monday, datetime.min.time(), policy.zone)
    end = start + timedelta(days=7)
    rows = active_between(start, end, kind=KIND)
    places = spots()
    by_spot: dict[int, list[Any]] = {}
    for booking in rows:
        by_spot.setdefault(booking.resource_id, []).append(booking)
    today = local(now, policy.tz).date()
    return {
        "week": week_name(monday), "prev": week_name(monday - timedelta(days=7)),
        "next": week_name(monday + timedelta(days=7)), "today": today.isoformat(),
        "slots": [{"name": s.name, "start": s.start.strftime("%H:%M"),
                   "end": s.end.strftime("%H:%M")} for s in policy.slots],
        "days": [{"date": d.isoformat(), "closed": is_closed(policy, d), "today": d == today}
                 for d in days],
        "spots": [{"resource": {"id": s.id, "slug": s.slug, "name": s.name,
                                "privacy": s.privacy},
                   "cells": _cells_of_spot(s, days, by_spot.get(s.id, []), viewer, now)}
                  for s in places],
        "on_plaza": who_is_on_plaza(viewer, rows, today),
    }


def who_is_on_plaza(viewer: User, rows: list[Any], today: date) -> dict[str, list[str]]:
    """Organisations on the plaza today and this week (private spots say nothing)."""
    today_orgs: set[str] = set()
    week_orgs: set[str] = set()
    for booking in rows:
        view = booking_view(booking, viewer)
        if view["visibility"] == BUSY:
            continue
        name = view["organisation"]["name"]
        week_orgs.add(name)
        if local(booking.start, kind_policy(KIND).tz).date() == today:
            today_orgs.add(name)
    return {"today": sorted(today_orgs), "week": sorted(week_orgs)}


def on_plaza_now(viewer: User, now: datetime) -> dict[str, list[str]]:
    """For the home page: who is on the plaza today and this week."""
    policy = kind_policy(KIND)
    today = local(now, policy.tz).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, datetime.min.time(), policy.zone)
    return who_is_on_plaza(viewer, active_between(start, start + timedelta(days=7), kind=KIND),
                           today)


def next_free(viewer: User, wanted: Cell, now: datetime, limit: int = 3) -> list[dict[str, Any]]:
    """Free cells from the wanted one on (same half-day first, then later), this week and
    the next: what a refused partner can take instead."""
    monday = wanted.day - timedelta(days=wanted.day.weekday())
    found: list[dict[str, Any]] = []
    for week in (monday, monday + timedelta(days=7)):
        grid = week_grid(viewer, week, now)
        for row in grid["spots"]:
            for c in row["cells"]:
                if c["state"] == "free" and c["end"] > rfc3339(wanted.start):
                    found.append({**c, "resource": row["resource"]})
    found.sort(key=lambda c: (c["start"] != rfc3339(wanted.start), c["start"],
                              c["resource"]["name"]))
    return found[:limit]


def tz() -> str:
    return kind_policy(KIND).tz
