"""Booking rules are configuration: per kind and per resource, through `hub policy`."""

from typing import Any

import pytest

from hub.booking import services
from hub.errors import RuleViolation
from tests.integration.booking_world import NOW, TUE, World, at, world_fixture  # noqa: F401


def test_a_resource_gets_its_own_maximum(world: World, runner: Any) -> None:
    result = runner.invoke(args=["policy", "set", "room", "max_minutes=60",
                                 "--resource", "spreekkamer-1"])
    assert result.exit_code == 0, result.output
    with pytest.raises(RuleViolation) as info:
        services.create_booking(actor_id=world.staff.id, resource=world.room, start=at(TUE, 9),
                                end=at(TUE, 11), now=NOW)
    assert info.value.details["rule"] == "max_duration"
    # the other rooms keep the kind's rule
    services.create_booking(actor_id=world.staff.id, resource=world.big_room,
                            start=at(TUE, 9), end=at(TUE, 11), now=NOW)
    shown = runner.invoke(args=["policy", "show", "room", "--resource", "spreekkamer-1"])
    assert "max_minutes = 60" in shown.output


def test_building_closing_day_for_a_kind_and_bad_settings(world: World, runner: Any) -> None:
    ok = runner.invoke(args=["policy", "set", "room", 'closing_days=["2026-03-31"]'])
    assert ok.exit_code == 0, ok.output
    with pytest.raises(RuleViolation) as info:
        services.create_booking(actor_id=world.staff.id, resource=world.room, start=at(TUE, 9),
                                end=at(TUE, 10), now=NOW)
    assert info.value.details["rule"] == "closed_day"
    bad = runner.invoke(args=["policy", "set", "room", "colour=blue"])
    assert bad.exit_code == 1 and "colour" in bad.output


def test_the_sweep_is_a_worker_job(app: Any) -> None:
    from hub.registries import registry

    assert "booking.sweep" in set(registry(app).names("periodic_jobs"))
