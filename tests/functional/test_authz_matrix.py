"""The authorisation matrix (issue 14): every role, anonymous and a kiosk credential x every
endpoint and page x own/other organisation x normal/private resource.

Each row of TABLE names a request and, per actor, whether it is allowed (`+`) or refused
(`-`: 401/403/404 or a redirect to the login page). A row with `{booking}` has four letters
per actor, for the targets in BOOKING_TARGETS; `{org}` and `{member}` have two (own, other).
Allowed answers may still be a 4xx about the input (a probe sends no body): permission comes
before shape, so only 401/403/404 and the login redirect count as refused. A 5xx fails always.
Every URL rule of the app must have a row (or a line in COVERED_ELSEWHERE): a new endpoint
without one fails this test. /metrics is open unless HUB_METRICS_TOKEN is set (counters only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from tests.hub_fixtures import T0

ACTORS = ("anon", "staff", "coordinator", "reception", "facility", "admin", "kiosk")
# own-normal, own-private: booked by the staff member (of the coordinator's organisation) in a
# normal room and in the private room of their own organisation; other-*: booked by a member
# of another organisation in a normal room and in that organisation's private room.
BOOKING_TARGETS = ("own-normal", "own-private", "other-normal", "other-private")
TWO_TARGETS = ("own", "other")

#  method  path                                     anon  staff coord recep facil admin kiosk
TABLE = """
GET    /login                                         +     +     +     +     +     +     +
GET    /healthz                                       +     +     +     +     +     +     +
GET    /theme.css                                     +     +     +     +     +     +     +
GET    /toegankelijkheid                              +     +     +     +     +     +     +
GET    /readyz                                        +     +     +     +     +     +     +
GET    /metrics                                       +     +     +     +     +     +     +
GET    /api/v1/openapi.json                           +     +     +     +     +     +     +
GET    /api/docs                                      +     +     +     +     +     +     +
GET    /static/hub.css                                +     +     +     +     +     +     +
GET    /favicon.ico                                   +     +     +     +     +     +     +
GET    /                                              -     +     +     +     +     +     -
GET    /book                                          -     +     +     +     +     +     -
GET    /book/timeline                                 -     +     +     +     +     +     -
GET    /book/desks                                    -     +     +     +     +     +     -
GET    /book/week                                     -     +     +     +     +     +     -
GET    /book/colleagues?q=us                          -     -     +     +     -     +     -
GET    /bookings                                      -     +     +     +     +     +     -
GET    /bookings/{booking}                            -   ++--  ----  ----  ----  ----  ----
GET    /bookings/{booking}/move                       -   ++--  ----  ----  ----  ----  ----
GET    /plaza                                         -     +     +     +     +     +     -
GET    /today                                         -     -     -     +     +     +     -
GET    /account                                       -     +     +     +     +     +     -
GET    /org/members?org={org}                         -    --    +-    --    --    ++    --
GET    /facility/                                     -     -     -     -     +     +     -
GET    /facility/resources                            -     -     -     -     +     +     -
GET    /facility/resources/new                        -     -     -     -     +     +     -
GET    /facility/resources/{resource}                 -     -     -     -     +     +     -
GET    /facility/floors/{floor}/plan                  -     -     -     -     +     +     -
GET    /facility/import                               -     -     -     -     +     +     -
GET    /facility/policy                               -     -     -     -     +     +     -
GET    /facility/sensors/                             -     -     -     -     +     +     -
GET    /facility/kiosks                               -     -     -     -     +     +     -
GET    /facility/labels                               -     -     -     -     +     +     -
GET    /facility/mail                                 -     -     -     -     +     +     -
GET    /facility/insights/                            -     -     -     -     +     +     -
GET    /facility/insights/report                      -     -     -     -     +     +     -
GET    /insights/organisation                         -     -     +     -     +     +     -
GET    /admin/organisations                           -     -     -     -     -     +     -
GET    /admin/organisations/{org}                     -    --    --    --    --    ++    --
GET    /admin/import                                  -     -     -     -     -     +     -
GET    /api/v1/me                                     -     +     +     +     +     +     -
GET    /api/v1/me/feed                                -     +     +     +     +     +     -
GET    /api/v1/organisations                          -     +     +     +     +     +     -
GET    /api/v1/resources                              -     +     +     +     +     +     -
GET    /api/v1/availability?date=2026-03-31           -     +     +     +     +     +     -
GET    /api/v1/board                                  -     +     +     +     +     +     -
GET    /api/v1/plaza                                  -     +     +     +     +     +     -
GET    /api/v1/bookings                               -     +     +     +     +     +     -
GET    /api/v1/bookings/{booking}                     -   ++++  ++++  ++++  ++++  ++++  ----
GET    /api/v1/bookings/{booking}/qr.png              -   ++--  ----  ----  ----  ----  ----
GET    /api/v1/bookings/{booking}/qr.svg              -   ++--  ----  ----  ----  ----  ----
GET    /api/v1/bookings/{booking}.ics                 -   ++--  ----  ----  ----  ----  ----
GET    /api/v1/sensors                                -     -     -     -     +     +     -
GET    /api/v1/reports/occupancy                      -     -     +     -     +     +     -
GET    /api/v1/reports/sizing?kind=room               -     -     -     -     +     +     -
GET    /api/v1/reports/waiting                        -     -     -     -     +     +     -
GET    /api/v1/kiosk/status                           -     -     -     -     -     -     +
GET    /api/v1/kiosk/board                            -     -     -     -     -     -     +
POST   /api/v1/kiosk/scan                             -     -     -     -     -     -     +
POST   /api/v1/kiosk/walk-in                          -     -     -     -     -     -     +
POST   /book                                          -     +     +     +     +     +     -
POST   /book/desks                                    -     +     +     +     +     +     -
POST   /plaza/book                                    -     +     +     +     +     +     -
POST   /account/language                              -     +     +     +     +     +     -
POST   /lang/en?next=/book                            +     +     +     +     +     +     +
POST   /account/tokens                                -     +     +     +     +     +     -
POST   /account/tokens/{token}/revoke                 -     +     -     -     -     -     -
POST   /account/mail                                  -     +     +     +     +     +     -
POST   /org/members?org={org}                         -    --    +-    --    --    ++    --
POST   /org/members/{member}                          -    --    +-    --    --    ++    --
POST   /org/members/{member}/reinvite                 -    --    +-    --    --    ++    --
POST   /facility/sites                                -     -     -     -     +     +     -
POST   /facility/floors                               -     -     -     -     +     +     -
POST   /facility/resources/new                        -     -     -     -     +     +     -
POST   /facility/resources/{resource}                 -     -     -     -     +     +     -
POST   /facility/floors/{floor}/plan                  -     -     -     -     +     +     -
POST   /facility/floors/{floor}/desks                 -     -     -     -     +     +     -
POST   /facility/import                               -     -     -     -     +     +     -
POST   /facility/policy                               -     -     -     -     +     +     -
POST   /facility/sensors/dev-x/assign                 -     -     -     -     +     +     -
POST   /facility/kiosks                               -     -     -     -     +     +     -
POST   /admin/organisations                           -     -     -     -     -     +     -
POST   /admin/organisations/{org}                     -    --    --    --    --    ++    --
POST   /admin/import                                  -     -     -     -     -     +     -
POST   /api/v1/bookings                               -     +     +     +     +     +     -
PATCH  /api/v1/bookings/{booking}                     -   ++--  ++--  +-+-  ++++  ++++  ----
POST   /api/v1/bookings/{booking}/check-in            -   ++--  ++--  +-+-  ++++  ++++  ----
POST   /api/v1/bookings/{booking}/check-out           -   ++--  ++--  +-+-  ++++  ++++  ----
POST   /bookings/{booking}/move                       -   ++--  ----  ----  ----  ----  ----
DELETE /api/v1/bookings/{booking}                     -   ++--  ++--  +-+-  ++++  ++++  ----
POST   /logout                                        -     +     +     +     +     +     -
"""
# Rules the table reaches through other paths (a feed needs its secret; an invitation its token).
COVERED_ELSEWHERE = {
    "/k/<code>": "a check-in code is the credential (kiosk issue 12 tests)",
    "/k/<code>/check-in": "kiosk issue 12 tests",
    "/r/<slug>": "a printed door label: open to all logged-in people (kiosk issue 12 tests)",
    "/r/<slug>/check-in": "kiosk issue 12 tests", "/r/<slug>/book": "kiosk issue 12 tests",
    "/r/<slug>/qr.svg": "kiosk issue 12 tests", "/r/<slug>/qr.png": "kiosk issue 12 tests",
    "/kiosk": "the kiosk page itself holds no data before a credential (issue 12 tests)",
    "/board": "the wall board (issue 12 tests)",
    "/api/v1/kiosk/floors/<int:floor_id>/plan": "kiosk issue 12 tests",
    "/facility/kiosks/<int:kiosk_id>/revoke": "kiosk issue 12 tests",
    "/facility/insights/report.pdf": "runs chromium: insights issue 18 tests",
    "/api/v1/reports/occupancy.csv": "the JSON row stands for it",
    "/api/v1/reports/occupancy.xlsx": "the JSON row stands for it",
    "/api/v1/reports/sizing.csv": "the JSON row stands for it",
    "/api/v1/reports/sizing.xlsx": "the JSON row stands for it",
    "/api/v1/sensors/<device_id>/assignment": "sensors issue 11 tests (facility and admin)",
    "/plaza/<int:booking_id>/cancel": "plaza tests (own bookings only)",
    "/account/feeds/<scope>": "calendar feed tests (issue 13)",
    "/account/feeds/<scope>/revoke": "calendar feed tests (issue 13)",
    "/facility/mail/<int:mail_id>/retry": "booking mail tests (issue 13)",
    "/bookings/<int:booking_id>/check-in": "page actions answer with a message and a redirect: test_booking_pages.py",
    "/bookings/<int:booking_id>/check-out": "test_booking_pages.py",
    "/bookings/<int:booking_id>/cancel": "test_booking_pages.py",
    "/book/floors/<int:floor_id>/plan": "needs an uploaded plan: test_facility.py",
    "/ical/<token>.ics": "tests/functional/test_security_privacy.py (feeds per outsider)",
    "/ical/plaza.ics": "tests/functional/test_security_privacy.py",
    "/ical/resource/<slug>.ics": "tests/functional/test_security_privacy.py",
    "/invite/<token>": "tests/functional/test_members.py (a token is the credential)",
    "/lang/<code>": "the POST /lang/en row and test_security_session.py",
    "/login": "the GET /login row",
}


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    cells: dict[str, str]


def _rows() -> list[Row]:
    rows = []
    for line in TABLE.strip().splitlines():
        method, path, *cells = line.split()
        assert len(cells) == len(ACTORS), line
        rows.append(Row(method, path, dict(zip(ACTORS, cells, strict=True))))
    return rows


ROWS = _rows()


@dataclass
class World:
    ids: dict[str, Any]
    credentials: dict[str, dict[str, str]]
    clients: dict[str, Any]


def _world(app: Flask, make_org: Any, make_user: Any, make_resource: Any,
           token_for: Any) -> World:
    from hub.accounts.services import create_token
    from hub.booking.services import create_booking
    from hub.extensions import db

    own, other = make_org(slug="wmo"), make_org(slug="ggd")
    desk_org, building_org = make_org(slug="balie"), make_org(slug="gemeente")
    people = {
        "staff": make_user(role="staff", org=own),
        "coordinator": make_user(role="coordinator", org=own),
        "reception": make_user(role="reception", org=desk_org),
        "facility": make_user(role="facility", org=building_org),
        "admin": make_user(role="admin", org=building_org),
    }
    colleague_elsewhere = make_user(role="staff", org=other)
    normal = make_resource("room", slug="spreekkamer-1")
    normal_2 = make_resource("room", slug="spreekkamer-2")
    private_own = make_resource("room", slug="kamer-wmo", privacy="private",
                                restricted_to=["wmo"])
    private_other = make_resource("room", slug="kamer-ggd", privacy="private",
                                  restricted_to=["ggd"])
    start, now = _next_working_morning()
    bookings = {}
    for target, user, room in (("own-normal", people["staff"], normal),
                               ("own-private", people["staff"], private_own),
                               ("other-normal", colleague_elsewhere, normal_2),
                               ("other-private", colleague_elsewhere, private_other)):
        result = create_booking(actor_id=user.id, resource=room.slug, start=start,
                                end=start + timedelta(hours=1), now=now, subject="matrix")
        bookings[target] = result.booking.id
    create_token(people["staff"].id, name="to revoke", now=T0)
    db.session.commit()
    # People call the API with their personal token (a session write would need CSRF first).
    credentials = {name: token_for(person) for name, person in people.items()}
    credentials["anon"] = {}
    credentials["kiosk"] = _kiosk_headers(app)
    clients = {}
    for name in ACTORS:
        client = app.test_client()
        if name in people:
            response = client.post("/login", data={"email": people[name].email,
                                                   "password": "correct horse battery"})
            assert response.status_code == 302, name
        clients[name] = client
    from hub.accounts.models import ApiToken

    token_id = db.session.query(ApiToken.id).filter_by(user_id=people["staff"].id).first()[0]
    ids = {"booking": bookings, "org": {"own": own.id, "other": other.id},
           "member": {"own": people["staff"].id, "other": colleague_elsewhere.id},
           "floor": normal.floor_id, "resource": normal.id, "token": token_id}
    return World(ids, credentials, clients)


def _next_working_morning() -> tuple[datetime, datetime]:
    """10:00 local on a Tuesday to Thursday next week (no holiday), and now."""
    from hub.timeutil import utcnow

    now = utcnow()
    day = (now + timedelta(days=7)).date()
    while day.weekday() not in (1, 2, 3) or (day.month, day.day) in ((12, 24), (12, 25), (12, 26),
                                                                      (12, 31), (1, 1)):
        day += timedelta(days=1)
    start = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    return start.astimezone(UTC), now


def _kiosk_headers(app: Flask) -> dict[str, str]:
    """The bearer credential of an enrolled kiosk."""
    from hub.kiosk.services.enrol import enrol_kiosk

    _kiosk, credential = enrol_kiosk(name="Entree", now=T0)
    return {"Authorization": f"Bearer {credential}"}


def _targets(path: str) -> tuple[str, tuple[str, ...]]:
    for key, targets in (("booking", BOOKING_TARGETS), ("org", TWO_TARGETS),
                         ("member", TWO_TARGETS)):
        if "{" + key + "}" in path:
            return key, targets
    return "", ("any",)


def _refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    # login_required sends to /login?next=...; logging out lands on the plain /login.
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "/login?next=" in location


def _fill(path: str, ids: dict[str, Any], key: str, target: str) -> str:
    values = {k: v for k, v in ids.items() if not isinstance(v, dict)}
    if key:
        values[key] = ids[key][target]
    return path.format(**values)


def test_the_matrix_holds(app: Flask, make_org: Any, make_user: Any, make_resource: Any,
                          token_for: Any) -> None:
    world = _world(app, make_org, make_user, make_resource, token_for)
    wrong = []
    for row in ROWS:
        key, targets = _targets(row.path)
        for actor in ACTORS:
            cell = row.cells[actor]
            expected = cell * len(targets) if len(cell) == 1 else cell
            assert len(expected) == len(targets), (row.path, actor)
            for target, want in zip(targets, expected, strict=True):
                url = _fill(row.path, world.ids, key, target)
                api = url.startswith("/api/v1/")
                headers = world.credentials[actor] if api or actor == "kiosk" else {}
                response = world.clients[actor].open(url, method=row.method, headers=headers)
                assert response.status_code < 500, (row.method, url, actor)
                got = "-" if _refused(response) else "+"
                if got != want:
                    wrong.append(f"{row.method} {url} as {actor} ({target}): expected {want}, "
                                 f"got {response.status_code}")
    assert not wrong, "\n" + "\n".join(wrong)


def test_every_endpoint_has_a_row(app: Flask) -> None:
    import re

    in_table = {re.sub(r"\{[a-z]+\}", "<x>", r.path.split("?")[0]) for r in ROWS}
    missing = []
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "<x>", rule.rule)
        if rule.rule in COVERED_ELSEWHERE or rule.endpoint == "static":
            continue
        if path not in in_table and not any(re.fullmatch(re.sub(r"<x>", "[^/]+", path), p)
                                            for p in in_table):
            missing.append(rule.rule)
    assert not missing, "add a row to TABLE for each new endpoint:\n" + "\n".join(missing)
