"""The API answers what its OpenAPI document says (issue 14, defect 13): schemathesis against
/api/v1/openapi.json as staff and as admin, every check on: no 5xx, statuses, content types,
headers and bodies as documented, schema-valid input accepted, schema-invalid input refused,
undeclared methods answered with 405 and Allow."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.hub_fixtures import T0

# Well-formed input the booking rules may still refuse: 422 rule_violation (CONTRACT.md).
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
EXAMPLES = 8  # per operation and role


@pytest.fixture(params=["staff", "admin"])
def caller(request: pytest.FixtureRequest, make_org: Any, make_user: Any, make_resource: Any,
           token_for: Any) -> dict[str, str]:
    from hub.booking.services import create_booking

    org = make_org(slug="wmo")
    user = make_user(role=request.param, org=org)
    room = make_resource("room", slug="spreekkamer-1")
    make_resource("desk", slug="flex-1")
    start = T0.replace(hour=9)
    create_booking(actor_id=user.id, resource=room.slug, start=start,
                   end=start.replace(hour=10), now=T0, subject="schemathesis")
    return token_for(user)


@pytest.fixture
def api_schema(app: Any, caller: dict[str, str], request: pytest.FixtureRequest) -> Any:
    # schemathesis 4.x renames the pytest node through a private attribute pytest 9 dropped.
    request.node._nodeid = request.node.nodeid
    config = schemathesis.Config.from_dict({
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        "generation": {"max-examples": EXAMPLES},
    })
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)


def _end_not_after_start(body: Any) -> bool:
    try:
        start, end = (datetime.fromisoformat(str(body[k]).replace("Z", "+00:00"))
                      for k in ("start", "end"))
    except (KeyError, TypeError, ValueError):
        return False
    return end <= start


def _report_day(value: Any) -> date:
    text = str(value)
    if len(text) == 10:
        return date.fromisoformat(text)
    instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return instant.astimezone(ZoneInfo("Europe/Amsterdam")).date()


def _period_broken(query: Any) -> bool:
    """A report period (hub.insights.params.period) whose `from` is after its `to`, or that
    spans more than three years; `to` defaults to yesterday, `from` to 13 weeks before it."""
    if not isinstance(query, dict):
        return False
    try:
        yesterday = datetime.now(ZoneInfo("Europe/Amsterdam")).date() - timedelta(days=1)
        last = _report_day(query["to"]) if query.get("to") else yesterday
        first = _report_day(query["from"]) if query.get("from") else None
    except (TypeError, ValueError):
        return False
    if first is None:
        return False
    return first > last or (last - first).days > 3 * 366


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but two rules between fields that a JSON schema cannot state, each
    refused with 400: a booking whose end is not after its start (tested in
    tests/functional/test_booking_api.py) and a report period that runs backwards or over
    three years (tests/functional/test_insights_api.py)."""
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code != 400:
        return True
    if isinstance(case.body, dict) and _end_not_after_start(case.body):
        return False
    return not (case.path.startswith("/api/v1/reports/") and _period_broken(case.query))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_documented(case: Any, caller: dict[str, str]) -> None:
    case.call_and_validate(headers=caller)
