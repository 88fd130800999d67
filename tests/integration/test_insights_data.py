"""The loader reads unknown sensor time as unknown: a gateway outage leaves the numerator and
the denominator of the used share alike, and shows as lower coverage."""

from __future__ import annotations

from datetime import date

import pytest

from hub.db import write
from hub.extensions import db
from hub.insights import build
from hub.insights.facts import Viewer
from hub.sensors.coverage import known_intervals
from hub.sensors.models import GatewayOutage
from hub.timeutil import utcnow
from tests.functional.insights_world import build as build_world
from tests.functional.insights_world import local

pytestmark = pytest.mark.both_databases
DAY = date(2026, 3, 2)


def _room_one(world) -> dict:
    answers = build.occupancy(build.Period(DAY, DAY), build.Scope(Viewer(None)), now=utcnow(),
                              tz="Europe/Amsterdam", private_label="Private resources",
                              groupings=("resource",))
    return next(r for r in answers["resource"]["rows"] if r["group"]["id"] == world.r1.id)


def test_an_outage_is_unknown_time_not_vacant_time(app, make_org, make_user, make_resource):
    world = build_world(make_org, make_user, make_resource)
    before = _room_one(world)
    assert (before["coverage"], before["used_share"]) == (1.0, round(11 / 120, 4))
    with write():  # the gateway was off 13:00-15:00: nobody knows whether the room was used
        db.session.add(GatewayOutage(gateway_id="gw-test", start=local(13), end=local(15),
                                     reason="offline"))
    after = _room_one(world)
    assert after["coverage"] == round(96 / 120, 4)
    assert after["used_share"] == round(11 / 96, 4)  # the same presence over less known time
    assert after["booked_share"] == before["booked_share"]
    spans = known_intervals([world.r1.id], local(8), local(18))
    assert [(s, e) for _, s, e in spans] == [(local(8), local(13)), (local(15), local(18))]
